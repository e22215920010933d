/**
 * One delivery attempt of an outbound notification: a signed POST (api.md "Outbound
 * notifications", signed the Standard Webhooks way, as suppliers sign theirs to us).
 *
 * The attempt's result is data, never an exception, so the outbox worker can record it and ask
 * `nextAttemptAt` when to try again. The URL policy (`checkWebhookUrl`) is the caller's to run
 * before each attempt; this module only refuses to follow redirects, which would slip past it.
 */
import { performance } from 'node:perf_hooks';
import { signPayload } from '../../webhooks/signature/webhook-signature';

/** How long one attempt may take, headers and body, before it counts as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

export interface PostSignedOptions {
  url: string;
  /** The `whsec_` secret of the receiving party. */
  secret: string;
  /**
   * Its other secrets still valid (a supplier's previous one, for 24 h after a rotation): the
   * message is signed with each too, space-separated in `webhook-signature` as Standard Webhooks
   * allows, so a receiver that has not switched to the new secret yet still verifies it.
   */
  alsoSignedWith?: readonly string[];
  /** The notification's id, the same on every attempt so that the receiver can deduplicate. */
  msgId: string;
  /** The JSON body, sent byte for byte as signed. */
  body: string;
  /** The server's clock (the test clock when it is on): gives `webhook-timestamp`. */
  now: Date;
  timeoutMs?: number;
}

export interface DeliveryAttempt {
  /** True only for a 2xx answer. */
  delivered: boolean;
  /** The HTTP status, or null when no answer came (timeout, refused connection, DNS failure). */
  status: number | null;
  /** Why it was not delivered, in words for the notification's history; null when delivered. */
  error: string | null;
  /** The receiver's `Retry-After` header, for `nextAttemptAt`. */
  retryAfter: string | null;
  /** Wall time the attempt took (real time, not the test clock: it measures the network). */
  durationMs: number;
}

/**
 * POSTs `body` to `url` with `content-type: application/json` and the Standard Webhooks headers
 * `webhook-id`, `webhook-timestamp` (unix seconds of `now`) and `webhook-signature`.
 *
 * Only a 2xx answer counts as delivered. Redirects are not followed (a 3xx is a failure): a public
 * URL could otherwise redirect the signed POST to an internal address. Never throws.
 */
export async function postSigned(opts: PostSignedOptions): Promise<DeliveryAttempt> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const failure = (error: string): DeliveryAttempt => ({
    delivered: false,
    status: null,
    error,
    retryAfter: null,
    durationMs: elapsed(),
  });

  let headers: Record<string, string>;
  try {
    const timestamp = Math.floor(opts.now.getTime() / 1000);
    headers = {
      'content-type': 'application/json',
      'user-agent': 'Redress-Webhooks/1',
      'webhook-id': opts.msgId,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': [opts.secret, ...(opts.alsoSignedWith ?? [])]
        .map((secret) => signPayload(secret, opts.msgId, timestamp, opts.body))
        .join(' '),
    };
  } catch (error) {
    return failure(`could not sign the message: ${messageOf(error)}`);
  }

  try {
    const response = await fetch(opts.url, {
      method: 'POST',
      headers,
      body: opts.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The answer's body is of no use to us; dropping it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const delivered = response.status >= 200 && response.status < 300;
    return {
      delivered,
      status: response.status,
      error: delivered ? null : describeStatus(response.status),
      retryAfter: response.headers.get('retry-after'),
      durationMs: elapsed(),
    };
  } catch (error) {
    if (isTimeout(error)) return failure(`no answer within ${timeoutMs} ms`);
    return failure(describeNetworkError(error));
  }
}

function describeStatus(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status} (redirects are not followed)`;
  return `HTTP ${status}`;
}

// Duck-typed, not `instanceof Error`: fetch's errors come from Node's own realm, which is not the
// realm of `Error` under jest (and need not be elsewhere).
function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** `fetch failed` says nothing; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) is what helps. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const code = (cause as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `${messageOf(error)}: ${code}`;
  if (cause !== undefined && cause !== null) return `${messageOf(error)}: ${messageOf(cause)}`;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
