import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import { createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  server: Server;
  db: TestDatabase;
  config: AppConfig & { databaseUrl: string };
  close(): Promise<void>;
}

/** The real app on a fresh, migrated database of its own. */
export async function startTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = {
    ...loadConfig({}),
    logLevel: 'silent',
    schedulerEnabled: false,
    dispatcherEnabled: false,
    rateLimitPerSecond: 100_000,
    ...overrides,
    databaseUrl: db.url,
  };
  const app = await createApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    server: app.getHttpServer() as Server,
    db,
    config,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}
