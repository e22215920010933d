import { createHash } from 'node:crypto';
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isV1Url } from '../auth/auth.decorators';
import { ApiError } from '../errors/api-error';
import { withoutShownOnceSecrets } from '../secrets/shown-once';
import { IdempotencyService, requestHash } from './idempotency.service';

const HEADER = 'idempotency-key';

/** The claim a request holds on its `Idempotency-Key` until its answer is settled. */
interface HeldKey {
  callerId: string;
  key: string;
  hash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: HeldKey;
  }
}

/** The routes whose credential is a link's token in the path (collaboration.md, evidence.md). */
const LINK_ROUTE = /^\/v1\/(portal|buyer)\/([^/?#]+)\//;

/**
 * The caller of a link route, for scoping its keys: a uuid derived from the link's token (never
 * the token, which is a credential). An unknown token's request answers 404 and is stored as such.
 */
export function linkCaller(url: string): string | null {
  const match = LINK_ROUTE.exec(url);
  if (!match) return null;
  const hex = createHash('sha256').update(`idempotency:${match[1]}:${match[2]}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Thrown by {@link IdempotencyGuard} when the key already has an answer: the errors filter sends
 * that answer as it was (`Idempotent-Replayed: true`), and the handler does not run. Not an error,
 * but a guard can only let a request through or throw.
 */
export class IdempotentReplay extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('Idempotent replay');
  }
}

/**
 * `Idempotency-Key` on a POST under `/v1` (api.md "Idempotency and concurrency"): the request runs
 * once per (API key, Idempotency-Key) within 24 h, and the same request again answers the stored
 * status and body. 4xx answers are stored too, so a replay answers the same; a 5xx lets go of the
 * key so the client may retry. Keys are scoped to their caller: the API key, or on the link routes
 * the link ({@link linkCaller}). Signed webhooks (no caller) are not covered: they dedupe on
 * their own delivery ids.
 *
 * Two halves: this guard, global and after the API key guard (it needs the principal), claims the
 * key or replays its answer; {@link settleIdempotentRequests}, a Fastify `onSend` hook, stores the
 * answer (or lets go of the key) before it leaves. Not a Nest interceptor: any interceptor puts
 * every request of every route through Nest's rxjs interceptor chain, a share of the app's CPU per
 * event measured in BENCHMARKS.md ("Analysis"), for the few requests that carry the header.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(private readonly store: IdempotencyService) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const header = request.headers[HEADER];
    if (request.method !== 'POST' || header === undefined || !isV1Url(request.url)) return true;
    const callerId = request.principal?.apiKeyId ?? linkCaller(request.url);
    if (!callerId) return true;
    if (typeof header !== 'string' || header.length < 1 || header.length > 255) {
      throw ApiError.validation([
        { field: 'Idempotency-Key', problem: 'must be one header of 1 to 255 characters' },
      ]);
    }
    return this.claim(request, callerId, header);
  }

  private async claim(request: FastifyRequest, callerId: string, key: string): Promise<boolean> {
    const hash = requestHash(request.method, request.url, request.body);
    const claim = await this.store.begin(callerId, key, hash);
    if (claim.kind === 'replay') throw new IdempotentReplay(claim.status, claim.body);
    request.idempotency = { callerId, key, hash };
    return true;
  }
}

/**
 * The second half of {@link IdempotencyGuard}: once a request that claimed a key has its answer,
 * stores it (a 2xx or 4xx) or lets go of the key (a 5xx) before the answer leaves, so that the
 * client's next try finds it. A failure to store is logged, and the answer still leaves: the
 * effect happened.
 */
export function settleIdempotentRequests(fastify: FastifyInstance, store: IdempotencyService) {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const held = request.idempotency;
    if (!held) return done(null, payload);
    request.idempotency = undefined;
    const status = reply.statusCode;
    const settled =
      status >= 500
        ? store.release(held.callerId, held.key, held.hash)
        : store.complete(held.callerId, held.key, status, storedBody(payload));
    settled.then(
      () => done(null, payload),
      (error: unknown) => {
        request.log.error({ err: error }, 'Could not settle an Idempotency-Key');
        done(null, payload);
      },
    );
  });
}

/**
 * The answer's JSON as sent (every answer of a POST under `/v1` is JSON), without the secrets it
 * showed once: the store keeps no secret in plain text, so a replay answers `null` in their place.
 */
function storedBody(payload: unknown): unknown {
  if (typeof payload !== 'string') return null;
  try {
    return withoutShownOnceSecrets(JSON.parse(payload) as unknown);
  } catch {
    return null;
  }
}
