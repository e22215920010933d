/**
 * When to try an outbound notification again (api.md "Outbound notifications": exponential backoff
 * for at least 24 hours, first retry after about 5 s, on the server's clock so that the test clock
 * moves it too). Pure: the clock and the randomness come in as arguments.
 */

/**
 * Delay before each retry, in seconds: after the 1st failed try wait 5 s, after the 2nd 5 min, then
 * 30 min, 2 h, 5 h, 10 h, 24 h. That is the first try + 7 retries over about 41.6 hours, so a
 * receiver that is down for a whole day still gets the message.
 */
export const RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 86400];

/** Every try, the first included. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** Random spread around each delay, so that notifications failed together do not retry together. */
export const JITTER_RATIO = 0.1;

/** The most a receiver's `Retry-After` may push a retry back. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

export interface NextAttemptOptions {
  /**
   * The `Retry-After` header of the last response (delta-seconds or an HTTP date), if any. Pass it
   * for 429 and 503 answers; it is only honoured when it asks for longer than the backoff.
   */
  retryAfter?: string | null;
  /** A source of numbers in [0, 1), for the jitter; default `Math.random`. */
  random?: () => number;
}

/**
 * When the next try of a notification is due.
 *
 * @param attemptsMade tries already made (0 when none: the first try is due now)
 * @param now the server's clock when the last try ended
 * @returns the due time, or null when the last try is used up (the notification is then `failed`)
 * @throws RangeError when `attemptsMade` is not a non-negative integer (a caller bug)
 */
export function nextAttemptAt(
  attemptsMade: number,
  now: Date,
  opts: NextAttemptOptions = {},
): Date | null {
  if (!Number.isSafeInteger(attemptsMade) || attemptsMade < 0) {
    throw new RangeError(`attemptsMade must be a non-negative integer, got ${attemptsMade}`);
  }
  if (attemptsMade === 0) return new Date(now.getTime());
  if (attemptsMade >= MAX_ATTEMPTS) return null;

  const base = RETRY_DELAYS_SECONDS[attemptsMade - 1];
  const random = clampUnit((opts.random ?? Math.random)());
  const backoffSeconds = base * (1 + JITTER_RATIO * (2 * random - 1));

  const askedSeconds = parseRetryAfter(opts.retryAfter, now);
  const delaySeconds =
    askedSeconds !== null && askedSeconds > backoffSeconds
      ? Math.min(askedSeconds, MAX_RETRY_AFTER_SECONDS)
      : backoffSeconds;
  return new Date(now.getTime() + Math.round(delaySeconds * 1000));
}

/**
 * Seconds from `now` that a `Retry-After` value asks for (RFC 9110 section 10.2.3: delta-seconds or
 * an HTTP date), or null when it is absent or unreadable. A date in the past asks for 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP date names its day and month in letters; Date.parse alone would also take "1.5" or
  // "-3" as dates, far in the past.
  if (!/[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, (at - now.getTime()) / 1000);
}

function clampUnit(x: number): number {
  if (!Number.isFinite(x)) return 0.5;
  return Math.min(Math.max(x, 0), 1);
}
