#!/usr/bin/env node
// `npm run migrate`: runs pending migrations on DATABASE_URL, or on the embedded database.
require('reflect-metadata');
const { loadConfig, ConfigError } = require('../dist/src/config/app-config');
const { startEmbeddedDatabase } = require('../dist/src/database/embedded-database');
const { runMigrations } = require('../dist/src/database/migrate');

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`redress: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedDatabase(config.dataDir, config.embeddedPostgresPort, console.log);
  const applied = await runMigrations(config.databaseUrl ?? embedded.url);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  await embedded?.stop();
}

main().catch((error) => {
  console.error(`redress: migration failed: ${error.message}`);
  process.exit(1);
});
