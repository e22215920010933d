import fc from 'fast-check';
import {
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_SECONDS,
  nextAttemptAt,
  parseRetryAfter,
  RETRY_DELAYS_SECONDS,
} from './retry-schedule';

const NOW = new Date('2025-03-10T12:00:00.000Z');
const MIDDLE = () => 0.5; // no jitter
const secondsAfterNow = (d: Date | null) =>
  d === null ? null : (d.getTime() - NOW.getTime()) / 1000;

describe('RETRY_DELAYS_SECONDS', () => {
  it('is about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h: first try + 7 retries', () => {
    expect(RETRY_DELAYS_SECONDS).toEqual([5, 300, 1800, 7200, 18000, 36000, 86400]);
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('keeps trying for more than 24 hours, even with the shortest jitter', () => {
    const shortest = RETRY_DELAYS_SECONDS.reduce((sum, d) => sum + d * 0.9, 0);
    expect(shortest).toBeGreaterThan(24 * 3600);
  });

  it('grows at every step', () => {
    RETRY_DELAYS_SECONDS.slice(1).forEach((d, i) =>
      expect(d).toBeGreaterThan(RETRY_DELAYS_SECONDS[i]),
    );
  });
});

describe('nextAttemptAt', () => {
  it('makes the first try now', () => {
    expect(nextAttemptAt(0, NOW, { random: MIDDLE })).toEqual(NOW);
  });

  it.each(RETRY_DELAYS_SECONDS.map((delay, i) => [i + 1, delay]))(
    'after %i tries waits %i s (without jitter)',
    (attempts, delay) => {
      expect(secondsAfterNow(nextAttemptAt(attempts, NOW, { random: MIDDLE }))).toBe(delay);
    },
  );

  it('gives up after the last try', () => {
    expect(nextAttemptAt(MAX_ATTEMPTS, NOW, { random: MIDDLE })).toBeNull();
    expect(nextAttemptAt(MAX_ATTEMPTS + 5, NOW, { retryAfter: '10' })).toBeNull();
  });

  it.each([-1, 1.5, NaN])('refuses %p tries', (attempts) => {
    expect(() => nextAttemptAt(attempts, NOW)).toThrow(RangeError);
  });

  it('spreads each delay by at most ±10%', () => {
    expect(secondsAfterNow(nextAttemptAt(2, NOW, { random: () => 0 }))).toBe(270);
    expect(secondsAfterNow(nextAttemptAt(2, NOW, { random: () => 0.999999 }))).toBeCloseTo(330, 2);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_ATTEMPTS - 1 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempts, r) => {
          const delay = secondsAfterNow(nextAttemptAt(attempts, NOW, { random: () => r }))!;
          const base = RETRY_DELAYS_SECONDS[attempts - 1];
          expect(delay).toBeGreaterThanOrEqual(base * 0.9 - 0.001);
          expect(delay).toBeLessThanOrEqual(base * 1.1 + 0.001);
        },
      ),
    );
  });

  it('survives a random source that misbehaves', () => {
    expect(secondsAfterNow(nextAttemptAt(1, NOW, { random: () => NaN }))).toBe(5);
    expect(secondsAfterNow(nextAttemptAt(1, NOW, { random: () => 7 }))).toBe(5.5);
  });

  it('honours a Retry-After in seconds that asks for longer than the backoff', () => {
    expect(secondsAfterNow(nextAttemptAt(1, NOW, { retryAfter: '120', random: MIDDLE }))).toBe(120);
  });

  it('ignores a Retry-After shorter than the backoff', () => {
    expect(secondsAfterNow(nextAttemptAt(3, NOW, { retryAfter: '60', random: MIDDLE }))).toBe(1800);
  });

  it('honours a Retry-After HTTP date', () => {
    const retryAfter = new Date(NOW.getTime() + 3600_000).toUTCString();
    expect(secondsAfterNow(nextAttemptAt(1, NOW, { retryAfter, random: MIDDLE }))).toBe(3600);
  });

  it('caps a Retry-After at 24 hours', () => {
    expect(
      secondsAfterNow(nextAttemptAt(1, NOW, { retryAfter: '999999999', random: MIDDLE })),
    ).toBe(MAX_RETRY_AFTER_SECONDS);
  });

  it.each(['soon', '', '-5', '1.5', 'Wed, 99 Foo 2015'])(
    'ignores an unreadable Retry-After %j',
    (retryAfter) => {
      expect(secondsAfterNow(nextAttemptAt(1, NOW, { retryAfter, random: MIDDLE }))).toBe(5);
    },
  );
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Mon, 10 Mar 2025 12:01:00 GMT', 60],
    ['Mon, 10 Mar 2025 11:00:00 GMT', 0],
    [null, null],
    [undefined, null],
    ['1.5', null],
    ['-3', null],
    ['tomorrow', null],
  ])('reads %j as %p s', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });
});
