import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

/** The routes that take a `text/csv` body (every other route stays JSON only: 415). */
const CSV_ROUTES = new Set(['/v1/orders/import']);
/** An import of 10,000 order lines is about 1.5 MiB; this leaves room for ten times that. */
export const CSV_BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * `text/csv` in UTF-8 for the order import (intake.md), as a string; on any other route the type
 * is refused as before (see json-body.ts).
 */
export function acceptCsvImports(fastify: FastifyInstance): void {
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT_BYTES },
    (request: FastifyRequest, body: Buffer, done) => {
      const route = request.url.split('?')[0].replace(/\/$/, '');
      if (!CSV_ROUTES.has(route)) {
        return done(
          new ApiError('unsupported_media_type', 'Bodies are JSON (application/json)'),
          undefined,
        );
      }
      const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
      if (text.includes('\uFFFD') || text.includes('\u0000')) {
        return done(
          ApiError.validation([{ field: 'body', problem: 'must be UTF-8 text without NUL' }]),
          undefined,
        );
      }
      done(null, text);
    },
  );
}
