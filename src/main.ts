import 'reflect-metadata';
import { createApp } from './app.factory';
import { ConfigError, loadConfig } from './config/app-config';
import { startEmbeddedDatabase } from './database/embedded-database';
import { runMigrations } from './database/migrate';

function say(message: string): void {
  process.stdout.write(`${JSON.stringify({ level: 30, time: Date.now(), msg: message })}\n`);
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`redress: configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedDatabase(config.dataDir, config.embeddedPostgresPort, say);
  const databaseUrl = config.databaseUrl ?? embedded!.url;

  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`applied migrations: ${applied.join(', ')}`);
  if (config.testClock) {
    process.stderr.write(
      'redress: WARNING: REDRESS_TEST_CLOCK=1: the test clock is on; never set it in production\n',
    );
  }

  const app = await createApp({ ...config, databaseUrl });
  await app.listen(config.port, config.host);
  say(`Redress listening on http://${config.host}:${config.port} (docs at /docs)`);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: shutting down`);
    void (async () => {
      await app.close().catch(() => undefined);
      await embedded?.stop().catch(() => undefined);
      process.exit(0);
    })();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `redress: failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
