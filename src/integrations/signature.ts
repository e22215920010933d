import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Whether `header` is the base64 HMAC-SHA256 of the raw body keyed with `secret`: how Shopify
 * (`X-Shopify-Hmac-Sha256`) and AfterShip (`aftership-hmac-sha256`) both sign their webhooks.
 * Over the bytes as received (never a re-serialised body), compared in constant time.
 */
export function verifyBase64Hmac(
  rawBody: Buffer | string | undefined,
  header: string | string[] | undefined,
  secret: string,
): boolean {
  if (rawBody === undefined || typeof header !== 'string' || header.length === 0) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  const given = Buffer.from(header.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Signs a body as those senders do (tests, the bench). */
export function signBase64Hmac(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}
