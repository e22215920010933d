import { linkExpiresAt, linkIsLive, linkLifetimeEnd } from './link-expiry';

const at = (iso: string) => new Date(iso);

describe('case link expiry', () => {
  it('a supplier link lives 30 days, a buyer link 14', () => {
    const made = at('2026-03-01T10:00:00Z');
    expect(linkLifetimeEnd('supplier', made).toISOString()).toBe('2026-03-31T10:00:00.000Z');
    expect(linkLifetimeEnd('buyer', made).toISOString()).toBe('2026-03-15T10:00:00.000Z');
  });

  it.each([
    // [closed at, expected end]: open case, closed early (7 days after), closed late (30 days)
    [null, '2026-03-31T10:00:00.000Z'],
    ['2026-03-05T08:00:00Z', '2026-03-12T08:00:00.000Z'],
    ['2026-03-28T00:00:00Z', '2026-03-31T10:00:00.000Z'],
  ])('a supplier link of a case closed at %s ends at %s', (closed, end) => {
    const stored = linkLifetimeEnd('supplier', at('2026-03-01T10:00:00Z'));
    expect(linkExpiresAt('supplier', stored, closed ? at(closed) : null).toISOString()).toBe(end);
  });

  it("a buyer link is not shortened by the case's closing", () => {
    const stored = linkLifetimeEnd('buyer', at('2026-03-01T10:00:00Z'));
    expect(linkExpiresAt('buyer', stored, at('2026-03-02T00:00:00Z'))).toEqual(stored);
  });

  it('is live until its end (exclusive) and never once revoked', () => {
    const expiresAt = at('2026-03-31T10:00:00Z');
    expect(linkIsLive({ revokedAt: null, expiresAt }, at('2026-03-31T09:59:59.999Z'))).toBe(true);
    expect(linkIsLive({ revokedAt: null, expiresAt }, expiresAt)).toBe(false);
    const revokedAt = at('2026-03-02T00:00:00Z');
    expect(linkIsLive({ revokedAt, expiresAt }, at('2026-03-03T00:00:00Z'))).toBe(false);
  });
});
