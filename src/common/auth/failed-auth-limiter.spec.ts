import { ApiError } from '../errors/api-error';
import { FAILED_AUTH_LIMIT, FailedAuthLimiter } from './failed-auth-limiter';

describe('FailedAuthLimiter', () => {
  let now = 0;
  const limiter = () => new FailedAuthLimiter(() => now);
  beforeEach(() => (now = 1000));

  it('allows 20 failures a second per tracker, then 429 with Retry-After until the window ends', () => {
    const l = limiter();
    for (let i = 0; i < FAILED_AUTH_LIMIT; i++) {
      expect(() => l.assertAllowed('ip:a')).not.toThrow();
      l.recordFailure('ip:a');
    }
    let refused: unknown;
    try {
      l.assertAllowed('ip:a');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).code).toBe('rate_limited');
    expect((refused as ApiError).headers['retry-after']).toBe('1');
    // Another address is not affected; any of several trackers blocks.
    expect(() => l.assertAllowed('ip:b')).not.toThrow();
    expect(() => l.assertAllowed('ip:b', 'ip:a')).toThrow(ApiError);
    now += 1000;
    expect(() => l.assertAllowed('ip:a')).not.toThrow();
  });

  it('counts failures in one-second windows: 19 in one and 19 in the next never block', () => {
    const l = limiter();
    for (let i = 0; i < 19; i++) l.recordFailure('ip:a');
    now += 1001;
    for (let i = 0; i < 19; i++) l.recordFailure('ip:a');
    expect(() => l.assertAllowed('ip:a')).not.toThrow();
  });
});
