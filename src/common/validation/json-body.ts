import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../errors/api-error';
import { parseStrictJson } from './strict-json';

/**
 * Bodies are JSON only (api.md: "All bodies are JSON (UTF-8)"): this replaces every body parser
 * of the Fastify instance (Nest's adds form-urlencoded, Fastify's own text/plain) with one strict
 * JSON parser ({@link parseStrictJson}), so any other content type is 415
 * `unsupported_media_type` and changes nothing, and so is a body in another charset or under a
 * `Content-Encoding` (gzip...): Redress reads bytes as they come, it does not inflate them.
 *
 * The raw bytes stay on `request.rawBody`: supplier webhooks verify their signature over them.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  // Before the body is read: a compressed body is refused without reading it.
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && !isIdentity(encoding)) {
      return done(
        new ApiError(
          'unsupported_media_type',
          'Content-Encoding must be identity (or absent): compressed bodies are not accepted',
        ),
      );
    }
    done(null, payload);
  });
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    (request: FastifyRequest & { rawBody?: Buffer }, body: Buffer, done) => {
      request.rawBody = body;
      if (!isUtf8Charset(request.headers['content-type'])) {
        return done(
          new ApiError('unsupported_media_type', 'JSON bodies must be UTF-8 (charset=utf-8)'),
          undefined,
        );
      }
      const parsed = parseStrictJson(body);
      if (!parsed.ok) {
        if (!isSendersBigId(request.url, parsed.problem.problem))
          return done(ApiError.validation([parsed.problem]), undefined);
        // Shopify's ids are 64-bit integers: its payloads are taken as they are (ids read as
        // doubles, consistently), the signature being checked over the raw bytes anyway.
        return done(null, JSON.parse(body.toString('utf8')) as unknown);
      }
      const field = unstorableTextAt(body, parsed.value);
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
      done(null, parsed.value);
    },
  );
}

/** A sender's webhook (intake.md) whose only fault is a 64-bit integer id. */
function isSendersBigId(url: string, problem: string): boolean {
  return url.startsWith('/v1/integrations/') && problem.includes('integer too large');
}

/** `identity`, in any case, possibly listed more than once (`identity, identity`). */
function isIdentity(encoding: string | string[]): boolean {
  const values = Array.isArray(encoding) ? encoding.join(',') : encoding;
  return values.split(',').every((token) => token.trim().toLowerCase() === 'identity');
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)/i;

/** No charset parameter (JSON is UTF-8 by definition), or `utf-8`. */
function isUtf8Charset(contentType: string | undefined): boolean {
  const charset = contentType === undefined ? undefined : CHARSET.exec(contentType)?.[1];
  return charset === undefined || /^utf-?8$/i.test(charset);
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
