/**
 * One delivery attempt of an outbound notification: a signed POST (api.md "Outbound
 * notifications", signed the Standard Webhooks way, as suppliers sign theirs to us).
 *
 * The attempt's result is data, never an exception, so the outbox worker can record it and ask
 * `nextAttemptAt` when to try again. The URL policy (`checkWebhookUrl`) is the caller's to run
 * before each attempt: it hands over the {@link WebhookTarget} this module connects to, and
 * nowhere else (no second DNS lookup, no redirect followed).
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { signPayload } from '../../webhooks/signature/webhook-signature';
import type { WebhookTarget } from './webhook-url-policy';

/** How long one attempt may take, headers and body, before it counts as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 15_000;

export interface PostSignedOptions {
  /** What `checkWebhookUrl` accepted: the URL and the address checked for it. */
  target: WebhookTarget;
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
 * The connection goes to `target.address` whatever DNS says now; TLS still checks the certificate
 * for the URL's host name, which is also the SNI and `Host`. Only a 2xx answer counts as delivered.
 * Redirects are not followed (a 3xx is a failure): a public URL could otherwise redirect the
 * signed POST to an internal address. One connection per attempt (no pooled socket whose address
 * was checked for another attempt). Never throws.
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
    const answer = await send(opts.target, headers, opts.body, timeoutMs);
    const delivered = answer.status >= 200 && answer.status < 300;
    return {
      delivered,
      status: answer.status,
      error: delivered ? null : describeStatus(answer.status),
      retryAfter: answer.retryAfter,
      durationMs: elapsed(),
    };
  } catch (error) {
    if (isTimeout(error)) return failure(`no answer within ${timeoutMs} ms`);
    return failure(describeNetworkError(error));
  }
}

/** A `lookup` for the socket that answers the checked address, for any name it is asked. */
export function pinnedLookup(target: WebhookTarget): LookupFunction {
  return (_hostname, options, callback) => {
    const { address, family } = target;
    if (options.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** One POST on a fresh connection to the pinned address; resolves once the status line is in. */
function send(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<{ status: number; retryAfter: string | null }> {
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target.url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      lookup: pinnedLookup(target),
      signal: AbortSignal.timeout(timeoutMs),
    });
    request.once('error', reject);
    request.once('response', (response) => {
      const retryAfter = response.headers['retry-after'];
      // The answer's body is of no use to us; dropping it frees the connection.
      response.destroy();
      resolve({ status: response.statusCode ?? 0, retryAfter: retryAfter ?? null });
    });
    request.end(body);
  });
}

function describeStatus(status: number): string {
  if (status >= 300 && status < 400) return `HTTP ${status} (redirects are not followed)`;
  return `HTTP ${status}`;
}

// Duck-typed, not `instanceof Error`: Node's errors come from its own realm, which is not the
// realm of `Error` under jest (and need not be elsewhere).
function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** The code (ECONNREFUSED, ECONNRESET, a TLS error's) is what helps whoever reads the history. */
function describeNetworkError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `connection failed: ${code} (${messageOf(error)})`;
  return `connection failed: ${messageOf(error)}`;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
