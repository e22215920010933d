import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { runMigrations } from '../../src/database/migrate';

/** The server the test launcher found (scripts/test.js sets it). */
export function adminUrl(): string {
  return process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool for assertions on the rows themselves. */
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh database for one test file, migrated with the real migrations. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `redress_test_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = withDatabase(adminUrl(), name);
  await runMigrations(url);
  const pool = new Pool({ connectionString: url, max: 4 });
  // DROP DATABASE ... WITH (FORCE) ends idle connections that pool.end() has not closed yet.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
