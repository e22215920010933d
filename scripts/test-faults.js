#!/usr/bin/env node
// @ts-check
// `npm run test:faults`: builds the app, finds the PostgreSQL the tests use (as `npm test` does),
// then runs the fault tests (test/faults, jest.faults.config.js) one file at a time.
//
// The build goes to a directory of this run's own (.redress/faults-build, tsc with the same
// tsconfig.build.json as `npm run build`): the tests restart the app from it many times over a
// minute or more, and a `nest build` elsewhere meanwhile (it empties dist/ first) must not pull
// main.js from under a restart.
// jest runs in a process group of its own: whatever it leaves behind (an app process, if jest
// itself dies) is killed with it, and a throwaway PostgreSQL cluster left in the temp directory is
// stopped and removed.
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureTestDatabase } = require('./ensure-test-database');

// The throwaway clusters of this run (test/faults/support/postgres-cluster.ts names them).
const RUN = String(process.pid);
const BUILD_DIR = path.resolve(__dirname, '..', '.redress', 'faults-build');
const CLUSTER_DIR_PREFIX = `redress-faults-pg-${RUN}-`;

/** @param {number | undefined} pid a process group's leader */
function killGroup(pid) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is already empty
  }
}

function removeLeftClusters() {
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith(CLUSTER_DIR_PREFIX)) continue;
    const dir = path.join(os.tmpdir(), name);
    const data = path.join(dir, 'data');
    if (fs.existsSync(path.join(data, 'postmaster.pid'))) {
      const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      process.stderr.write(`test:faults: stopping a PostgreSQL left running in ${dir}\n`);
      // SIGQUIT is PostgreSQL's immediate shutdown: the postmaster ends its backends and exits.
      try {
        process.kill(pid, 'SIGQUIT');
      } catch {
        // already gone
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const env = { ...process.env, SCARF_ANALYTICS: 'false' };
  fs.rmSync(BUILD_DIR, { recursive: true, force: true });
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR], {
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  process.stdout.write(`test:faults: built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  const db = await ensureTestDatabase();
  const args = [
    'jest',
    '--config',
    'jest.faults.config.js',
    '--runInBand',
    ...process.argv.slice(2),
  ];
  const jest = spawn('npx', args, {
    stdio: 'inherit',
    detached: true,
    env: {
      ...env,
      TEST_DATABASE_URL: db.url,
      TEST_APP_MAIN: path.join(BUILD_DIR, 'src', 'main.js'),
      REDRESS_FAULTS_RUN: RUN,
    },
  });
  const forward = () => killGroup(jest.pid);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise(
    /** @param {(code: number) => void} resolve */
    (resolve) => jest.on('exit', (status, signal) => resolve(status ?? (signal ? 1 : 0))),
  );
  killGroup(jest.pid);
  removeLeftClusters();
  await db.stop();
  process.stdout.write(`test:faults: ${((Date.now() - started) / 1000).toFixed(1)} s in all\n`);
  process.exit(code);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
