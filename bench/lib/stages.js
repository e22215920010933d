// @ts-check
// The measurements of `npm run bench`, one function each, in the order scripts/bench.js runs them:
// workflows, events, round trips per request, CPU profile, timers, growth. Each starts what it
// needs (an app process, a proxy, a child bench) and stops it before returning.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { api, seed, warmUp } = require('../events.bench');
const { run, runGenerator } = require('./child');
const { startPgProxy } = require('../pg-proxy');
const { startApp } = require('../app-process');
const { BENCH_OPS_KEY, ROOT, createDatabase, dropDatabase } = require('./database');
const { summarizeProfileFile } = require('./profile');
const { parseJson } = require('./untyped');

/**
 * @typedef {import('./args').BenchOptions} BenchOptions
 * @typedef {import('./results').RoundTrips} RoundTrips
 * @typedef {import('./results').EventsLoad} EventsLoad
 * @typedef {{ status: number, body: unknown }} ApiAnswer
 */

const PGBENCH = process.env.BENCH_PGBENCH || '/usr/lib/postgresql/15/bin/pgbench';

/** @param {string} message */
const log = (message) => process.stderr.write(`[bench] ${message}\n`);

/**
 * The built app with the bench settings and the bench ops key; resolves once healthy.
 * @param {string} databaseUrl
 * @param {string[]} [nodeArgs]
 */
function startBenchApp(databaseUrl, nodeArgs = []) {
  return startApp({ databaseUrl, opsKey: BENCH_OPS_KEY, nodeArgs });
}

/**
 * The JSON object a child bench printed, from its first `{` on.
 * @param {string} stdout
 */
function lastJson(stdout) {
  return parseJson(stdout.slice(stdout.indexOf('{')));
}

/** pgbench's version line, for the machine description. */
function pgbenchVersion() {
  return spawnSync(PGBENCH, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/**
 * bench/workflows.bench.ts under ts-node, `runs` times.
 * @param {BenchOptions} opts
 * @returns {Promise<import('./results').WorkflowsRun[]>}
 */
async function workflows(opts) {
  const out = [];
  for (let i = 0; i < opts.runs; i++) {
    const res = spawnSync(
      'npx',
      ['ts-node', '--transpile-only', '-P', 'tsconfig.json', 'bench/workflows.bench.ts'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
    );
    if (res.status !== 0) throw new Error(`workflows bench failed: ${res.stderr}`);
    const r = /** @type {import('./results').WorkflowsRun} */ (lastJson(res.stdout));
    log(`workflows run ${i + 1}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/**
 * bench/events.bench.js against a running app, `runs` times.
 * @param {BenchOptions} opts
 * @param {{ url: string, pid?: number }} app
 * @param {string} databaseUrl
 * @returns {Promise<import('./results').EventsRun[]>}
 */
async function events(opts, app, databaseUrl) {
  const out = [];
  for (let i = 0; i < opts.runs; i++) {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/events.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_URL: app.url,
        BENCH_APP_PID: String(app.pid),
        BENCH_OPS_KEY,
        BENCH_DATABASE_URL: databaseUrl,
        BENCH_CASES: String(opts.cases),
        BENCH_CONNECTIONS: String(opts.connections),
        BENCH_DURATION: String(opts.duration),
        BENCH_PGBENCH: PGBENCH,
        BENCH_TAG: `run${i + 1}`,
      },
    });
    const r = /** @type {import('./results').EventsRun} */ (lastJson(stdout));
    log(`events run ${i + 1}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/**
 * Round trips and statements per request kind, from a proxied app, one request at a time.
 * @param {string} databaseUrl
 * @returns {Promise<Record<string, RoundTrips>>}
 */
async function roundTrips(databaseUrl) {
  const target = new URL(databaseUrl);
  const socketDir = target.searchParams.get('host'); // a Unix socket directory, if given
  const proxy = await startPgProxy(
    socketDir
      ? { path: `${socketDir}/.s.PGSQL.${target.port || 5432}` }
      : { host: target.hostname, port: Number(target.port || 5432) },
  );
  const proxied = new URL(databaseUrl);
  proxied.searchParams.delete('host');
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const app = await startBenchApp(proxied.toString());
  try {
    const client = api(app.url);
    const seeded = await seed(client, BENCH_OPS_KEY, 40, 'roundtrips');
    /** @type {Record<string, RoundTrips>} */
    const kinds = {};
    /**
     * @param {string} name
     * @param {number} n
     * @param {(i: number) => Promise<ApiAnswer>} fn
     */
    const measure = async (name, n, fn) => {
      await fn(0); // the API key cache is warm, the pool connected
      const before = proxy.snapshot();
      for (let i = 1; i <= n; i++) {
        const res = await fn(i);
        if (res.status !== 200)
          throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const after = proxy.snapshot();
      const statements = [];
      for (const [sql, count] of after.byStatement) {
        const d = count - (before.byStatement.get(sql) || 0);
        if (d > 0) statements.push({ sql, perRequest: Math.round((d / n) * 100) / 100 });
      }
      kinds[name] = {
        roundTrips: Math.round(((after.roundTrips - before.roundTrips) / n) * 100) / 100,
        statements: Math.round(((after.statements - before.statements) / n) * 100) / 100,
        detail: statements,
      };
    };
    const notes = seeded.notes;
    const oos = seeded.fresh.filter((c) => c.type === 'out_of_stock');
    const over = seeded.fresh.filter((c) => c.type === 'oversize');
    await measure('NOTE', 50, (i) =>
      client.event(notes[i % notes.length].key, notes[i % notes.length].id, 'NOTE', { text: 'x' }),
    );
    // A message is one event too: its entry, and the notification to the other side.
    await measure('MESSAGE', 50, (i) =>
      client.event(notes[i % notes.length].key, notes[i % notes.length].id, 'MESSAGE', {
        text: 'x',
      }),
    );
    const m = Math.min(oos.length, over.length) - 1;
    await measure('REQUEST_REFUND', m, (i) =>
      client.event(oos[i].key, oos[i].id, 'REQUEST_REFUND'),
    );
    await measure('REFUNDED (closes)', m, (i) =>
      client.event(BENCH_OPS_KEY, oos[i].id, 'REFUNDED', { amount: '39.98', currency: 'EUR' }),
    );
    return kinds;
  } finally {
    await app.stop();
    await proxy.close();
  }
}

/**
 * A third app under `node --cpu-prof` with the events load for 10 s; the profile's summary over
 * the load's window.
 * @param {BenchOptions} opts
 * @param {string} databaseUrl
 * @returns {Promise<import('./results').ProfileResult>}
 */
async function profile(opts, databaseUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-prof-'));
  const app = await startBenchApp(databaseUrl, ['--cpu-prof', '--cpu-prof-dir', dir]);
  /** @type {EventsLoad} */
  let load;
  /** @type {[number, number] | null} */
  let window = null;
  try {
    const client = api(app.url);
    const seeded = await seed(client, BENCH_OPS_KEY, 400, 'profile');
    await warmUp(client, seeded.notes);
    const from = Number(process.hrtime.bigint() / 1000n) + 1_000_000; // skip the first second
    load = /** @type {EventsLoad} */ (
      await runGenerator('events-load.js', {
        url: app.url,
        opsKey: BENCH_OPS_KEY,
        connections: opts.connections,
        duration: 10,
        transitionEvery: 10,
        notes: seeded.notes,
        fresh: seeded.fresh,
      })
    );
    window = [from, Number(process.hrtime.bigint() / 1000n) - 500_000];
  } finally {
    await app.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const summary = summarizeProfileFile(path.join(dir, file), window);
  fs.rmSync(dir, { recursive: true, force: true });
  return { load, ...summary };
}

/**
 * bench/timers.bench.js in its own process, on a fresh database of its own (dropped after).
 * @param {BenchOptions} opts
 * @param {import('pg').Client} admin
 * @param {string} adminUrl
 * @returns {Promise<import('./results').TimersResult>}
 */
async function timers(opts, admin, adminUrl) {
  const db = await createDatabase(admin, adminUrl, 'redress_bench_timers');
  log(`timers: database ${db.name}, ${opts.timers} timers per measurement`);
  try {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/timers.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_DATABASE_URL: db.url,
        BENCH_OPS_KEY,
        BENCH_TIMERS: String(opts.timers),
        BENCH_RUNS: String(opts.runs),
      },
    });
    const r = /** @type {import('./results').TimersResult} */ (lastJson(stdout));
    log(`timers: ${JSON.stringify(r)}`);
    return r;
  } finally {
    await dropDatabase(admin, db.name, log);
  }
}

/**
 * bench/growth.bench.js in its own process (its log shown as it comes); it creates and drops a
 * database of its own.
 * @param {BenchOptions} opts
 * @param {string} adminUrl
 * @returns {Promise<import('./results').GrowthResult>}
 */
async function growth(opts, adminUrl) {
  log(`growth: levels ${opts.growth.join(', ')}`);
  const { stdout } = await run(
    process.execPath,
    [
      path.join(ROOT, 'bench/growth.bench.js'),
      `--levels=${opts.growth.join(',')}`,
      `--duration=${opts.duration}`,
      `--connections=${opts.connections}`,
      `--runs=${opts.runs}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TEST_DATABASE_URL: adminUrl, BENCH_OPS_KEY },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const r = /** @type {import('./results').GrowthResult} */ (
    parseJson(stdout.trim().split('\n').pop() ?? '')
  );
  log(`growth: ${JSON.stringify(r.costPerEvent)} ${JSON.stringify(r.export)}`);
  return r;
}

/**
 * Tracking webhooks per second beside the event rate (intake.md, QUALITY.md: at least 2x), on the
 * same app, `runs` times each: bench/events.bench.js, then bench/tracking.bench.js.
 * @param {BenchOptions} opts
 * @param {{ url: string, pid: number | undefined }} app
 * @param {string} databaseUrl
 * @returns {Promise<{ eventsPerSec: number[], trackingPerSec: number[], trackingP99Ms: number[], trackingNon2xx: number[] }>}
 */
async function tracking(opts, app, databaseUrl) {
  const eventRuns = await events(opts, /** @type {any} */ (app), databaseUrl);
  /** @type {{ trackingPerSec: number[], trackingP99Ms: number[], trackingNon2xx: number[] }} */
  const out = { trackingPerSec: [], trackingP99Ms: [], trackingNon2xx: [] };
  for (let i = 0; i < opts.runs; i++) {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/tracking.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_URL: app.url,
        BENCH_OPS_KEY,
        BENCH_CONNECTIONS: String(opts.connections),
        BENCH_DURATION: String(opts.duration),
      },
    });
    const r = /** @type {{ perSecond: number, latencyMs: { p99: number }, non2xx: number }} */ (
      lastJson(stdout)
    );
    log(`tracking run ${i + 1}: ${JSON.stringify(r)}`);
    out.trackingPerSec.push(r.perSecond);
    out.trackingP99Ms.push(r.latencyMs.p99);
    out.trackingNon2xx.push(r.non2xx);
  }
  return { eventsPerSec: eventRuns.map((r) => r.http.eventsPerSec), ...out };
}

/**
 * bench/evidence.bench.js in its own process, on a fresh database of its own (dropped after).
 * @param {BenchOptions} opts
 * @param {import('pg').Client} admin
 * @param {string} adminUrl
 * @returns {Promise<import('./results').EvidenceResult>}
 */
async function evidence(opts, admin, adminUrl) {
  const db = await createDatabase(admin, adminUrl, 'redress_bench_evidence');
  log(`evidence: database ${db.name}`);
  try {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/evidence.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_DATABASE_URL: db.url,
        BENCH_RUNS: String(opts.runs),
        BENCH_DURATION: String(opts.duration),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    return /** @type {import('./results').EvidenceResult} */ (
      parseJson(stdout.trim().split('\n').pop() ?? '')
    );
  } finally {
    await dropDatabase(admin, db.name, log);
  }
}

module.exports = {
  events,
  tracking,
  evidence,
  growth,
  log,
  pgbenchVersion,
  profile,
  roundTrips,
  startBenchApp,
  timers,
  workflows,
};
