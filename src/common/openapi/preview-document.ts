import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../app.module';
import { loadConfig } from '../../config/app-config';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The document of the app built in Nest's preview mode: its modules and controllers are read,
 * no provider is created, so nothing connects to a database. For scripts/openapi.js, which
 * writes openapi.json on a fresh clone before any build or database.
 */
export async function previewDocument(): Promise<OpenAPIObject> {
  const config = { ...loadConfig({}), databaseUrl: 'postgres://preview.invalid/none' };
  const app = await NestFactory.create(AppModule.forRoot(config), new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}
