import { ApiError } from '../errors/api-error';
import { isUuid } from './uuid-param.pipe';

/**
 * Page cursors: opaque to clients (base64url of the values of the last item, joined by `|`), and
 * read back strictly, so that only a cursor the server could have issued reaches a query
 * (hardening.md: anything else is 400 `validation_failed`, field `cursor`, never a database cast
 * error). Every route that pages with a cursor encodes and decodes it here.
 *
 * A cursor is declared by the kinds of its values: `instant` (a time, written as
 * `toISOString()` writes it), `instant?` (a time or none, written empty: a sort key that may be
 * null), `uuid`, `int` (a non-negative safe integer: a `seq`, an `id`).
 */
export type CursorPart = 'instant' | 'instant?' | 'uuid' | 'int';
type ValueOf<P extends CursorPart> = P extends 'instant'
  ? Date
  : P extends 'instant?'
    ? Date | null
    : P extends 'uuid'
      ? string
      : number;
export type CursorValues<P extends readonly CursorPart[]> = {
  [K in keyof P]: P[K] extends CursorPart ? ValueOf<P[K]> : never;
};

/** An `instant?` written empty: no time (told apart from a value that failed to read). */
const NONE = Symbol('none');
const BASE64URL = /^[A-Za-z0-9_-]{1,400}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor<const P extends readonly CursorPart[]>(
  parts: P,
  values: CursorValues<P>,
): string {
  const text = parts.map((part, i) => {
    const value = values[i];
    if (part === 'instant?') return value === null ? '' : new Date(value as Date).toISOString();
    return part === 'instant' ? new Date(value as Date).toISOString() : String(value);
  });
  return Buffer.from(text.join('|')).toString('base64url');
}

/**
 * The values of a cursor of this shape, or 400 `validation_failed` on `field`: not base64url
 * as this encoder writes it, the wrong number of values, or a value of the wrong kind (a time
 * that is not a real one, or outside what PostgreSQL stores; an id that is not a UUID).
 */
export function decodeCursor<const P extends readonly CursorPart[]>(
  parts: P,
  raw: string,
  field = 'cursor',
): CursorValues<P> {
  const refuse = () =>
    ApiError.validation([{ field, problem: 'is not a cursor this API returned' }]);
  if (!BASE64URL.test(raw)) throw refuse();
  const bytes = Buffer.from(raw, 'base64url');
  // One text has one encoding: a cursor changed in its padding bits is not ours either.
  if (bytes.toString('base64url') !== raw) throw refuse();
  const texts = bytes.toString('latin1').split('|');
  if (texts.length !== parts.length) throw refuse();
  const values = parts.map((part, i) =>
    part === 'instant?' && texts[i] === '' ? NONE : readPart(part, texts[i]),
  );
  if (values.some((value) => value === null)) throw refuse();
  return values.map((value) => (value === NONE ? null : value)) as CursorValues<P>;
}

function readPart(part: CursorPart, text: string): Date | string | number | null {
  switch (part) {
    case 'instant':
    case 'instant?': {
      if (!INSTANT.test(text) || text.startsWith('0000')) return null;
      const at = new Date(text);
      return !Number.isNaN(at.getTime()) && at.toISOString() === text ? at : null;
    }
    case 'uuid':
      return isUuid(text) ? text.toLowerCase() : null;
    case 'int':
      return /^\d{1,15}$/.test(text) ? Number(text) : null;
  }
}
