/**
 * Fields of an answer that hold a secret shown once (a new `rk_live_` API key, a `whsec_` webhook
 * secret). The one list: whatever stores an answer to send it again (the idempotency store) goes
 * through {@link withoutShownOnceSecrets}.
 */
export const SHOWN_ONCE_FIELDS = ['key', 'webhookSecret'] as const;

/**
 * The answer as it may be kept: each top-level secret field replaced by `null`, and
 * `secretShownOnce: true` when there was one, so a replay names the same resource without the
 * secret (hardening.md "Keys and secrets"). Anything else is returned as it is.
 */
export function withoutShownOnceSecrets(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  const held = SHOWN_ONCE_FIELDS.filter((field) => typeof record[field] === 'string');
  if (held.length === 0) return body;
  const kept: Record<string, unknown> = { ...record, secretShownOnce: true };
  for (const field of held) kept[field] = null;
  return kept;
}
