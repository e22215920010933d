import { ApiError } from '../errors/api-error';
import { decodeCursor, encodeCursor } from '../validation/cursor';

/** Where a newest-first page of parties stopped: the last row's creation time and id. */
export interface PartyCursor {
  createdAt: Date;
  id: string;
}

const PARTS = ['instant', 'uuid'] as const;

export function encodePartyCursor(cursor: PartyCursor): string {
  return encodeCursor(PARTS, [cursor.createdAt, cursor.id]);
}

/**
 * The cursor a party page answered, through the API's one cursor codec: anything else (forged,
 * cut, another page's) is 400 `validation_failed` on `cursor`, never a query. Parties are
 * created after 1970, so an earlier instant is refused too.
 */
export function decodePartyCursor(raw: string): PartyCursor {
  const [createdAt, id] = decodeCursor(PARTS, raw);
  if (createdAt.getUTCFullYear() < 1970) {
    throw ApiError.validation([{ field: 'cursor', problem: 'is not a cursor this API returned' }]);
  }
  return { createdAt, id };
}
