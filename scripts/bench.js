#!/usr/bin/env node
// `npm run bench`: the benchmarks in bench/, three runs each, medians written to BENCHMARKS.md.
//
// Builds the app if dist/ is missing; creates a fresh database redress_bench_<ts> on the local
// PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres); starts the
// built app as its own process against it (free port, rate limit raised, logs, scheduler and
// dispatcher off); runs:
//   1. workflows: bench/workflows.bench.ts (ts-node), pure machine throughput on one core;
//   2. events: bench/events.bench.js (seeding through the API, autocannon in its own process,
//      pgbench with the same SQL against the same database);
//   3. round trips per request: a second app instance behind a counting proxy (bench/pg-proxy.js),
//      sequential requests, never timed;
//   4. profile: a third instance under `node --cpu-prof` with the same load (skip: --no-profile);
//   5. timers: bench/timers.bench.js, once, in its own process on its own fresh database (it starts
//      1, then 2 app instances with the scheduler on, and times the drain of --timers=N due
//      timers; --timers=0 skips it);
//   6. growth: bench/growth.bench.js, once, in its own process on its own fresh database: events,
//      reads and the app's RSS at each --growth level (cases in total, grown by SQL copies), and
//      the full audit export at the largest (--growth=0 skips it);
// then drops the databases and writes the tables between the markers in BENCHMARKS.md (the timers
// and growth tables between their own markers, so `--only=timers` / `--only=growth` rewrites one
// alone).
//
// Options: --runs=3 --duration=15 --cases=10000 --connections=16 --timers=100000
// --growth=10000,100000,1000000 --only=timers|growth --no-profile --no-write
// --from-json=FILE re-renders the table from the JSON line a previous run printed last.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { api, seed, run, warmUp } = require('../bench/events.bench');
const { startPgProxy } = require('../bench/pg-proxy');
const { startApp: startProcess } = require('../bench/app-process');
const { render: renderGrowthTable, DEFAULT_LEVELS } = require('../bench/growth.bench');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const OPS_KEY = 'rk_bench_bootstrap_ops_key_0123456789abcdef0123';
const PGBENCH = process.env.BENCH_PGBENCH || '/usr/lib/postgresql/15/bin/pgbench';
const BEGIN = '<!-- bench:results:begin (written by `npm run bench`; edits inside are lost) -->';
const END = '<!-- bench:results:end -->';
const TIMERS_BEGIN =
  '<!-- bench:timers:begin (written by `npm run bench`; edits inside are lost) -->';
const TIMERS_END = '<!-- bench:timers:end -->';
const GROWTH_BEGIN =
  '<!-- bench:growth:begin (written by `npm run bench`; edits inside are lost) -->';
const GROWTH_END = '<!-- bench:growth:end -->';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1]) : fallback;
};
const RUNS = opt('runs', 3);
const DURATION = opt('duration', 15);
const CASES = opt('cases', 10000);
const CONNECTIONS = opt('connections', 16);
const TIMERS = opt('timers', 100000);
const ONLY_TIMERS = argv.includes('--only=timers');
const ONLY_GROWTH = argv.includes('--only=growth');
/** Cases in total at each growth step; `--growth=0` skips the growth bench. */
const GROWTH = (() => {
  const hit = argv.find((a) => a.startsWith('--growth='));
  if (!hit) return DEFAULT_LEVELS;
  return hit
    .slice('--growth='.length)
    .split(',')
    .map(Number)
    .filter((n) => n > 0);
})();
const PROFILE = !argv.includes('--no-profile');
const WRITE = !argv.includes('--no-write');

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const median = (values) => {
  const sorted = values
    .filter((v) => typeof v === 'number' && !Number.isNaN(v))
    .sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts dist/src/main.js; resolves when /health answers 200. */
function startApp(databaseUrl, nodeArgs = []) {
  return startProcess({ databaseUrl, opsKey: OPS_KEY, nodeArgs });
}

function lastJson(stdout) {
  const start = stdout.indexOf('{');
  return JSON.parse(stdout.slice(start));
}

async function workflows() {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const res = spawnSync(
      'npx',
      ['ts-node', '--transpile-only', '-P', 'tsconfig.json', 'bench/workflows.bench.ts'],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' } },
    );
    if (res.status !== 0) throw new Error(`workflows bench failed: ${res.stderr}`);
    const r = lastJson(res.stdout);
    log(`workflows run ${i + 1}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

async function events(app, databaseUrl) {
  const out = [];
  for (let i = 0; i < RUNS; i++) {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/events.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_URL: app.url,
        BENCH_APP_PID: String(app.pid),
        BENCH_OPS_KEY: OPS_KEY,
        BENCH_DATABASE_URL: databaseUrl,
        BENCH_CASES: String(CASES),
        BENCH_CONNECTIONS: String(CONNECTIONS),
        BENCH_DURATION: String(DURATION),
        BENCH_PGBENCH: PGBENCH,
        BENCH_TAG: `run${i + 1}`,
      },
    });
    const r = lastJson(stdout);
    log(`events run ${i + 1}: ${JSON.stringify(r)}`);
    out.push(r);
  }
  return out;
}

/** Round trips and statements per request kind, from a proxied app, one request at a time. */
async function roundTrips(adminUrl, databaseUrl) {
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
  const app = await startApp(proxied.toString());
  try {
    const client = api(app.url);
    const seeded = await seed(client, OPS_KEY, 40, 'roundtrips');
    const kinds = {};
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
    const m = Math.min(oos.length, over.length) - 1;
    await measure('REQUEST_REFUND', m, (i) =>
      client.event(oos[i].key, oos[i].id, 'REQUEST_REFUND'),
    );
    await measure('REFUNDED (closes)', m, (i) =>
      client.event(OPS_KEY, oos[i].id, 'REFUNDED', { amount: '39.98', currency: 'EUR' }),
    );
    return kinds;
  } finally {
    await app.stop();
    await proxy.close();
    void adminUrl;
  }
}

/** Generic frames left out of the inclusive list (they hold everything). */
const GENERIC =
  /^\((root|idle|program)\)|^(processTicksAndRejections|runMicrotasks|emit|callbackTrampoline|listOnTimeout|processTimers) /;

/**
 * Self time by frame and by package, and inclusive time by frame, from a .cpuprofile; only the
 * samples inside `window` ([from, to] in µs of the monotonic clock, which V8's profile timestamps
 * share on Linux), so that start-up and shutdown are left out.
 */
function summarizeProfile(file, window) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);
  let at = profile.startTime;
  const inWindow = (t) => !window || (t >= window[0] && t <= window[1]);
  const self = new Map();
  let kept = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] || 0;
    if (!inWindow(at)) continue;
    kept += 1;
    const id = profile.samples[i];
    self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i] || 0));
  }
  if (kept === 0 && window) return summarizeProfile(file, null);
  const label = (frame) => {
    const url = frame.url || '';
    const nm = url.lastIndexOf('node_modules/');
    const where =
      nm >= 0
        ? url.slice(nm + 'node_modules/'.length)
        : url.includes('/dist/src/')
          ? url.slice(url.indexOf('/dist/src/') + 1)
          : url;
    return `${frame.functionName || '(anonymous)'} ${where}${url ? `:${frame.lineNumber + 1}` : ''}`;
  };
  const inclusive = new Map();
  for (const [id, micros] of self) {
    if (byId.get(id).callFrame.functionName === '(idle)') continue;
    const seen = new Set();
    for (let n = id; n !== undefined; n = parent.get(n)) seen.add(label(byId.get(n).callFrame));
    for (const k of seen) inclusive.set(k, (inclusive.get(k) || 0) + micros);
  }
  const frames = new Map();
  const packages = new Map();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of self) {
    const frame = byId.get(id).callFrame;
    if (frame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    const url = frame.url || '';
    let where = url;
    let pkg;
    const nm = url.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = url.slice(nm + 'node_modules/'.length).split('/');
      pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      where = `${pkg}/${rest.slice(rest[0].startsWith('@') ? 2 : 1).join('/')}`;
    } else if (url.includes('/dist/src/')) {
      pkg = 'redress (dist/src)';
      where = url.slice(url.indexOf('/dist/src/') + 1);
    } else if (url.startsWith('node:')) {
      pkg = 'node core';
    } else if (!url) {
      pkg = frame.functionName.startsWith('(') ? frame.functionName : 'native / V8';
    } else {
      pkg = 'other';
    }
    const key = `${frame.functionName || '(anonymous)'} ${where}${url ? `:${frame.lineNumber + 1}` : ''}`;
    frames.set(key, (frames.get(key) || 0) + micros);
    packages.set(pkg, (packages.get(pkg) || 0) + micros);
  }
  const pct = (v) => Math.round((v / busy) * 1000) / 10;
  const top = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => ({ name, pct: pct(micros) }));
  return {
    windowed: Boolean(window) && kept > 0,
    busyPct: Math.round((busy / (busy + idle)) * 1000) / 10,
    frames: top(frames, 15),
    packages: top(packages, 12),
    inclusive: top(new Map([...inclusive].filter(([k]) => !GENERIC.test(k))), 25),
  };
}

async function profile(databaseUrl) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-prof-'));
  const app = await startApp(databaseUrl, ['--cpu-prof', '--cpu-prof-dir', dir]);
  let load;
  let window = null;
  try {
    const client = api(app.url);
    const seeded = await seed(client, OPS_KEY, 400, 'profile');
    await warmUp(client, seeded.notes);
    const planFile = path.join(dir, 'plan.json');
    fs.writeFileSync(
      planFile,
      JSON.stringify({
        url: app.url,
        opsKey: OPS_KEY,
        connections: CONNECTIONS,
        duration: 10,
        transitionEvery: 10,
        notes: seeded.notes,
        fresh: seeded.fresh,
      }),
    );
    const from = Number(process.hrtime.bigint() / 1000n) + 1_000_000; // skip the first second
    const { stdout } = await run(process.execPath, [
      path.join(ROOT, 'bench/events-load.js'),
      planFile,
    ]);
    window = [from, Number(process.hrtime.bigint() / 1000n) - 500_000];
    load = JSON.parse(stdout);
  } finally {
    await app.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  const summary = summarizeProfile(path.join(dir, file), window);
  fs.rmSync(dir, { recursive: true, force: true });
  return { load, ...summary };
}

/** bench/timers.bench.js in its own process, on a fresh database of its own (dropped after). */
async function timers(admin, adminUrl) {
  const dbName = `redress_bench_timers_${Date.now()}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  log(`timers: database ${dbName}, ${TIMERS} timers per measurement`);
  try {
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bench/timers.bench.js')], {
      cwd: ROOT,
      env: {
        ...process.env,
        BENCH_DATABASE_URL: withDatabase(adminUrl, dbName),
        BENCH_OPS_KEY: OPS_KEY,
        BENCH_TIMERS: String(TIMERS),
        BENCH_RUNS: String(RUNS),
      },
    });
    const r = lastJson(stdout);
    log(`timers: ${JSON.stringify(r)}`);
    return r;
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      .catch((e) => log(`drop database: ${e.message}`));
  }
}

/** Runs `node args` from the repository root, its stderr shown as it comes; resolves its stdout. */
function runLive(args, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}

/** bench/growth.bench.js in its own process; it creates and drops a database of its own. */
async function growth(adminUrl) {
  log(`growth: levels ${GROWTH.join(', ')}`);
  const stdout = await runLive(
    [
      path.join(ROOT, 'bench/growth.bench.js'),
      `--levels=${GROWTH.join(',')}`,
      `--duration=${DURATION}`,
      `--connections=${CONNECTIONS}`,
      `--runs=${RUNS}`,
    ],
    { ...process.env, TEST_DATABASE_URL: adminUrl, BENCH_OPS_KEY: OPS_KEY },
  );
  const r = JSON.parse(stdout.trim().split('\n').pop());
  log(`growth: ${JSON.stringify(r.costPerEvent)} ${JSON.stringify(r.export)}`);
  return r;
}

function machine(pgVersion, pgbenchVersion) {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model?.trim() ?? '?',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    postgres: pgVersion,
    pgbench: pgbenchVersion,
    os: `${os.type()} ${os.release()}`,
  };
}

const fmt = (v, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(v);
const pctOf = (v) => (typeof v === 'number' ? `${fmt(v * 100, 1)}%` : String(v));

function render(results) {
  const { wf, ev, rt, prof, info, startedAt, seconds } = results;
  const lines = [];
  const row = (bench, figure, values, format, target = '') =>
    lines.push(
      `| ${bench} | ${figure} | **${format(median(values))}** | ${values.map((v) => format(v)).join(' / ')} | ${target} |`,
    );
  lines.push(BEGIN, '');
  lines.push(
    `Measured ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC with \`npm run bench\` ` +
      `(${RUNS} runs, ${DURATION} s each, ${CASES.toLocaleString('en-US')} cases seeded per run, ` +
      `${CONNECTIONS} connections; the whole bench took ${Math.round(seconds)} s).`,
  );
  lines.push('');
  lines.push(
    `Machine: ${info.cores} cores (${info.cpu}), ${info.memoryGiB} GiB, ${info.os}; Node ${info.node}; ` +
      `${info.postgres}; ${info.pgbench}. App, PostgreSQL, autocannon and pgbench share the machine.`,
  );
  lines.push('');
  lines.push('| Benchmark | Figure | Median | Runs | Target |', '|---|---|---:|---|---|');
  if (wf) {
    row(
      'workflows',
      'claim-flow transitions/s (pure, 1 core)',
      wf.map((r) => r.claimFlowTransitionsPerSec),
      fmt,
    );
    row(
      'workflows',
      'xstate `transition()`/s (1 core)',
      wf.map((r) => r.xstateTransitionPerSec),
      fmt,
    );
    row(
      'workflows',
      'restore-apply-persist rounds/s (1 core)',
      wf.map((r) => r.roundsPerSec),
      fmt,
      '>= 20,000',
    );
    row(
      'workflows',
      'apply rounds/s on live objects (1 core)',
      wf.map((r) => r.roundsOnObjectsPerSec),
      fmt,
    );
    row(
      'workflows',
      'openCase/s (1 core)',
      wf.map((r) => r.openCasePerSec),
      fmt,
    );
  }
  if (ev) {
    row(
      'events',
      'HTTP events/s (mixed, 2xx and not)',
      ev.map((r) => r.http.eventsPerSec),
      fmt,
    );
    row(
      'events',
      'latency p50 (ms)',
      ev.map((r) => r.http.latencyMs.p50),
      (v) => fmt(v, 1),
    );
    row(
      'events',
      'latency p99 (ms)',
      ev.map((r) => r.http.latencyMs.p99),
      (v) => fmt(v, 1),
      '< 50 ms',
    );
    row(
      'events',
      'requests / non-2xx',
      ev.map((r) => r.http.requests),
      fmt,
    );
    lines[lines.length - 1] = lines[lines.length - 1].replace(
      /\| ([^|]*) \|$/,
      `| non-2xx: ${ev.map((r) => r.http.non2xx).join(' / ')} |`,
    );
    row(
      'events',
      'real transitions accepted (REQUEST_REFUND, REFUNDED)',
      ev.map((r) => r.http.transitions),
      fmt,
    );
    row(
      'events',
      'cases opened during the load (every 20th request)',
      ev.map((r) => r.http.accepted.OPEN ?? 0),
      fmt,
    );
    row(
      'events',
      'pgbench tps, the 2 statements of a NOTE',
      ev.map((r) => r.pgbench.tps),
      fmt,
    );
    row(
      'events',
      '**HTTP events/s ÷ pgbench tps** (per run)',
      ev.map((r) => r.ratio),
      pctOf,
      '>= 40%',
    );
    row(
      'events',
      'pgbench tps, the same NOTE the locked way (5 statements)',
      ev.map((r) => r.pgbenchLocked.tps),
      fmt,
    );
    row(
      'events',
      'HTTP events/s ÷ pgbench (locked way)',
      ev.map((r) => r.ratioToLocked),
      pctOf,
    );
    // CPU per request from /proc (bench/cpu-account.js); a --from-json of an older run has none.
    const ms = (v) => fmt(v, 3);
    const CPU_ROWS = [
      ['CPU ms per HTTP event: the app', 'http', 'appMsPerUnit', ms],
      ["the app's CPU spent in the kernel (share)", 'http', 'appSystemShare', pctOf],
      ['CPU ms per HTTP event: PostgreSQL', 'http', 'postgresMsPerUnit', ms],
      ['CPU ms per HTTP event: autocannon and the rest', 'http', 'otherMsPerUnit', ms],
      ['machine idle during the HTTP load', 'http', 'idleShare', pctOf],
      ['CPU ms per pgbench transaction: PostgreSQL', 'pgbench', 'postgresMsPerUnit', ms],
      ['CPU ms per pgbench transaction: pgbench and the rest', 'pgbench', 'otherMsPerUnit', ms],
      ['machine idle during pgbench', 'pgbench', 'idleShare', pctOf],
    ];
    if (ev.some((r) => r.http.cpu)) {
      for (const [figure, side, key, format] of CPU_ROWS) {
        row(
          'events',
          figure,
          ev.map((r) => r[side].cpu?.[key] ?? NaN),
          format,
        );
      }
    }
    row(
      'events',
      'seeding: cases opened/s through the API',
      ev.map((r) => r.seedCasesPerSec),
      fmt,
    );
  }
  lines.push('');
  if (rt) {
    lines.push(
      'Round trips to PostgreSQL per request (counted by bench/pg-proxy.js, one request at a time):',
      '',
    );
    lines.push('| Request | Round trips | Statements |', '|---|---:|---:|');
    for (const [name, k] of Object.entries(rt))
      lines.push(`| ${name} | ${k.roundTrips} | ${k.statements} |`);
    lines.push('');
    for (const [name, k] of Object.entries(rt)) {
      lines.push(`<details><summary>${name}: statements per request</summary>`, '');
      for (const s of k.detail) lines.push(`- ${s.perRequest} × \`${s.sql.replace(/`/g, "'")}\``);
      lines.push('', '</details>', '');
    }
  }
  if (prof) {
    lines.push(
      `CPU profile of the app (\`node --cpu-prof\`, 10 s of the same load, ${fmt(prof.load.eventsPerSec)} events/s ` +
        `while profiled; ${prof.windowed ? 'samples of the load window only; ' : ''}the app's main thread was busy ${prof.busyPct}% of it). Self time, % of busy:`,
      '',
    );
    lines.push('| Package | % | | Frame | % |', '|---|---:|---|---|---:|');
    const n = Math.max(prof.packages.length, prof.frames.length);
    for (let i = 0; i < n; i++) {
      const p = prof.packages[i];
      const f = prof.frames[i];
      lines.push(
        `| ${p ? p.name : ''} | ${p ? p.pct : ''} | | ${f ? `\`${f.name}\`` : ''} | ${f ? f.pct : ''} |`,
      );
    }
    lines.push('', 'Inclusive time (the frame and what it calls), % of busy:', '');
    lines.push('| Frame | % |', '|---|---:|');
    for (const f of prof.inclusive) lines.push(`| \`${f.name}\` | ${f.pct} |`);
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

/** Every run's rate, for a measurement that has them. */
const runsOf = (r) => (r.runsPerSec ?? []).map((v) => fmt(v)).join(' / ');

function renderTimers(results) {
  const { tm, info, startedAt } = results;
  const lines = [TIMERS_BEGIN, ''];
  lines.push(
    `Measured ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC with \`npm run bench\` ` +
      `(${tm.runs > 1 ? `${tm.runs} runs, the median shown` : 'one run'}; ${fmt(tm.timers)} due ` +
      `\`supplier_response\` timers per measurement, copies of ` +
      `${fmt(tm.templates)} out_of_stock cases opened through the API; scheduler every 100 ms). ` +
      `Machine: ${info.cores} cores (${info.cpu}); ${info.postgres}; app(s), PostgreSQL and the ` +
      `poller share it.`,
    '',
  );
  lines.push(
    '| Measurement | Timers | Fired (breached) | Timeline entries | Seconds | Rate | Runs | Target |',
    '|---|---:|---:|---:|---:|---:|---|---|',
  );
  for (const [name, r, target] of [
    ['scheduler, 1 instance (4 claim loops)', tm.one, '>= 1,000/s'],
    ['scheduler, 2 instances (8 claim loops)', tm.two, 'faster than 1'],
  ]) {
    const entries = Object.values(r.entries || {}).reduce((a, b) => a + b, 0);
    lines.push(
      `| ${name} | ${fmt(r.timers)} | ${fmt(r.fired)} (${fmt(r.breached)}) | ${fmt(entries)} | ` +
        `${fmt(r.seconds, 1)}${r.timedOut ? ` (timed out, ${fmt(r.left)} left)` : ''} | ` +
        `**${fmt(r.timersPerSec)} timers/s** | ${runsOf(r)} | ${target} |`,
    );
  }
  lines.push(
    `| raw claim of batches of 32 + \`UPDATE fired_at\`, ${tm.raw.connections} connections, no app | ` +
      `${fmt(tm.raw.timers)} | ${fmt(tm.raw.claimed)} | - | ${fmt(tm.raw.seconds, 1)} | ` +
      `**${fmt(tm.raw.claimsPerSec)} claims/s** | ${runsOf(tm.raw)} | |`,
  );
  lines.push(
    '',
    `2 instances ÷ 1: **${fmt(tm.two.timersPerSec / tm.one.timersPerSec, 2)}x**; ` +
      `1 instance ÷ raw claims: **${pctOf(tm.one.timersPerSec / tm.raw.claimsPerSec)}**.`,
    '',
    TIMERS_END,
  );
  return lines.join('\n');
}

function renderGrowth(results) {
  const { gr, info, startedAt } = results;
  const first = gr.levels[0];
  return [
    GROWTH_BEGIN,
    '',
    `Measured ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC with \`npm run bench\` ` +
      `(bench/growth.bench.js; ${fmt(gr.templates.cases)} out_of_stock cases opened ` +
      `through the API, then the database grown to each level by SQL copies of them, timeline ` +
      `entries (chains rehashed) and live timers included, VACUUM ANALYZE and a CHECKPOINT after each growth; at ` +
      `each level ${first.events.runsPerSec?.length ?? 1} runs of ${gr.durationSec} s of events (NOTE on ` +
      `${fmt(first.notes)} random open cases, every 10th request a real transition on other random ` +
      `fresh cases; the median run shown), then ${gr.durationSec} s ` +
      `of \`GET /v1/cases/:id\` and of \`GET /v1/cases/:id/timeline\` on random cases, ` +
      `${gr.connections} connections each; the app's RSS after the loads). Machine: ` +
      `${info.cores} cores (${info.cpu}); ${info.postgres}; app, PostgreSQL and autocannon share it.`,
    '',
    renderGrowthTable(gr),
    '',
    GROWTH_END,
  ].join('\n');
}

function writeMarkdown(block, begin = BEGIN, end = END) {
  const file = path.join(ROOT, 'BENCHMARKS.md');
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n\n## Results\n\n';
  const b = text.indexOf(begin.slice(0, 25));
  const e = text.indexOf(end);
  if (b >= 0 && e > b) text = text.slice(0, b) + block + text.slice(e + end.length);
  else text = `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, text);
}

/** `--from-json=FILE`: renders the last line `npm run bench` printed, without measuring again. */
function fromJson(file) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const results = JSON.parse(lines[lines.length - 1]);
  results.startedAt = new Date(results.startedAt);
  // A JSON line of an `--only=` run has no main results: its main table is not rewritten.
  const block = ONLY_TIMERS || ONLY_GROWTH || !(results.wf || results.ev) ? '' : render(results);
  const timersBlock = results.tm && !ONLY_GROWTH ? renderTimers(results) : '';
  const growthBlock = results.gr && !ONLY_TIMERS ? renderGrowth(results) : '';
  process.stdout.write(`${block}\n${timersBlock}\n${growthBlock}\n`);
  if (WRITE) {
    if (block) writeMarkdown(block);
    if (timersBlock) writeMarkdown(timersBlock, TIMERS_BEGIN, TIMERS_END);
    if (growthBlock) writeMarkdown(growthBlock, GROWTH_BEGIN, GROWTH_END);
    spawnSync('npx', ['prettier', '--write', 'BENCHMARKS.md'], { cwd: ROOT, stdio: 'ignore' });
  }
}

async function main() {
  const replay = argv.find((a) => a.startsWith('--from-json='));
  if (replay) return fromJson(replay.slice('--from-json='.length));
  const started = Date.now();
  const startedAt = new Date();
  if (!fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) {
    log('dist/ missing: npm run build');
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  const adminUrl = process.env.TEST_DATABASE_URL || DEFAULT_URL;
  const dbName = `redress_bench_${Date.now()}`;
  const databaseUrl = withDatabase(adminUrl, dbName);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const pgVersion = (await admin.query('SELECT version() AS v')).rows[0].v.split(' on ')[0];
  const pgbenchVersion = spawnSync(PGBENCH, ['--version'], { encoding: 'utf8' }).stdout.trim();
  await admin.query(`CREATE DATABASE ${dbName}`);
  log(`database ${dbName}`);

  const results = { startedAt, info: machine(pgVersion, pgbenchVersion) };
  let app;
  try {
    if (ONLY_TIMERS) {
      results.tm = await timers(admin, adminUrl);
    } else if (ONLY_GROWTH) {
      if (GROWTH.length) results.gr = await growth(adminUrl);
      else log('growth: --growth=0, nothing to run');
    } else {
      log('workflows');
      results.wf = await workflows();
      log('starting the app');
      app = await startApp(databaseUrl);
      log('events');
      results.ev = await events(app, databaseUrl);
      await app.stop();
      app = null;
      log('round trips per request');
      results.rt = await roundTrips(adminUrl, databaseUrl);
      if (PROFILE) {
        log('cpu profile');
        results.prof = await profile(databaseUrl);
      }
      if (TIMERS > 0) {
        log('timers');
        results.tm = await timers(admin, adminUrl);
      }
      if (GROWTH.length) {
        log('growth');
        results.gr = await growth(adminUrl);
      }
    }
  } finally {
    if (app) await app.stop().catch(() => undefined);
    await admin
      .query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      .catch((e) => log(`drop database: ${e.message}`));
    await admin.end();
  }
  results.seconds = (Date.now() - started) / 1000;
  const block = ONLY_TIMERS || ONLY_GROWTH ? '' : render(results);
  const timersBlock = results.tm ? renderTimers(results) : '';
  const growthBlock = results.gr ? renderGrowth(results) : '';
  process.stdout.write(`${block}\n${timersBlock}\n${growthBlock}\n`);
  process.stdout.write(`${JSON.stringify(results)}\n`);
  if (WRITE) {
    if (block) writeMarkdown(block);
    if (timersBlock) writeMarkdown(timersBlock, TIMERS_BEGIN, TIMERS_END);
    if (growthBlock) writeMarkdown(growthBlock, GROWTH_BEGIN, GROWTH_END);
    // `npm run check` runs prettier over the repository: keep the generated table in its format.
    spawnSync('npx', ['prettier', '--write', 'BENCHMARKS.md'], { cwd: ROOT, stdio: 'ignore' });
    log('BENCHMARKS.md updated');
  }
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack || error}\n`);
  process.exit(1);
});
