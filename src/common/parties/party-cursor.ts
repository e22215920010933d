import { ApiError } from '../errors/api-error';
import { isUuid } from '../validation/uuid-param.pipe';

/** Where a newest-first page of parties stopped: the last row's creation time and id. */
export interface PartyCursor {
  createdAt: Date;
  id: string;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodePartyCursor(cursor: PartyCursor): string {
  return Buffer.from(`${cursor.createdAt.toISOString()}|${cursor.id}`, 'utf8').toString(
    'base64url',
  );
}

/**
 * A cursor this API issued, or 400 `validation_failed` on field `cursor`: it must decode to an
 * instant and a UUID and encode back to the very same text, so nothing forged reaches SQL.
 */
export function decodePartyCursor(raw: string): PartyCursor {
  const refuse = () =>
    ApiError.validation([{ field: 'cursor', problem: 'is not a cursor this API returned' }]);
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) throw refuse();
  const [at, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !INSTANT.test(at ?? '') || !isUuid(id)) throw refuse();
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || createdAt.getUTCFullYear() < 1970) throw refuse();
  const cursor = { createdAt, id: id.toLowerCase() };
  if (encodePartyCursor(cursor) !== raw) throw refuse();
  return cursor;
}
