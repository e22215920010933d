import { performance } from 'node:perf_hooks';
import { ApiError } from '../errors/api-error';

/** Failed authentications allowed per tracker (a client address, a webhook path id) per window. */
export const FAILED_AUTH_LIMIT = 20;
export const FAILED_AUTH_WINDOW_MS = 1000;
/** Trackers remembered at most; past it, finished windows are dropped (then everything). */
const MAX_TRACKED = 50_000;

/**
 * Limits failed authentications (hardening.md "Network edges"): once a tracker has failed
 * {@link FAILED_AUTH_LIMIT} times in a one-second window, it gets 429 `rate_limited` with
 * `Retry-After` until the window ends, before any lookup: an unknown API key or a bad webhook
 * signature costs the database at most that many lookups per second and tracker. Per instance, in
 * memory, on the monotonic clock (the test clock must not unblock anyone).
 */
export class FailedAuthLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Throws 429 when `trackers` (any of them) used up their failures in this window. */
  assertAllowed(...trackers: string[]): void {
    const now = this.now();
    let waitMs = 0;
    for (const tracker of trackers) {
      const window = this.windows.get(tracker);
      if (
        window &&
        now - window.start < FAILED_AUTH_WINDOW_MS &&
        window.count >= FAILED_AUTH_LIMIT
      ) {
        waitMs = Math.max(waitMs, window.start + FAILED_AUTH_WINDOW_MS - now);
      }
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw new ApiError(
        'rate_limited',
        `Too many failed authentications: at most ${FAILED_AUTH_LIMIT} per second; retry in ${seconds} s`,
        {},
        { 'retry-after': String(seconds) },
      );
    }
  }

  /** Counts one failed authentication against each tracker. */
  recordFailure(...trackers: string[]): void {
    const now = this.now();
    for (const tracker of trackers) {
      const window = this.windows.get(tracker);
      if (window && now - window.start < FAILED_AUTH_WINDOW_MS) {
        window.count += 1;
        continue;
      }
      if (!window && this.windows.size >= MAX_TRACKED) this.forgetFinished(now);
      this.windows.set(tracker, { start: now, count: 1 });
    }
  }

  private forgetFinished(now: number): void {
    for (const [tracker, window] of this.windows) {
      if (now - window.start >= FAILED_AUTH_WINDOW_MS) this.windows.delete(tracker);
    }
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
