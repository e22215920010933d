/**
 * Standard Webhooks signing and verification (https://www.standardwebhooks.com), the scheme of
 * api.md "Supplier webhooks": `webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<ts>.<body>">`
 * keyed with the base64-decoded part of a `whsec_` secret. Inbound supplier webhooks are verified
 * here; outbound notifications are signed here.
 *
 * Why not `new Webhook(secret).verify()` from the `standardwebhooks` package: it compares the
 * timestamp with the real clock (`Date.now()`, 300 s hard-coded), so the test clock could not move
 * it, it knows one secret (a supplier has two during a rotation), and it throws. We keep its HMAC
 * (`Webhook.sign`) and do the clock, the parsing and the comparison ourselves.
 */
import { isUtf8 } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** Default clock skew allowed between the sender's timestamp and our clock (api.md: 5 minutes). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Why a webhook was refused. All of them map to 401 with nothing recorded. */
export type WebhookRejection =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'timestamp_out_of_tolerance'
  | 'bad_signature';

export type WebhookVerification =
  | { ok: true; id: string; timestamp: number }
  | { ok: false; reason: WebhookRejection };

export interface VerifyWebhookOptions {
  /** Every secret currently active for the sender (two while a rotation is in progress). */
  secrets: string[];
  /** Request headers, any case, as Node or Fastify give them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body exactly as received: a re-serialised JSON body would not match the signature. */
  rawBody: string | Buffer;
  /** The server's clock (the test clock when it is on), never `Date.now()` behind its back. */
  now: Date;
  /** Allowed |now - timestamp| in seconds; default {@link DEFAULT_TOLERANCE_SECONDS}. */
  toleranceSeconds?: number;
}

const SECRET_PREFIX = 'whsec_';
/**
 * Canonical unix seconds only: no sign, no leading zero, no spaces, at most 12 digits. The HMAC is
 * computed over the number re-serialised, so a lenient parse (`parseInt("01614265330x")`) would let
 * a header that differs from the signed one through.
 */
const TIMESTAMP_PATTERN = /^(0|[1-9][0-9]{0,11})$/;

/**
 * A new secret for a supplier or merchant: `whsec_` + base64 of 32 random bytes (api.md asks for at
 * least 24). Shown once; it signs both directions.
 */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The `webhook-signature` header value for one message: `v1,<base64>`.
 *
 * @param secret a `whsec_...` secret (the prefix is optional)
 * @param timestamp unix seconds, an integer; the same value goes in `webhook-timestamp`
 * @throws if the secret is not base64 or the timestamp is not a non-negative integer (caller bugs)
 */
export function signPayload(
  secret: string,
  msgId: string,
  timestamp: number,
  body: string,
): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`timestamp must be whole unix seconds, got ${timestamp}`);
  }
  return new Webhook(secret).sign(msgId, new Date(timestamp * 1000), body);
}

/**
 * Verifies a Standard Webhooks request against every active secret of its sender.
 *
 * Checks, cheapest first: the three headers are present (exactly once each); the timestamp is
 * canonical unix seconds within `toleranceSeconds` of `now` (inclusive: 300 s off passes, 301 s
 * does not); one of the space-separated `v1,` signatures equals the HMAC under one of `secrets`
 * (constant-time). Other versions (`v1a,` ...) are ignored. Never throws, whatever the input;
 * a secret that cannot be decoded is skipped. Replays within the tolerance are not detected here:
 * the caller deduplicates on the returned `id`.
 */
export function verifyWebhook(opts: VerifyWebhookOptions): WebhookVerification {
  try {
    return verifyOrReject(opts);
  } catch {
    // Nothing above is expected to throw; if something does, refusing is the only safe answer.
    return { ok: false, reason: 'bad_signature' };
  }
}

function verifyOrReject(opts: VerifyWebhookOptions): WebhookVerification {
  const id = singleHeader(opts.headers, 'webhook-id');
  const timestampHeader = singleHeader(opts.headers, 'webhook-timestamp');
  const signatureHeader = joinedHeader(opts.headers, 'webhook-signature');
  if (!id || !timestampHeader || !signatureHeader) return { ok: false, reason: 'missing_headers' };

  if (!TIMESTAMP_PATTERN.test(timestampHeader)) return { ok: false, reason: 'bad_timestamp' };
  const timestamp = Number(timestampHeader);

  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowMs = isDate(opts.now) ? Date.prototype.getTime.call(opts.now) : NaN;
  // Fail closed on a broken clock or tolerance: NaN comparisons are false and would let anything in.
  if (!Number.isFinite(nowMs) || !Number.isFinite(tolerance) || tolerance < 0) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }
  if (Math.abs(nowMs - timestamp * 1000) > tolerance * 1000) {
    return { ok: false, reason: 'timestamp_out_of_tolerance' };
  }

  const offered = signatureHeader
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice('v1,'.length), 'utf8'));
  if (offered.length === 0) return { ok: false, reason: 'bad_signature' };

  for (const secret of opts.secrets ?? []) {
    const expected = expectedSignature(secret, id, timestamp, opts.rawBody);
    if (expected === null) continue;
    // Compare the base64 text, not decoded bytes: base64 has several spellings of the same bytes
    // (the last character's spare bits), and a signature we did not produce is not ours.
    if (offered.some((candidate) => sameBytes(candidate, expected))) {
      return { ok: true, id, timestamp };
    }
  }
  return { ok: false, reason: 'bad_signature' };
}

/** The base64 part of our `v1,` signature as bytes, or null when the secret is unusable. */
function expectedSignature(
  secret: unknown,
  id: string,
  timestamp: number,
  rawBody: string | Buffer,
): Buffer | null {
  if (typeof secret !== 'string') return null;
  let webhook: Webhook;
  try {
    webhook = new Webhook(secret);
  } catch {
    return null;
  }
  let signature: string;
  if (typeof rawBody === 'string' || (Buffer.isBuffer(rawBody) && isUtf8(rawBody))) {
    signature = webhook.sign(id, new Date(timestamp * 1000), rawBody);
  } else if (Buffer.isBuffer(rawBody)) {
    // Webhook.sign decodes a Buffer as UTF-8, which is lossy for invalid bytes (two different
    // bodies would share a signature). The spec signs the raw bytes, so do exactly that here.
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    signature =
      'v1,' +
      createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
  } else {
    return null;
  }
  return Buffer.from(signature.slice('v1,'.length), 'utf8');
}

/** A Date from any realm (`instanceof` fails across jest's or a vm's globals). */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  // timingSafeEqual throws on different lengths; the length of a valid signature is no secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

/** All values of a header, whatever the case of its name (HTTP names are case-insensitive). */
function headerValues(headers: VerifyWebhookOptions['headers'], name: string): string[] {
  const values: string[] = [];
  if (headers === null || typeof headers !== 'object') return values;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string') values.push(item);
    }
  }
  return values;
}

/** A header that must appear once: two different ids or timestamps make the message ambiguous. */
function singleHeader(headers: VerifyWebhookOptions['headers'], name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 1 && values[0] !== '' ? values[0] : null;
}

/**
 * The spec sends one header with space-separated signatures; if a client sent several header lines
 * and they arrive as an array, they form one list. (Node itself joins repeated lines with ", ",
 * which leaves a comma on an entry: such a signature does not match, as the spec would have it.)
 */
function joinedHeader(headers: VerifyWebhookOptions['headers'], name: string): string | null {
  // No trim: only spaces separate signatures, and a tab or newline glued to one spoils it.
  const joined = headerValues(headers, name).join(' ');
  return joined === '' ? null : joined;
}
