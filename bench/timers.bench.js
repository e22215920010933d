#!/usr/bin/env node
// @ts-check
/**
 * Timer drain: how fast the scheduler (src/deadlines/timer-scheduler.service.ts) fires due timers,
 * each one a real transition. Plain Node; `scripts/bench.js` runs it (`npm run bench`,
 * `--timers=N`), or by hand against an empty, migrated database:
 *
 *   BENCH_DATABASE_URL=postgres://.../redress_bench_x BENCH_TIMERS=20000 node bench/timers.bench.js
 *
 * It starts and stops the built app (dist/src/main.js) itself, as separate processes on that
 * database (LOG_LEVEL=silent, dispatcher off).
 *
 * 1. One app, scheduler off: seeds BENCH_TEMPLATES (500) out_of_stock cases through the API. Each
 *    open case owns a live `supplier_response` timer; firing it breaches the SLA and appends
 *    TIMER_FIRED + SLA_BREACHED (a real transition, chain and all).
 * 2. App stopped. For each measurement, BENCH_TIMERS (N) fresh cases are made by SQL as copies of
 *    the templates: the `cases` rows (new id; same snapshot, version, last_hash), their timeline
 *    rows (case_id replaced, so version/last_hash match the copied chain) and their live timers.
 * 3. Measurements, each on fresh copies:
 *    - 1 instance, REDRESS_SCHEDULER=1, REDRESS_SCHEDULER_INTERVAL_MS=100: once it is up, one
 *      UPDATE makes the N copied `supplier_response` timers due a minute ago (their follow-ups land
 *      days later, so nothing else comes due); then polls `count(*) ... due_at <= now()` every
 *      200 ms until none is left; rate = N / (time from that commit to the poll that saw 0), so
 *      start-up is not counted (fired_at is the drain's start time, useless for a rate);
 *    - 2 instances on the same database: the same;
 *    - the raw claim: the scheduler's claim statement (a batch of up to 32) + one
 *      `UPDATE case_timers SET fired_at = now()` for the batch (BEGIN, claim, update, COMMIT: 4
 *      round trips per batch), 4 connections (the DRAIN_CONCURRENCY of one instance),
 *      node-postgres, no app: the ceiling of the claim protocol on this database.
 *    A measurement stops after BENCH_TIMEOUT seconds (240) and reports the rate so far.
 * Prints one JSON object.
 */
'use strict';
const { Client } = require('pg');
const { api, openCases } = require('./events.bench');
const { startApp: startProcess } = require('./app-process');
const { columns } = require('./clone-cases');
const { envOr: env } = require('./lib/args');
const { BENCH_OPS_KEY } = require('./lib/database');
const { queryOne } = require('./lib/untyped');

/**
 * @typedef {import('./lib/results').SchedulerRun} SchedulerRun
 * @typedef {import('./lib/results').RawClaimsRun} RawClaimsRun
 */

/** The scheduler's claim (CLAIM in src/deadlines/timer-scheduler.service.ts), verbatim. */
const CLAIM = `
  SELECT t.id FROM cases c JOIN case_timers t ON t.case_id = c.id
  WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.due_at <= $1
    AND t.id <> ALL($2::bigint[])
  ORDER BY t.due_at LIMIT $3
  FOR UPDATE OF c, t SKIP LOCKED`;
/** CLAIM_BATCH_SIZE in src/deadlines/timer-scheduler.service.ts. */
const CLAIM_BATCH_SIZE = 32;
const DUE = `SELECT count(*)::int AS n FROM case_timers
  WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()`;

/** @param {string} message */
const log = (message) => process.stderr.write(`[timers] ${message}\n`);
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts dist/src/main.js with `extraEnv`; resolves when /health answers 200.
 * @param {string} databaseUrl
 * @param {string} opsKey
 * @param {Record<string, string>} extraEnv
 */
function startApp(databaseUrl, opsKey, extraEnv) {
  // BENCH_TIMERS_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the drain.
  const nodeArgs = (process.env.BENCH_TIMERS_NODE_ARGS || '').split(' ').filter(Boolean);
  return startProcess({ databaseUrl, opsKey, env: extraEnv, nodeArgs });
}

/**
 * Seeds `count` out_of_stock cases through the API; returns their ids.
 * @param {string} databaseUrl
 * @param {string} opsKey
 * @param {number} count
 */
async function seedTemplates(databaseUrl, opsKey, count) {
  const app = await startApp(databaseUrl, opsKey, {});
  try {
    const { cases, seconds } = await openCases(
      api(app.url),
      opsKey,
      count,
      'timers',
      () => 'out_of_stock',
    );
    return { ids: cases.map((c) => c.id), seconds };
  } finally {
    await app.stop();
  }
}

/**
 * Makes `n` copies of the template cases (rows, timeline, live timers), the copied
 * supplier_response timers due in a day (makeDue brings them forward). Returns the copies' ids
 * table name.
 * @param {Client} db
 * @param {string[]} templates the template cases' ids
 * @param {number} n
 * @param {string} tag names the copies' table
 */
async function makeCopies(db, templates, n, tag) {
  const started = Date.now();
  const table = `bench_timer_copies_${tag}`;
  await db.query(`CREATE TABLE ${table} (new_id uuid PRIMARY KEY, src_id uuid NOT NULL)`);
  await db.query(
    `INSERT INTO ${table} (new_id, src_id)
     SELECT gen_random_uuid(), t.id
     FROM generate_series(0, $2::int - 1) g
     JOIN LATERAL (SELECT ($1::uuid[])[1 + g % cardinality($1::uuid[])] AS id) t ON true`,
    [templates, n],
  );
  const caseCols = await columns(db, 'cases');
  await db.query(
    `INSERT INTO cases (${caseCols.join(', ')})
     SELECT ${caseCols.map((c) => (c === 'id' ? 'm.new_id' : `c.${c}`)).join(', ')}
     FROM ${table} m JOIN cases c ON c.id = m.src_id`,
  );
  const tlCols = await columns(db, 'timeline_entries', ['id', 'xid']);
  await db.query(
    `INSERT INTO timeline_entries (${tlCols.join(', ')})
     SELECT ${tlCols.map((c) => (c === 'case_id' ? 'm.new_id' : `e.${c}`)).join(', ')}
     FROM ${table} m JOIN timeline_entries e ON e.case_id = m.src_id`,
  );
  const tmCols = await columns(db, 'case_timers', ['id']);
  const tmSelect = tmCols.map((c) =>
    c === 'case_id'
      ? 'm.new_id'
      : c === 'due_at'
        ? `CASE WHEN t.kind = 'supplier_response' THEN now() + interval '1 day' ELSE t.due_at END`
        : `t.${c}`,
  );
  const ins = await db.query(
    `INSERT INTO case_timers (${tmCols.join(', ')})
     SELECT ${tmSelect.join(', ')}
     FROM ${table} m JOIN case_timers t ON t.case_id = m.src_id
     WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL`,
  );
  await db.query(`ANALYZE cases; ANALYZE case_timers; ANALYZE timeline_entries`);
  return { table, timersCopied: ins.rowCount, seconds: (Date.now() - started) / 1000 };
}

/**
 * Makes the copies' supplier_response timers due (a minute ago), all in one commit.
 * @param {Client} db
 * @param {string} table
 * @param {number} n
 */
async function makeDue(db, table, n) {
  const res = await db.query(
    `UPDATE case_timers t SET due_at = now() - interval '1 minute'
     FROM ${table} m
     WHERE t.case_id = m.new_id AND t.kind = 'supplier_response'
       AND t.fired_at IS NULL AND t.cancelled_at IS NULL`,
  );
  if (res.rowCount !== n) throw new Error(`expected ${n} timers made due, got ${res.rowCount}`);
  const { n: due } = /** @type {{ n: number }} */ (await queryOne(db, DUE));
  if (due > n) throw new Error(`expected at most ${n} due timers, found ${due}`);
}

/**
 * What fired among the copies (fired_at is the drain's start time, so no rate from it).
 * @param {Client} db
 * @param {string} table
 */
async function firedStats(db, table) {
  /** @type {import('pg').QueryResult<{ fired: number, breached: number }>} */
  const { rows } = await db.query(
    `SELECT count(*)::int AS fired, count(*) FILTER (WHERE t.breached)::int AS breached
     FROM ${table} m JOIN case_timers t ON t.case_id = m.new_id
     WHERE t.kind = 'supplier_response' AND t.fired_at IS NOT NULL`,
  );
  /** @type {import('pg').QueryResult<{ type: string, n: number }>} */
  const entries = await db.query(
    `SELECT e.type, count(*)::int AS n FROM ${table} m
     JOIN timeline_entries e ON e.case_id = m.new_id
     WHERE e.type IN ('TIMER_FIRED', 'SLA_BREACHED') GROUP BY e.type`,
  );
  return {
    ...rows[0],
    entries: Object.fromEntries(entries.rows.map((r) => [r.type, r.n])),
  };
}

/**
 * Polls the due count every 200 ms until 0 or `timeoutSec`.
 * @param {Client} db
 * @param {number} timeoutSec
 * @param {number} since ms, when the timers were made due
 */
async function waitDrained(db, timeoutSec, since) {
  /** @type {number} */
  let left;
  for (;;) {
    ({ n: left } = /** @type {{ n: number }} */ (await queryOne(db, DUE)));
    if (left === 0 || Date.now() - since > timeoutSec * 1000) break;
    await sleep(200);
  }
  return { left, drainedAt: Date.now() };
}

/**
 * Starts `instances` apps with the scheduler on (every 100 ms), and only once all are up makes the
 * copies' timers due: the clock starts at that commit, so start-up is not measured.
 * @param {string} databaseUrl
 * @param {string} opsKey
 * @param {Client} db
 * @param {string[]} templates
 * @param {number} n
 * @param {number} instances
 * @param {number} timeoutSec
 * @returns {Promise<SchedulerRun>}
 */
async function schedulerRun(databaseUrl, opsKey, db, templates, n, instances, timeoutSec, run = 1) {
  const copies = await makeCopies(db, templates, n, `i${instances}_r${run}`);
  log(`${instances} instance(s): ${n} cases and timers copied in ${copies.seconds.toFixed(1)} s`);
  /** @type {Awaited<ReturnType<typeof startApp>>[]} */
  const apps = [];
  let wait = { left: n, drainedAt: Date.now() };
  let since = Date.now();
  try {
    for (const a of await Promise.all(
      Array.from({ length: instances }, () =>
        startApp(databaseUrl, opsKey, {
          REDRESS_SCHEDULER: '1',
          REDRESS_SCHEDULER_INTERVAL_MS: '100',
        }),
      ),
    ))
      apps.push(a);
    await sleep(1000); // let start-up work (JIT, pool connections) settle
    await makeDue(db, copies.table, n);
    since = Date.now();
    wait = await waitDrained(db, timeoutSec, since);
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
  }
  const stats = await firedStats(db, copies.table);
  const seconds = (wait.drainedAt - since) / 1000;
  const result = {
    instances,
    timers: n,
    left: wait.left,
    fired: stats.fired,
    breached: stats.breached,
    entries: stats.entries,
    seconds: Math.round(seconds * 10) / 10,
    timersPerSec: Math.round(stats.fired / seconds),
    timedOut: wait.left > 0,
  };
  log(`${instances} instance(s): ${JSON.stringify(result)}`);
  return result;
}

/**
 * The claim statement + the fired_at UPDATE only, one transaction per batch, `width` loops.
 * @param {string} databaseUrl
 * @param {Client} db
 * @param {string[]} templates
 * @param {number} n
 * @param {number} width connections
 * @param {number} timeoutSec
 * @returns {Promise<RawClaimsRun>}
 */
async function rawClaims(databaseUrl, db, templates, n, width, timeoutSec, run = 1) {
  const copies = await makeCopies(db, templates, n, `raw_r${run}`);
  await makeDue(db, copies.table, n);
  log(`raw claims: ${n} due timers copied in ${copies.seconds.toFixed(1)} s`);
  const clients = await Promise.all(
    Array.from({ length: width }, async () => {
      const c = new Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  let claimed = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + timeoutSec * 1000;
  const now = new Date();
  try {
    await Promise.all(
      clients.map(async (c) => {
        while (Date.now() < deadline) {
          await c.query('BEGIN');
          /** @type {import('pg').QueryResult<{ id: string }>} */
          const { rows } = await c.query(CLAIM, [now, [], CLAIM_BATCH_SIZE]);
          if (rows.length === 0) {
            await c.query('COMMIT');
            return;
          }
          await c.query('UPDATE case_timers SET fired_at = now() WHERE id = ANY($1::bigint[])', [
            rows.map((r) => r.id),
          ]);
          await c.query('COMMIT');
          claimed += rows.length;
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result = {
    connections: width,
    timers: n,
    claimed,
    seconds: Math.round(seconds * 100) / 100,
    claimsPerSec: Math.round(claimed / seconds),
  };
  log(`raw claims: ${JSON.stringify(result)}`);
  return result;
}

/**
 * The run with the median `rate`, with every run's rate beside it.
 * @template {Record<K, number>} T
 * @template {string} K
 * @param {T[]} runs
 * @param {K} rate
 */
function medianRun(runs, rate) {
  const sorted = [...runs].sort((a, b) => a[rate] - b[rate]);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], runsPerSec: runs.map((r) => r[rate]) };
}

/**
 * Seeds the templates, then measures 1 instance, 2 instances and the raw claim `runs` times.
 * @param {{ databaseUrl: string, opsKey?: string, timers: number, templates?: number, runs?: number }} options
 * @returns {Promise<import('./lib/results').TimersResult>}
 */
async function runTimers({
  databaseUrl,
  opsKey = BENCH_OPS_KEY,
  timers,
  templates = 500,
  runs = 1,
}) {
  const timeoutSec = Number(env('BENCH_TIMEOUT', 240));
  const seeded = await seedTemplates(databaseUrl, opsKey, templates);
  log(`${templates} out_of_stock cases seeded in ${seeded.seconds.toFixed(1)} s`);
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    /** @type {import('pg').QueryResult<{ kind: string, n: number }>} */
    const kinds = await db.query(
      `SELECT kind, count(*)::int AS n FROM case_timers
       WHERE case_id = ANY($1::uuid[]) AND fired_at IS NULL AND cancelled_at IS NULL
       GROUP BY kind ORDER BY kind`,
      [seeded.ids],
    );
    const live = Object.fromEntries(kinds.rows.map((r) => [r.kind, r.n]));
    if (live.supplier_response !== templates) {
      throw new Error(`expected a supplier_response timer per case: ${JSON.stringify(live)}`);
    }
    const ones = [];
    const twos = [];
    const raws = [];
    // Each run on fresh copies: 1 instance, 2 instances, the raw claim.
    for (let run = 1; run <= runs; run++) {
      ones.push(
        await schedulerRun(databaseUrl, opsKey, db, seeded.ids, timers, 1, timeoutSec, run),
      );
      twos.push(
        await schedulerRun(databaseUrl, opsKey, db, seeded.ids, timers, 2, timeoutSec, run),
      );
      raws.push(await rawClaims(databaseUrl, db, seeded.ids, timers, 4, timeoutSec, run));
    }
    const one = medianRun(ones, 'timersPerSec');
    const two = medianRun(twos, 'timersPerSec');
    const raw = medianRun(raws, 'claimsPerSec');
    return {
      timers,
      templates,
      runs,
      seedCasesPerSec: Math.round(templates / seeded.seconds),
      liveTimersPerTemplate: live,
      one,
      two,
      raw,
    };
  } finally {
    await db.end();
  }
}

module.exports = { runTimers };

if (require.main === module) {
  const databaseUrl = env('BENCH_DATABASE_URL', null);
  if (!databaseUrl) {
    process.stderr.write('set BENCH_DATABASE_URL (an empty database; the app migrates it)\n');
    process.exit(1);
  }
  runTimers({
    databaseUrl,
    opsKey: env('BENCH_OPS_KEY', BENCH_OPS_KEY),
    timers: Number(env('BENCH_TIMERS', 20000)),
    templates: Number(env('BENCH_TEMPLATES', 500)),
    runs: Number(env('BENCH_RUNS', 1)),
  })
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((error) => {
      process.stderr.write(
        `timers bench failed: ${error instanceof Error ? error.stack : error}\n`,
      );
      process.exit(1);
    });
}
