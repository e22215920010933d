import { ApiError } from '../errors/api-error';
import { decodePartyCursor, encodePartyCursor } from './party-cursor';

describe('party cursors', () => {
  const cursor = {
    createdAt: new Date('2026-03-01T10:00:00.123Z'),
    id: '0b8e4a5c-5d5e-4b43-9a51-3c2b1f4e6a77',
  };

  it('round-trips what the API issues', () => {
    expect(decodePartyCursor(encodePartyCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ['not base64', '!!!'],
    ['garbage', Buffer.from('hello').toString('base64url')],
    ['no id', Buffer.from('2026-03-01T10:00:00.123Z|').toString('base64url')],
    ['bad id', Buffer.from("2026-03-01T10:00:00.123Z|x' OR 1=1").toString('base64url')],
    ['out of range', Buffer.from(`99999-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url')],
    ['impossible date', Buffer.from(`2026-02-30T00:00:00.000Z|${cursor.id}`).toString('base64url')],
    ['before 1970', Buffer.from(`0000-01-01T00:00:00.000Z|${cursor.id}`).toString('base64url')],
    ['extra part', encodePartyCursor(cursor) + Buffer.from('|x').toString('base64url')],
    ['too long', 'A'.repeat(201)],
  ])('refuses a forged cursor (%s) with 400 on field cursor', (_name, raw) => {
    let refused: unknown;
    try {
      decodePartyCursor(raw);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).toBody()).toMatchObject({
      statusCode: 400,
      error: 'validation_failed',
      details: [{ field: 'cursor' }],
    });
  });
});
