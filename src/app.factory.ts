import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';
import type { FastifyInstance } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter';
import { clientErrorHandler, frameworkErrors } from './common/errors/framework-errors';
import { createValidationPipe } from './common/errors/validation';
import { acceptCsvImports } from './common/validation/csv-body';
import { acceptJsonBodiesOnly } from './common/validation/json-body';
import { acceptMultipartOnUploadRoutes } from './common/validation/multipart-body';
import { createLogger, NestPinoLogger, RequestLog } from './common/logging/logger';
import { settleIdempotentRequests } from './common/idempotency/idempotency.guard';
import { IdempotencyService } from './common/idempotency/idempotency.service';
import { capConnections, serverLimitOptions } from './common/network/server-limits';
import { serveWebPages } from './common/web/web-pages';
import { buildOpenApiDocument } from './common/openapi/openapi-document';

export const BODY_LIMIT_BYTES = 1024 * 1024;
/** The collections whose POST creates a resource readable at `<collection>/<id>`. */
const COLLECTIONS = new Set(['/v1/cases', '/v1/merchants', '/v1/suppliers', '/v1/orders']);

/**
 * `Location` of a resource a POST created (201 with an `id`), an idempotent replay included:
 * `/v1/cases/<id>`. Null for anything else.
 */
function createdLocation(method: string, url: string, status: number, payload: unknown) {
  if (method !== 'POST' || status !== 201 || typeof payload !== 'string') return null;
  const collection = url.split('?')[0].replace(/\/$/, '');
  if (!COLLECTIONS.has(collection)) return null;
  try {
    const { id } = JSON.parse(payload) as { id?: unknown };
    return typeof id === 'string' ? `${collection}/${id}` : null;
  } catch {
    return null;
  }
}
/**
 * helmet's security headers (CSP, nosniff, frame options, HSTS...) on every answer. helmet's
 * middleware is built once here and run in an `onRequest` hook: @fastify/helmet builds it again
 * on every request, a share of the app's CPU per event measured in BENCHMARKS.md ("Analysis").
 */
function setSecurityHeaders(fastify: FastifyInstance): void {
  const setHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The ops page is served over plain http on localhost in development.
        upgradeInsecureRequests: null,
      },
    },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, () => done());
  });
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Builds the whole HTTP application exactly as production runs it; main.ts and the e2e tests both
 * call this, so a test exercises the real helmet, body limit, filters, pipes and OpenAPI setup.
 */
export async function createApp(
  config: AppConfig & { databaseUrl: string },
): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLog(),
    bodyLimit: BODY_LIMIT_BYTES,
    ...serverLimitOptions(config),
    frameworkErrors,
    clientErrorHandler,
    // A caller's own x-request-id is kept (when sane) so its logs and ours line up.
    genReqId: (req: IncomingMessage) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  capConnections(adapter.getInstance().server, config.maxConnections);
  adapter.getInstance().addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', request.id);
    const location = createdLocation(request.method, request.url, reply.statusCode, payload);
    if (location) void reply.header('location', location);
    done(null, payload);
  });
  acceptJsonBodiesOnly(adapter.getInstance(), BODY_LIMIT_BYTES);
  acceptCsvImports(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    bodyParser: false, // acceptJsonBodiesOnly's parser, raw body included
    bufferLogs: true,
    abortOnError: false,
  });
  await acceptMultipartOnUploadRoutes(app);
  app.useLogger(new NestPinoLogger(logger));
  app.useGlobalFilters(new AllExceptionsFilter());
  app.useGlobalPipes(createValidationPipe());

  setSecurityHeaders(adapter.getInstance());
  settleIdempotentRequests(adapter.getInstance(), app.get(IdempotencyService));
  await serveWebPages(app);

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
