import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

const UNLIMITED = /^\/(health|metrics|docs)(?:[/?-]|$)/;

/**
 * `REDRESS_RATE_LIMIT_PER_SECOND` requests per second per API key, across every route (anonymous
 * callers by IP). Registered after {@link ApiKeyGuard}, so the principal is known. Per instance.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    return UNLIMITED.test(context.switchToHttp().getRequest<FastifyRequest>().url);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as FastifyRequest;
    return request.principal ? `key:${request.principal.apiKeyId}` : `ip:${request.ip}`;
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
      `Too many requests for this API key: at most ${detail.limit} per second; retry in ${seconds} s`,
      {},
      { 'retry-after': String(seconds) },
    );
  }
}
