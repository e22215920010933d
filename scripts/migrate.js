#!/usr/bin/env node
// @ts-check
// `npm run migrate`: runs pending migrations on DATABASE_URL, or on the embedded database.
require('reflect-metadata');
const path = require('node:path');

// The built app's modules, typed by their sources (required by path: the check reads src/).
const DIST = path.resolve(__dirname, '..', 'dist', 'src');
/**
 * @param {string} module
 * @returns {unknown}
 */
const built = (module) => require(path.join(DIST, module));
const { loadConfig, ConfigError } = /** @type {typeof import('../src/config/app-config')} */ (
  built('config/app-config')
);
const { startEmbeddedDatabase } =
  /** @type {typeof import('../src/database/embedded-database')} */ (
    built('database/embedded-database')
  );
const { runMigrations } = /** @type {typeof import('../src/database/migrate')} */ (
  built('database/migrate')
);

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
  /** @param {string[]} applied */
  const report = (applied) =>
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  if (config.databaseUrl) {
    report(await runMigrations(config.databaseUrl));
    return;
  }
  const embedded = await startEmbeddedDatabase(
    config.dataDir,
    config.embeddedPostgresPort,
    console.log,
  );
  report(await runMigrations(embedded.url));
  await embedded.stop();
}

main().catch((/** @type {Error} */ error) => {
  console.error(`redress: migration failed: ${error.message}`);
  process.exit(1);
});
