import multipart from '@fastify/multipart';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../errors/api-error';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route reads `multipart/form-data` itself (see {@link AcceptsMultipart}). */
    multipart?: boolean;
  }
}

/**
 * Marks an upload route: it takes `multipart/form-data` (read by its handler with
 * `request.parts()`, streamed) besides JSON. Every other route still answers 415 to it.
 */
export const AcceptsMultipart = () => RouteConfig({ multipart: true });

const MULTIPART = /^\s*multipart\/form-data\s*(;|$)/i;

/**
 * `@fastify/multipart` for the upload routes only. Its content type parser does not read the
 * body (the handler streams it), so the JSON body limit does not apply to it; each upload route
 * sets its own limits. A multipart body sent to any other route is refused before it is read, as
 * any other content type than JSON is (json-body.ts).
 */
export async function acceptMultipartOnUploadRoutes(app: NestFastifyApplication): Promise<void> {
  await app.register(multipart);
  const fastify: FastifyInstance = app.getHttpAdapter().getInstance();
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    const type = request.headers['content-type'];
    if (type !== undefined && MULTIPART.test(type) && !request.routeOptions.config?.multipart) {
      return done(
        new ApiError('unsupported_media_type', 'This route takes JSON bodies (application/json)'),
      );
    }
    done(null, payload);
  });
}
