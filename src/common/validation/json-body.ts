import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';

/**
 * Bodies are JSON only (api.md: "All bodies are JSON (UTF-8)"): this replaces every body parser
 * of the Fastify instance (Nest's adds form-urlencoded, Fastify's own text/plain) with one JSON
 * parser, so any other content type is 415 `unsupported_media_type` and changes nothing.
 *
 * The raw bytes stay on `request.rawBody`: supplier webhooks verify their signature over them.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance, bodyLimit: number): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest & { rawBody?: Buffer }, body: Buffer, done) => {
      request.rawBody = body;
      // Fastify's JSON parser takes the buffer as it is (secure-json-parse decodes it as UTF-8).
      void parse(request, body as unknown as string, (error: Error | null, value?: unknown) => {
        if (error) return done(error, undefined);
        const field = unstorableTextAt(body, value);
        if (field !== null) {
          return done(
            ApiError.validation([
              {
                field,
                problem:
                  'holds a NUL character (\\u0000) or a lone UTF-16 surrogate (\\ud800-\\udfff ' +
                  'unpaired), which is not text and cannot be stored',
              },
            ]),
            undefined,
          );
        }
        done(null, value);
      });
    },
  );
}

/**
 * The path (`payload.text`, `order.items.0.sku`, `body`) of the first string or key in `value`
 * that PostgreSQL cannot store as text or JSONB: one holding U+0000, or a lone surrogate (which
 * has no UTF-8 form). JSON can carry them only as `\u` escapes, so a body without `\u` is let
 * through without a walk.
 */
export function unstorableTextAt(raw: Buffer, value: unknown): string | null {
  if (!raw.includes('\\u')) return null;
  return walk(value, '');
}

function walk(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path || 'body';
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!isStorable(key)) return at;
    const found = walk(item, at);
    if (found !== null) return found;
  }
  return null;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isStorable(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}
