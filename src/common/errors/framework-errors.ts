import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error';

/**
 * Fastify answers a few requests itself, before any route or Nest filter runs: a path with a bad
 * `%` escape, a path parameter over its length limit, and (from Node's HTTP parser) oversized
 * headers, a request too slow to arrive, or bytes that are not HTTP. These hooks give those
 * answers the contract's error shape too (`{statusCode, error, message, ...}`).
 */

/** Fastify's `frameworkErrors` option: a path it cannot route. */
export function frameworkErrors(
  error: Error & { code?: string },
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const answer =
    error.code === 'FST_ERR_BAD_URL'
      ? ApiError.validation([{ field: 'path', problem: 'has a malformed % escape' }])
      : // FST_ERR_MAX_PARAM_LENGTH: no id of ours is that long, so it names nothing.
        ApiError.notFound('Resource');
  void reply.status(answer.status).type('application/json').send(answer.toBody());
}

/** Fastify's `clientErrorHandler` option: the connection could not carry a request. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new ApiError('headers_too_large', 'Request headers are larger than the server accepts')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError('request_timeout', 'The request did not arrive in time')
        : ApiError.validation([{ field: 'request', problem: 'is not a well-formed HTTP request' }]);
  const body = JSON.stringify(answer.toBody());
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
