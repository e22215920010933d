import { ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

const UNLIMITED = /^\/(health|metrics|docs)(?:[/?-]|$)/;
const PATH_ID = 'redress:rate-limit-path-id';
/** Longer ids are cut: a bucket per made-up 8 KiB path would cost memory, not protection. */
const MAX_PATH_ID = 128;

/**
 * Counts a route's requests per id in its path (`@RateLimitPerPathId('supplierId')`) instead of
 * per caller. For the webhook receivers (supplier, Shopify, AfterShip): they carry no API key, and
 * a sender such as Shopify posts for many merchants from a few addresses, so one merchant's storm
 * must not use up the others' allowance, nor a rotating address dodge it.
 */
export const RateLimitPerPathId = (param: string) => SetMetadata(PATH_ID, param);

/**
 * `REDRESS_RATE_LIMIT_PER_SECOND` requests per second per bucket, across every route: one bucket
 * per API key, per path id on the routes marked {@link RateLimitPerPathId}, else per client
 * address (`request.ip`: the socket's, unless `REDRESS_TRUST_PROXY` names the proxies).
 * Registered after {@link ApiKeyGuard}, so the principal is known. Per instance.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNLIMITED.test(context.switchToHttp().getRequest<FastifyRequest>().url);
  }

  protected override async getTracker(
    req: Record<string, unknown>,
    context?: ExecutionContext,
  ): Promise<string> {
    const request = req as unknown as FastifyRequest;
    if (request.principal) return `key:${request.principal.apiKeyId}`;
    const param = context && this.reflector.get<string | undefined>(PATH_ID, context.getHandler());
    if (param) {
      const id = (request.params as Record<string, string | undefined>)[param] ?? '';
      return `path:${request.routeOptions.url}:${id.slice(0, MAX_PATH_ID)}`;
    }
    return `ip:${request.ip}`;
  }

  /** One bucket per caller for the whole API, not one per route. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${name}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    // timeToBlockExpire is in whole seconds (rounded up) in @nestjs/throttler v6.
    const seconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new ApiError(
      'rate_limited',
      `Too many requests ${whose(detail.tracker)}: at most ${detail.limit} per second; retry in ${seconds} s`,
      {},
      { 'retry-after': String(seconds) },
    );
  }
}

function whose(tracker: string): string {
  if (tracker.startsWith('key:')) return 'for this API key';
  if (tracker.startsWith('path:')) return 'for this endpoint';
  return 'from this address';
}
