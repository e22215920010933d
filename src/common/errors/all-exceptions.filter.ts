import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify';
import { IdempotentReplay } from '../idempotency/idempotency.guard';
import { ApiError, ErrorCode } from './api-error';
import { isDatabaseUnavailable } from './database-unavailable';

/** Fastify's own errors (raised before a handler runs) mapped to contract codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'validation_failed',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
};

const RETRY_SOON = { 'retry-after': '1' };

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * Turns anything thrown into an {@link ApiError}: a database that cannot be reached is a 503,
 * other unknown errors become a logged 500.
 */
export function toApiError(exception: unknown, logger?: FastifyBaseLogger): ApiError {
  if (exception instanceof ApiError) return exception;
  if (exception instanceof ThrottlerException) {
    return new ApiError(
      'rate_limited',
      'Too many requests for this API key; slow down',
      {},
      {
        'retry-after': '1',
      },
    );
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const code = STATUS_CODES[status];
    if (code) {
      const response = exception.getResponse();
      const message =
        typeof response === 'object' && response && 'message' in response
          ? String((response as { message: unknown }).message)
          : exception.message;
      if (code === 'validation_failed')
        return ApiError.validation([{ field: 'body', problem: message }], message);
      // /health's 503 (terminus): the database is down, so retry as for any other 503.
      if (code === 'service_unavailable') return new ApiError(code, message, {}, RETRY_SOON);
      return new ApiError(code, message);
    }
  }
  const fastifyError = exception as { code?: string; statusCode?: number; message?: string };
  if (fastifyError && typeof fastifyError.code === 'string' && FASTIFY_CODES[fastifyError.code]) {
    const code = FASTIFY_CODES[fastifyError.code];
    if (code === 'payload_too_large')
      return new ApiError(code, 'Request body is larger than 1 MiB');
    if (code === 'validation_failed') {
      const problem = fastifyError.message ?? 'is not valid JSON';
      return ApiError.validation(
        [{ field: 'body', problem }],
        `Request body is not valid JSON: ${problem}`,
      );
    }
    return new ApiError(code, fastifyError.message ?? code);
  }
  if (
    fastifyError &&
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const message = fastifyError.message ?? 'Bad request';
    const code = STATUS_CODES[fastifyError.statusCode] ?? 'validation_failed';
    if (code === 'validation_failed')
      return ApiError.validation([{ field: 'body', problem: message }], message);
    return new ApiError(code, message);
  }
  // The database is down or restarting: not the client's fault nor a bug; retry shortly.
  if (isDatabaseUnavailable(exception)) {
    logger?.warn(
      `database unavailable: ${exception instanceof Error ? exception.message : String(exception)}`,
    );
    return new ApiError(
      'service_unavailable',
      'The database is unavailable; retry shortly',
      {},
      RETRY_SOON,
    );
  }
  // A client must never see a database error or a stack: log it, answer a plain 500.
  logger?.error({ err: exception }, 'unhandled error');
  return new ApiError('internal_error', 'Internal error; it has been logged');
}

/**
 * The one filter: every error leaves in the contract's shape. (And an idempotent replay, which a
 * guard can only throw, leaves as the answer it replays.)
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (exception instanceof IdempotentReplay) {
      void reply
        .status(exception.status)
        .header('idempotent-replayed', 'true')
        .type('application/json')
        .send(exception.body);
      return;
    }
    // The request's own logger: the line carries its id (`reqId`).
    const error = toApiError(exception, host.switchToHttp().getRequest<FastifyRequest>().log);
    for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    void reply.status(error.status).type('application/json').send(error.toBody());
  }
}
