#!/usr/bin/env node
/**
 * Growth: does an event, a read and the app's memory cost the same at 10,000 cases as at 1,000,000?
 * Plain Node; `scripts/bench.js` runs it (`npm run bench`, `--growth=10000,100000,1000000`), or on
 * its own:
 *
 *   node bench/growth.bench.js --levels=10000,100000,1000000 --duration=10
 *
 * Options: --levels (cases in total at each step, ascending; default 10000,100000,1000000)
 * --duration=10 (seconds of each load) --connections=16 --templates=500 --notes=1000 --fresh=2000
 * --reads=10000 (random cases the read loads pick from). Admin URL: TEST_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); ops key: BENCH_OPS_KEY.
 *
 * 1. Creates a fresh database redress_growth_<ts> (dropped at the end, also on failure or ^C) and
 *    starts the built app on it (bench/app-process.js; `npm run build` first if dist/ is missing):
 *    scheduler and dispatcher off, no rate limit. Seeds 4 merchants (their API keys kept), 2
 *    suppliers and --templates out_of_stock cases through the API, then snapshots those templates
 *    (bench/clone-cases.js).
 * 2. For each level N: grows the database to N cases by SQL copies of the templates (new ids,
 *    their timeline entries with each chain rehashed for the new id, their live timers; a staging
 *    table of the chains, then one INSERT ... SELECT per table), VACUUM (ANALYZE) of the three
 *    tables (so that autovacuum does not start in the middle of a load) and a CHECKPOINT (so that
 *    the copies' dirty pages are not flushed during it), counts cases and timeline entries,
 *    pg_database_size; then
 *    a. events: bench/events-load.js for --duration s, --connections connections: NOTE on
 *       --notes cases drawn at random from the whole table (each with its merchant's key), every
 *       10th request a real transition on --fresh other random out_of_stock cases still in their
 *       initial state (REQUEST_REFUND, then REFUNDED); no case opened, so the level stays N;
 *    b. reads: bench/reads-load.js, GET /v1/cases/:id then GET /v1/cases/:id/timeline on --reads
 *       random cases (ops key), --duration s each;
 *    c. the app's RSS (/proc/<pid>/status VmRSS) after these loads.
 *    Each load is preceded by a short warm-up (200 requests) that is not measured.
 * 3. At the largest level: streams GET /v1/audit/events (NDJSON, ops key) to the end, counting
 *    lines as the chunks arrive (never buffered), sampling the app's RSS every 100 ms; then
 *    restarts the app with its V8 old space capped (--max-old-space-size=160) and exports again.
 * Prints the markdown table and, last, one JSON object on its own line.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { api, openCases, pool, run, warmUp } = require('./events.bench');
const { startApp } = require('./app-process');
const { snapshotTemplates, cloneCases } = require('./clone-cases');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const OPS_KEY_DEFAULT = 'rk_bench_bootstrap_ops_key_0123456789abcdef0123';
const DEFAULT_LEVELS = [10000, 100000, 1000000];
/** `--max-old-space-size` of the app for the second export. */
const CAPPED_OLD_SPACE_MIB = 160;
/** Events/s at the largest level ÷ at the smallest must stay at or above this. */
const FLAT_WITHIN = 0.2;

const log = (message) => process.stderr.write(`[growth] ${message}\n`);

function withDatabase(url, name) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The app's resident set (VmRSS), MiB; null once the process is gone. */
function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round((kb / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

function ensureBuilt() {
  if (fs.existsSync(path.join(ROOT, 'dist/src/main.js'))) return;
  log('dist/ missing: npm run build');
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) throw new Error(`npm run build exited ${build.status}`);
}

/** Runs a load generator (bench/events-load.js, bench/reads-load.js) on `plan`; its JSON. */
async function load(script, plan) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-growth-'));
  try {
    const file = path.join(dir, 'plan.json');
    fs.writeFileSync(file, JSON.stringify(plan));
    const { stdout } = await run(process.execPath, [path.join(__dirname, script), file], {
      cwd: ROOT,
    });
    return JSON.parse(stdout.trim().split('\n').pop());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `n` GETs of `pathOf(i)`, 8 at a time, with `key`: a warm-up, not measured. */
async function warmGets(url, key, n, pathOf) {
  await pool(n, 8, async (i) => {
    const res = await fetch(url + pathOf(i), { headers: { authorization: `Bearer ${key}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`warm-up GET ${pathOf(i)}: ${res.status}`);
  });
}

async function counts(db) {
  const { rows } = await db.query(`SELECT
    (SELECT count(*) FROM cases)::bigint AS cases,
    (SELECT count(*) FROM timeline_entries)::bigint AS entries,
    (SELECT count(*) FROM case_timers WHERE fired_at IS NULL AND cancelled_at IS NULL)::bigint
      AS live_timers,
    pg_database_size(current_database())::bigint AS bytes`);
  const r = rows[0];
  return {
    cases: Number(r.cases),
    timelineEntries: Number(r.entries),
    liveTimers: Number(r.live_timers),
    dbSizeBytes: Number(r.bytes),
  };
}

/**
 * NOTE targets (open cases: a NOTE on a closed one is refused) and fresh out_of_stock cases, drawn
 * at random from the whole table.
 */
async function sample(db, keys, notesCount, freshCount) {
  const withKey = (r) => {
    const key = keys.get(r.merchant_id);
    if (!key) throw new Error(`no API key for merchant ${r.merchant_id}`);
    return { id: r.id, key, type: r.type };
  };
  const notes = (
    await db.query(
      `SELECT id::text, merchant_id::text, type FROM cases WHERE status = 'open'
       ORDER BY random() LIMIT $1`,
      [notesCount],
    )
  ).rows.map(withKey);
  const fresh = (
    await db.query(
      `SELECT id::text, merchant_id::text, type FROM cases
       WHERE type = 'out_of_stock' AND status = 'open'
         AND state IN (SELECT DISTINCT state FROM bench_tpl_cases)
         AND id NOT IN (SELECT unnest($1::uuid[]))
       ORDER BY random() LIMIT $2`,
      [notes.map((c) => c.id), freshCount],
    )
  ).rows.map(withKey);
  return { notes, fresh };
}

/** Streams the whole audit export, counting lines; samples the app's RSS every 100 ms. */
function exportAll(app, opsKey) {
  return new Promise((resolve, reject) => {
    const rssBefore = rssMiB(app.pid);
    let peak = rssBefore ?? 0;
    const sampler = setInterval(() => {
      const v = rssMiB(app.pid);
      if (v !== null && v > peak) peak = v;
    }, 100);
    const started = process.hrtime.bigint();
    let lines = 0;
    let bytes = 0;
    let firstByteSec = null;
    const fail = (error) => {
      clearInterval(sampler);
      reject(error);
    };
    const req = http.get(
      `${app.url}/v1/audit/events`,
      { headers: { authorization: `Bearer ${opsKey}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          fail(new Error(`GET /v1/audit/events: ${res.statusCode}`));
          return;
        }
        res.on('data', (chunk) => {
          if (firstByteSec === null) {
            firstByteSec = Number(process.hrtime.bigint() - started) / 1e9;
          }
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        });
        res.on('error', fail);
        res.on('end', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          clearInterval(sampler);
          const after = rssMiB(app.pid);
          if (after !== null && after > peak) peak = after;
          resolve({
            entries: lines,
            bytes,
            seconds: Math.round(seconds * 100) / 100,
            firstByteSec: Math.round((firstByteSec ?? seconds) * 1000) / 1000,
            entriesPerSec: Math.round(lines / seconds),
            mibPerSec: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
            rssBeforeMiB: rssBefore,
            rssPeakMiB: peak,
            rssAfterMiB: after,
          });
        });
      },
    );
    req.on('error', fail);
  });
}

const pick = (r) => ({
  perSec: r.eventsPerSec ?? r.requestsPerSec,
  latencyMs: r.latencyMs,
  requests: r.requests,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
});

async function measureLevel(ctx, target) {
  const { db, app, keys, opts } = ctx;
  const before = (await db.query(`SELECT count(*)::int AS n FROM cases`)).rows[0].n;
  let clone = null;
  if (target > before) {
    log(`${target}: cloning ${target - before} cases`);
    clone = await cloneCases(db, target - before);
    clone.casesPerSec = Math.round(clone.cases / clone.seconds);
    log(
      `${target}: ${clone.cases} cases, ${clone.timelineEntries} timeline entries, ` +
        `${clone.timers} timers cloned in ${clone.seconds.toFixed(2)} s (${clone.casesPerSec} cases/s; ` +
        `${JSON.stringify(clone.steps)})`,
    );
  }
  let t = Date.now();
  await db.query(`VACUUM (ANALYZE) cases, timeline_entries, case_timers`);
  const vacuumSeconds = (Date.now() - t) / 1000;
  // The copies and the vacuum can leave gigabytes of dirty pages at 1,000,000 cases. Flushed by a
  // checkpoint spread over the next minutes, they would make commits' WAL fsyncs wait on the disk
  // in the middle of the loads. A database that grew to this size over months has no such
  // backlog: flush it before measuring (its duration is logged).
  t = Date.now();
  await db.query(`CHECKPOINT`);
  const checkpointSeconds = (Date.now() - t) / 1000;
  const size = await counts(db);
  log(
    `${target}: ${JSON.stringify(size)}, vacuum ${vacuumSeconds.toFixed(1)} s, checkpoint ${checkpointSeconds.toFixed(1)} s`,
  );

  // `opts.runs` event loads, each on freshly sampled cases (transitions use fresh ones up); the
  // level reports the run with the median events/s, and the rates of all of them.
  const runs = [];
  let notes = [];
  let fresh = [];
  for (let run = 1; run <= opts.runs; run++) {
    t = Date.now();
    ({ notes, fresh } = await sample(db, keys, opts.notes, opts.fresh));
    if (run === 1) await warmUp(api(app.url), notes);
    log(
      `${target}: run ${run}: sampled ${notes.length} NOTE targets, ${fresh.length} fresh cases${run === 1 ? ' and warmed up' : ''} in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    const result = await load('events-load.js', {
      url: app.url,
      opsKey: ctx.opsKey,
      connections: opts.connections,
      duration: opts.duration,
      transitionEvery: 10,
      notes,
      fresh,
    });
    log(
      `${target}: run ${run}: events ${result.eventsPerSec}/s p50 ${result.latencyMs.p50} p99 ${result.latencyMs.p99} ms, ` +
        `non-2xx ${result.non2xx}, transitions ${result.transitions}`,
    );
    runs.push(result);
  }
  const byRate = [...runs].sort((a, b) => a.eventsPerSec - b.eventsPerSec);
  const events = byRate[Math.floor((byRate.length - 1) / 2)];

  const ids = (
    await db.query(`SELECT id::text FROM cases ORDER BY random() LIMIT $1`, [opts.reads])
  ).rows.map((r) => r.id);
  const reads = {};
  for (const kind of ['case', 'timeline']) {
    const suffix = kind === 'timeline' ? '/timeline' : '';
    await warmGets(app.url, ctx.opsKey, 200, (i) => `/v1/cases/${ids[i % ids.length]}${suffix}`);
    reads[kind] = pick(
      await load('reads-load.js', {
        url: app.url,
        key: ctx.opsKey,
        connections: opts.connections,
        duration: opts.duration,
        ids,
        kind,
      }),
    );
    log(
      `${target}: ${kind} reads ${reads[kind].perSec}/s p50 ${reads[kind].latencyMs.p50} ` +
        `p99 ${reads[kind].latencyMs.p99} ms, non-2xx ${reads[kind].non2xx}`,
    );
  }
  const rss = rssMiB(app.pid);
  log(`${target}: app RSS ${rss} MiB`);
  return {
    target,
    ...size,
    vacuumSeconds: Math.round(vacuumSeconds * 10) / 10,
    checkpointSeconds: Math.round(checkpointSeconds * 10) / 10,
    clone,
    notes: notes.length,
    fresh: fresh.length,
    events: {
      ...pick(events),
      runsPerSec: runs.map((r) => r.eventsPerSec),
      non2xxAllRuns: runs.reduce((n, r) => n + r.non2xx, 0),
      acceptedPerSec: events.acceptedPerSec,
      transitions: events.transitions,
      statuses: events.statuses,
      refusals: events.refusals,
    },
    reads,
    rssMiB: rss,
  };
}

/** The whole benchmark on a database of its own; returns the JSON result. */
async function runGrowth({
  adminUrl = process.env.TEST_DATABASE_URL || DEFAULT_URL,
  opsKey = process.env.BENCH_OPS_KEY || OPS_KEY_DEFAULT,
  levels = DEFAULT_LEVELS,
  duration = 10,
  connections = 16,
  templates = 500,
  notes = 1000,
  fresh = 2000,
  reads = 10000,
  runs = 3,
} = {}) {
  const opts = { duration, connections, notes, fresh, reads, runs };
  const sorted = [...new Set(levels)].filter((n) => n > 0).sort((a, b) => a - b);
  if (!sorted.length) throw new Error('no levels');
  ensureBuilt();
  const started = Date.now();
  const dbName = `redress_growth_${Date.now()}`;
  const databaseUrl = withDatabase(adminUrl, dbName);
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  log(`database ${dbName}`);
  let app = null;
  let db = null;
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (app) await app.stop().catch((e) => log(`stop app: ${e.message}`));
    if (db) await db.end().catch(() => undefined);
    await admin
      .query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
      .catch((e) => log(`drop database: ${e.message}`));
    await admin.end().catch(() => undefined);
  };
  const onSignal = (signal) => {
    log(`${signal}: dropping ${dbName}`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    app = await startApp({ databaseUrl, opsKey });
    const opened = await openCases(api(app.url), opsKey, templates, 'growth', () => 'out_of_stock');
    const keys = new Map(opened.merchants.map((m) => [m.id, m.key]));
    const ids = opened.cases.map((c) => c.id);
    const seedSeconds = opened.seconds;
    log(`${templates} out_of_stock cases seeded through the API in ${seedSeconds.toFixed(1)} s`);
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const snap = await snapshotTemplates(db, ids);
    log(`templates snapshotted: ${JSON.stringify(snap)}`);

    const ctx = { db, app, keys, opts, opsKey };
    const results = [];
    for (const target of sorted) results.push(await measureLevel(ctx, target));

    const largest = results[results.length - 1];
    log(`export of ${largest.cases} cases: streaming GET /v1/audit/events`);
    const expected = Number(
      (await db.query(`SELECT count(*)::bigint AS n FROM timeline_entries`)).rows[0].n,
    );
    const exp = await exportAll(app, opsKey);
    exp.cases = largest.cases;
    exp.expectedEntries = expected;
    log(`export: ${JSON.stringify(exp)}`);
    // V8 sizes its heap by the machine's memory (24 GiB here), so the peak above is mostly garbage
    // it has not collected yet, not data the export holds. The same export again, by an app whose
    // old space is capped, shows how little it needs: the flag operators set to bound the memory.
    await app.stop();
    app = await startApp({
      databaseUrl,
      opsKey,
      nodeArgs: [`--max-old-space-size=${CAPPED_OLD_SPACE_MIB}`],
    });
    exp.capped = { oldSpaceMiB: CAPPED_OLD_SPACE_MIB, ...(await exportAll(app, opsKey)) };
    log(`export, old space capped: ${JSON.stringify(exp.capped)}`);

    const smallest = results[0];
    const ratio = largest.events.perSec / smallest.events.perSec;
    return {
      startedAt: new Date(started).toISOString(),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      database: dbName,
      durationSec: duration,
      connections,
      templates: { cases: templates, entries: snap.entries, seedSeconds },
      levels: results,
      costPerEvent: {
        smallestCases: smallest.cases,
        largestCases: largest.cases,
        ratio: Math.round(ratio * 1000) / 1000,
        target: `>= ${Math.round((1 - FLAT_WITHIN) * 100)}%`,
        met: ratio >= 1 - FLAT_WITHIN,
      },
      export: exp,
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model?.trim() ?? '?',
        memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
        node: process.version,
      },
    };
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}

const fmt = (v, digits = 0) =>
  typeof v === 'number' && Number.isFinite(v)
    ? v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : String(v);
const size = (bytes) =>
  bytes >= 2 ** 30 ? `${fmt(bytes / 2 ** 30, 2)} GiB` : `${fmt(bytes / 2 ** 20, 0)} MiB`;

/** The markdown: the table by level, the cost-per-event line and the export line. */
function render(r) {
  const lines = [
    '| Cases | Timeline entries | DB size | Events/s (median) | Runs | p50 (ms) | p99 (ms) | Non-2xx | Case read p99 (ms) | Timeline read p99 (ms) | App RSS (MiB) |',
    '|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const l of r.levels) {
    lines.push(
      `| ${fmt(l.cases)} | ${fmt(l.timelineEntries)} | ${size(l.dbSizeBytes)} | ` +
        `**${fmt(l.events.perSec)}** | ${(l.events.runsPerSec ?? [l.events.perSec]).map((v) => fmt(v)).join(' / ')} | ` +
        `${fmt(l.events.latencyMs.p50, 1)} | ` +
        `${fmt(l.events.latencyMs.p99, 1)} | ${fmt(l.events.non2xxAllRuns ?? l.events.non2xx)} | ` +
        `${fmt(l.reads.case.latencyMs.p99, 1)} | ${fmt(l.reads.timeline.latencyMs.p99, 1)} | ` +
        `${fmt(l.rssMiB, 0)} |`,
    );
  }
  const c = r.costPerEvent;
  const e = r.export;
  lines.push(
    '',
    `cost per event: events/s at the largest level ÷ at the smallest = **${fmt(c.ratio * 100, 1)}%** ` +
      `(${fmt(c.largestCases)} vs ${fmt(c.smallestCases)} cases; target: flat within ` +
      `${Math.round(FLAT_WITHIN * 100)}%, i.e. ${c.target}: **${c.met ? 'met' : 'not met'}**).`,
    '',
    `audit export at ${fmt(e.cases)} cases: **${fmt(e.entries)} entries in ${fmt(e.seconds, 1)} s, ` +
      `${fmt(e.entriesPerSec)} entries/s** (${fmt(e.mibPerSec, 1)} MiB/s, first byte after ` +
      `${fmt(e.firstByteSec * 1000, 0)} ms); app RSS ${fmt(e.rssBeforeMiB, 0)} MiB before, ` +
      `peak **${fmt(e.rssPeakMiB, 0)} MiB**, ${fmt(e.rssAfterMiB, 0)} MiB after.` +
      (e.capped
        ? ` The same export by an app started with \`--max-old-space-size=${e.capped.oldSpaceMiB}\`: ` +
          `${fmt(e.capped.entriesPerSec)} entries/s, RSS peak **${fmt(e.capped.rssPeakMiB, 0)} MiB** ` +
          `(the peak above is garbage V8 had not collected yet, not data the export holds).`
        : ''),
  );
  return lines.join('\n');
}

function parseArgs(argv) {
  const opt = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const num = (name, fallback) => (opt(name) === undefined ? fallback : Number(opt(name)));
  const levels = opt('levels');
  return {
    levels: levels ? levels.split(',').map(Number) : DEFAULT_LEVELS,
    duration: num('duration', 10),
    connections: num('connections', 16),
    templates: num('templates', 500),
    notes: num('notes', 1000),
    fresh: num('fresh', 2000),
    reads: num('reads', 10000),
    runs: num('runs', 3),
  };
}

module.exports = { runGrowth, render, DEFAULT_LEVELS };

if (require.main === module) {
  runGrowth(parseArgs(process.argv.slice(2)))
    .then((r) => {
      process.stdout.write(`${render(r)}\n${JSON.stringify(r)}\n`);
    })
    .catch((error) => {
      process.stderr.write(`growth bench failed: ${error.stack || error}\n`);
      process.exit(1);
    });
}
