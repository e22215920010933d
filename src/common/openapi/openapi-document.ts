import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { completeDocument } from './complete-document';

const DESCRIPTION =
  'After-sales dispute workflow engine for dropshipping. Errors are ' +
  '`{statusCode, error, message, details?}` (the `Error` schema); every POST with an API key ' +
  'accepts `Idempotency-Key`. Bodies are JSON in UTF-8, not compressed (415 otherwise), at most ' +
  '1 MiB, 32 levels deep, each key once per object, numbers that parse to what was written ' +
  '(400 otherwise). Every answer carries `X-Request-Id` (yours when you send a sane one). ' +
  'Outbound notifications are under `x-webhooks`.';

/**
 * The OpenAPI document of an app: what the controllers' decorators say, completed by
 * {@link completeDocument}. Served at /docs-json, written to openapi.json by
 * `npm run client:generate` (scripts/openapi.js), which builds the app in preview mode (no
 * database) to read it.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Redress API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      // Opaque keys, not JWTs: DocumentBuilder's default format would say JWT.
      bearerFormat: undefined,
      description: 'An API key (`rk_live_...`): ops, merchant or supplier',
    })
    .build();
  return completeDocument(SwaggerModule.createDocument(app, config));
}
