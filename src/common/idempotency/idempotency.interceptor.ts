import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, concatMap, from, Observable, of } from 'rxjs';
import { isV1Url } from '../auth/auth.decorators';
import { ApiError } from '../errors/api-error';
import { toApiError } from '../errors/all-exceptions.filter';
import { IdempotencyService, requestHash } from './idempotency.service';

const HEADER = 'idempotency-key';

/**
 * Global: a POST under `/v1` with `Idempotency-Key` runs once per (API key, Idempotency-Key) within
 * 24 h; the same request again answers the stored status and body (`Idempotent-Replayed: true`).
 * 4xx refusals are stored too, so a replay answers the same; a 5xx lets go of the key so the client
 * may retry. Requests without a principal (signed supplier webhooks) are not covered.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly store: IdempotencyService) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const header = request.headers[HEADER];
    if (
      request.method !== 'POST' ||
      header === undefined ||
      !request.principal ||
      !isV1Url(request.url)
    ) {
      return next.handle();
    }
    if (typeof header !== 'string' || header.length < 1 || header.length > 255) {
      throw ApiError.validation([
        { field: 'Idempotency-Key', problem: 'must be one header of 1 to 255 characters' },
      ]);
    }
    const apiKeyId = request.principal.apiKeyId;
    const hash = requestHash(request.method, request.url, request.body);

    const claim = await this.store.begin(apiKeyId, header, hash);
    if (claim.kind === 'replay') {
      void reply.status(claim.status).header('idempotent-replayed', 'true');
      return of(claim.body);
    }

    return next.handle().pipe(
      // The status is read after the handler: @HttpCode (set before interceptors) or a handler's own.
      concatMap((body) => from(this.completed(request, apiKeyId, header, reply.statusCode, body))),
      catchError((error: unknown) => from(this.settleFailure(apiKeyId, header, hash, error))),
    );
  }

  /** The effect happened: a failure to store the response must not turn it into an error. */
  private async completed(
    request: FastifyRequest,
    apiKeyId: string,
    key: string,
    status: number,
    body: unknown,
  ): Promise<unknown> {
    try {
      await this.store.complete(apiKeyId, key, status, body);
    } catch (error) {
      request.log.error({ err: error }, 'Could not store the response for an Idempotency-Key');
    }
    return body;
  }

  private async settleFailure(
    apiKeyId: string,
    key: string,
    hash: string,
    error: unknown,
  ): Promise<never> {
    const apiError = toApiError(error);
    if (apiError.status < 500) {
      await this.store.complete(apiKeyId, key, apiError.status, apiError.toBody());
    } else {
      await this.store.release(apiKeyId, key, hash);
    }
    throw error;
  }
}
