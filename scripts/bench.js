#!/usr/bin/env node
// @ts-check
// `npm run bench`: the benchmarks in bench/, three runs each, medians written to BENCHMARKS.md.
//
// Builds the app if dist/ is missing; creates a fresh database redress_bench_<ts> on the local
// PostgreSQL (TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres); starts the
// built app as its own process against it (free port, rate limit raised, logs, scheduler and
// dispatcher off); runs (bench/lib/stages.js):
//   1. workflows: bench/workflows.bench.ts (ts-node), pure machine throughput on one core;
//   2. events: bench/events.bench.js (seeding through the API, autocannon in its own process,
//      pgbench with the same SQL against the same database);
//   3. round trips per request: a second app instance behind a counting proxy (bench/pg-proxy.js),
//      sequential requests, never timed;
//   4. profile: a third instance under `node --cpu-prof` with the same load (skip: --no-profile);
//   5. timers: bench/timers.bench.js, once, in its own process on its own fresh database (it starts
//      1, then 2 app instances with the scheduler on, and times the drain of --timers=N due
//      timers; --timers=0 skips it);
//   (evidence: bench/evidence.bench.js, photo uploads per second and the packet's time beside the
//   disk's own write speed, runs only as `--only=evidence`, in its own process and database;)
//   6. growth: bench/growth.bench.js, once, in its own process on its own fresh database: events,
//      reads and the app's RSS at each --growth level (cases in total, grown by SQL copies), and
//      the full audit export at the largest (--growth=0 skips it);
// then drops the databases and writes the tables between the markers in BENCHMARKS.md
// (bench/lib/tables.js; the timers and growth tables between their own markers, so
// `--only=timers` / `--only=growth` rewrites one alone).
//
// Options (bench/lib/args.js): --runs=3 --duration=15 --cases=10000 --connections=16
// --timers=100000 --growth=10000,100000,1000000 --only=timers|growth|evidence --no-profile --no-write
// --from-json=FILE re-renders the table from the JSON line a previous run printed last.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Client } = require('pg');
const { parseBenchArgs } = require('../bench/lib/args');
const database = require('../bench/lib/database');
const stages = require('../bench/lib/stages');
const { renderBlocks, writeMarkdown } = require('../bench/lib/tables');
const { parseJson, queryOne } = require('../bench/lib/untyped');

/** @typedef {import('../bench/lib/results').BenchResults} BenchResults */

const { log } = stages;

/**
 * Writes the blocks into BENCHMARKS.md, unless `--no-write`.
 * @param {ReturnType<typeof renderBlocks>} blocks
 * @param {import('../bench/lib/args').BenchOptions} opts
 */
function write(blocks, opts) {
  if (!opts.write) return;
  writeMarkdown(path.join(database.ROOT, 'BENCHMARKS.md'), blocks);
  // `npm run check` runs prettier over the repository: keep the generated table in its format.
  spawnSync('npx', ['prettier', '--write', 'BENCHMARKS.md'], {
    cwd: database.ROOT,
    stdio: 'ignore',
  });
  log('BENCHMARKS.md updated');
}

/**
 * The tracking table (`--only=tracking`), between its own markers in BENCHMARKS.md.
 * @param {{ eventsPerSec: number[], trackingPerSec: number[], trackingP99Ms: number[], trackingNon2xx: number[] }} tr
 * @param {{ cpu: string }} info
 * @param {import('../bench/lib/args').BenchOptions} opts
 */
function writeTracking(tr, info, opts) {
  /** @param {number[]} v */
  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const ev = median(tr.eventsPerSec);
  const tk = median(tr.trackingPerSec);
  const ratio = tk / ev;
  const runs = (/** @type {number[]} */ v) => v.map((x) => Math.round(x)).join(' / ');
  const block = [
    '<!-- bench:tracking:start -->',
    `### Tracking webhooks (\`npm run bench -- --only=tracking --runs=${opts.runs} --duration=${opts.duration}\`)`,
    '',
    `${new Date().toISOString().slice(0, 10)}, ${info.cpu}; ${opts.connections} connections, ${opts.duration} s each, on one app instance. Each tracking webhook is a signed AfterShip \`tracking_update\` (fresh \`event_id\`, a later checkpoint) for one of 10,000 parcels: signature check, receipt, parcel look-up and the update recorded; no case changes. The event rate is bench/events.bench.js on the same app just before.`,
    '',
    '| Figure | Median | Runs | Target |',
    '| --- | --- | --- | --- |',
    `| HTTP events/s | **${Math.round(ev)}** | ${runs(tr.eventsPerSec)} | |`,
    `| Tracking webhooks/s | **${Math.round(tk)}** | ${runs(tr.trackingPerSec)} | >= 2x events/s |`,
    `| Tracking / events | **${ratio.toFixed(2)}x** | | >= 2x |`,
    `| Tracking p99 ms | ${median(tr.trackingP99Ms)} | ${tr.trackingP99Ms.join(' / ')} | |`,
    `| Tracking non-2xx | ${median(tr.trackingNon2xx)} | ${tr.trackingNon2xx.join(' / ')} | 0 |`,
    '<!-- bench:tracking:end -->',
  ].join('\n');
  process.stdout.write(`${block}\n${JSON.stringify(tr)}\n`);
  if (!opts.write) return;
  const file = path.join(database.ROOT, 'BENCHMARKS.md');
  const text = fs.readFileSync(file, 'utf8');
  const at = text.indexOf('<!-- bench:tracking:start -->');
  const end = text.indexOf('<!-- bench:tracking:end -->');
  const next =
    at >= 0 && end > at
      ? text.slice(0, at) + block + text.slice(end + '<!-- bench:tracking:end -->'.length)
      : `${text.trimEnd()}\n\n${block}\n`;
  fs.writeFileSync(file, next);
  spawnSync('npx', ['prettier', '--write', 'BENCHMARKS.md'], {
    cwd: database.ROOT,
    stdio: 'ignore',
  });
  log('BENCHMARKS.md updated (tracking)');
}

/** @param {ReturnType<typeof renderBlocks>} blocks */
const print = (blocks) =>
  process.stdout.write(
    `${blocks.results}\n${blocks.timers}\n${blocks.growth}\n${blocks.evidence}\n`,
  );

/**
 * `--from-json=FILE`: renders the last line `npm run bench` printed, without measuring again.
 * @param {string} file
 * @param {import('../bench/lib/args').BenchOptions} opts
 */
function fromJson(file, opts) {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  const results = /** @type {BenchResults} */ (parseJson(lines[lines.length - 1]));
  results.startedAt = new Date(results.startedAt);
  const blocks = renderBlocks(results, opts);
  print(blocks);
  write(blocks, opts);
}

async function main() {
  const opts = parseBenchArgs(process.argv.slice(2));
  if (opts.fromJson) return fromJson(opts.fromJson, opts);
  const started = Date.now();
  const startedAt = new Date();
  database.ensureBuilt(log);
  const adminUrl = process.env.TEST_DATABASE_URL || database.DEFAULT_ADMIN_URL;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const { v } = /** @type {{ v: string }} */ (await queryOne(admin, 'SELECT version() AS v'));
  const pgVersion = v.split(' on ')[0];
  const db = await database.createDatabase(admin, adminUrl, 'redress_bench');
  log(`database ${db.name}`);

  /** @type {BenchResults} */
  const results = {
    startedAt,
    info: {
      ...database.machineInfo(),
      postgres: pgVersion,
      pgbench: stages.pgbenchVersion(),
      os: `${os.type()} ${os.release()}`,
    },
  };
  /** @type {Awaited<ReturnType<typeof stages.startBenchApp>> | null} */
  let app = null;
  try {
    if (opts.only === 'tracking') {
      app = await stages.startBenchApp(db.url);
      const tr = await stages.tracking(opts, app, db.url);
      await app.stop();
      app = null;
      writeTracking(tr, results.info, opts);
      return;
    }
    if (opts.only === 'timers') {
      results.tm = await stages.timers(opts, admin, adminUrl);
    } else if (opts.only === 'evidence') {
      results.evd = await stages.evidence(opts, admin, adminUrl);
    } else if (opts.only === 'growth') {
      if (opts.growth.length) results.gr = await stages.growth(opts, adminUrl);
      else log('growth: --growth=0, nothing to run');
    } else {
      log('workflows');
      results.wf = await stages.workflows(opts);
      log('starting the app');
      app = await stages.startBenchApp(db.url);
      log('events');
      results.ev = await stages.events(opts, app, db.url);
      await app.stop();
      app = null;
      log('round trips per request');
      results.rt = await stages.roundTrips(db.url);
      if (opts.profile) {
        log('cpu profile');
        results.prof = await stages.profile(opts, db.url);
      }
      if (opts.timers > 0) {
        log('timers');
        results.tm = await stages.timers(opts, admin, adminUrl);
      }
      if (opts.growth.length) {
        log('growth');
        results.gr = await stages.growth(opts, adminUrl);
      }
    }
  } finally {
    if (app) await app.stop().catch(() => undefined);
    await database.dropDatabase(admin, db.name, log);
    await admin.end();
  }
  results.seconds = (Date.now() - started) / 1000;
  const blocks = renderBlocks(results, opts);
  print(blocks);
  process.stdout.write(`${JSON.stringify(results)}\n`);
  write(blocks, opts);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
