import { ApiError } from '../errors/api-error';
import { decodeCursor, encodeCursor } from './cursor';

const SHAPE = ['instant', 'uuid'] as const;
const ID = '0b4e7c2a-59f1-4c1e-9a55-6f2d2b8d1e10';
const b64 = (text: string) => Buffer.from(text).toString('base64url');

function refusal(raw: string, parts: readonly ('instant' | 'uuid' | 'int')[] = SHAPE) {
  try {
    decodeCursor(parts, raw);
  } catch (error) {
    return error instanceof ApiError ? error.toBody() : error;
  }
  return null;
}

describe('page cursors', () => {
  it('decodes what it encodes', () => {
    const at = new Date('2026-11-10T10:00:00.123Z');
    const raw = encodeCursor(SHAPE, [at, ID]);
    expect(decodeCursor(SHAPE, raw)).toEqual([at, ID]);
    expect(decodeCursor(['int', 'uuid'], encodeCursor(['int', 'uuid'], [42, ID]))).toEqual([
      42,
      ID,
    ]);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['empty', ''],
    ['garbage inside', b64('garbage')],
    ['too few values', b64('2026-11-10T10:00:00.123Z')],
    ['too many values', b64(`2026-11-10T10:00:00.123Z|${ID}|x`)],
    ['an id that is not a uuid', b64(`2026-11-10T10:00:00.123Z|${'-'.repeat(36)}`)],
    ['a year PostgreSQL cannot store', b64(`-100000-01-01T00:00:00.000Z|${ID}`)],
    ['year 0', b64(`0000-01-01T00:00:00.000Z|${ID}`)],
    ['a day that does not exist', b64(`2026-02-30T00:00:00.000Z|${ID}`)],
    ['a time not written as the server writes it', b64(`2026-11-10T10:00:00Z|${ID}`)],
  ])('refuses %s as 400 on cursor', (_name, raw) => {
    expect(refusal(raw)).toEqual({
      statusCode: 400,
      error: 'validation_failed',
      message: expect.any(String),
      details: [{ field: 'cursor', problem: 'is not a cursor this API returned' }],
    });
  });

  it('refuses an integer past 2^53 - 1 where it takes one', () => {
    expect(refusal(b64('99999999999999999'), ['int'])).not.toBeNull();
    expect(refusal(b64('-1'), ['int'])).not.toBeNull();
  });

  it('refuses a cursor changed in its padding bits (one text, one encoding)', () => {
    const raw = encodeCursor(['int'], [7]); // "Nw": the second character carries spare bits
    expect(refusal(raw.slice(0, -1) + 'x', ['int'])).not.toBeNull();
  });
});
