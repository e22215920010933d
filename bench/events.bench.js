#!/usr/bin/env node
// @ts-check
/**
 * HTTP events against a running Redress, side by side with pgbench running the SQL one NOTE event
 * costs, against the same database. Plain Node; `scripts/bench.js` runs it (`npm run bench`), or
 * by hand against an app you started yourself:
 *
 *   BENCH_URL=http://127.0.0.1:3000 BENCH_OPS_KEY=rk_... BENCH_DATABASE_URL=postgres://... \
 *     node bench/events.bench.js
 *
 * The app must run with REDRESS_RATE_LIMIT_PER_SECOND raised (e.g. 1000000), LOG_LEVEL=silent,
 * REDRESS_SCHEDULER=0 and REDRESS_DISPATCHER=0.
 *
 * 1. Seeds BENCH_CASES cases (default 10,000) through the API, over 4 merchants and 2 suppliers:
 *    half are NOTE targets, half are "fresh" cases kept for real transitions (out_of_stock:
 *    REQUEST_REFUND then REFUNDED; oversize: REFUNDED).
 * 2. Runs autocannon in a separate process (bench/events-load.js), BENCH_CONNECTIONS (16)
 *    connections for BENCH_DURATION (15) seconds: NOTE on a random NOTE target, every
 *    BENCH_TRANSITION_EVERY-th (10th) request a real transition while fresh cases last, and every
 *    BENCH_OPEN_EVERY-th (20th) request a new case opened by a merchant.
 * 3. Runs pgbench (BENCH_PGBENCH, default /usr/lib/postgresql/15/bin/pgbench) with the same
 *    clients and duration, script bench/note-event.pgbench.sql: the two statements a NOTE event
 *    sends (the read of the case; the step statement writing the case row and the timeline entry),
 *    prepared, as the app prepares them (src/database/prepared.ts). Then again with bench/note-event-locked.pgbench.sql,
 *    the same event the locked way (BEGIN; FOR UPDATE; read; write; COMMIT): 5 round trips.
 * Prints one JSON object: HTTP events/s, p50/p99, non-2xx, pgbench tps, and their ratio; and for
 * the HTTP load and the first pgbench, the CPU ms per request (per transaction) of the app
 * (BENCH_APP_PID), of PostgreSQL, of the rest (load generator, pgbench), and the machine's idle
 * share (bench/cpu-account.js).
 */
'use strict';
const path = require('node:path');
const { Client } = require('pg');
const { startCpuAccount } = require('./cpu-account');
const { envOr: env } = require('./lib/args');
const { order } = require('./lib/order');
const { parseJson } = require('./lib/untyped');
const { run, runGenerator } = require('./lib/child');

/**
 * @typedef {{ id: string, key: string, type: string }} SeededCase a case and its merchant's key
 * @typedef {{ status: number, body: unknown }} Answer
 * @typedef {ReturnType<typeof api>} ApiClient
 */

/**
 * A small JSON client over the HTTP API (the same calls as test/support/fixtures.ts).
 * @param {string} baseUrl
 */
function api(baseUrl) {
  /**
   * @param {string} pathname
   * @param {string} key
   * @param {unknown} body
   * @returns {Promise<Answer>}
   */
  async function post(pathname, key, body) {
    const res = await fetch(baseUrl + pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? parseJson(text) : null };
  }
  /**
   * @param {string} pathname
   * @param {string} key
   * @param {unknown} body
   * @param {number} status the status expected
   */
  async function must(pathname, key, body, status) {
    const res = await post(pathname, key, body);
    if (res.status !== status) {
      throw new Error(`POST ${pathname}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body;
  }
  return {
    post,
    /**
     * @param {string} opsKey
     * @param {string} name
     * @returns {Promise<{ id: string, key: string }>}
     */
    async merchant(opsKey, name) {
      const m = /** @type {{ id: string }} */ (
        await must('/v1/merchants', opsKey, { name, country: 'FR' }, 201)
      );
      const k = /** @type {{ key: string }} */ (
        await must(`/v1/merchants/${m.id}/api-keys`, opsKey, {}, 201)
      );
      return { id: m.id, key: k.key };
    },
    /**
     * @param {string} opsKey
     * @param {string} name
     * @returns {Promise<{ id: string }>}
     */
    async supplier(opsKey, name) {
      const s = /** @type {{ id: string }} */ (
        await must('/v1/suppliers', opsKey, { name, country: 'CN' }, 201)
      );
      return { id: s.id };
    },
    /**
     * @param {string} key
     * @param {string} supplierId
     * @param {string} type
     * @returns {Promise<string>} the case's id
     */
    async open(key, supplierId, type) {
      const ref = `ORD-${Math.random().toString(36).slice(2, 10)}`;
      const c = /** @type {{ id: string }} */ (
        await must('/v1/cases', key, { type, supplierId, order: order(ref) }, 201)
      );
      return c.id;
    },
    /**
     * @param {string} key
     * @param {string} caseId
     * @param {string} type
     * @param {unknown} [payload]
     */
    event(key, caseId, type, payload) {
      return post(`/v1/cases/${caseId}/events`, key, payload ? { type, payload } : { type });
    },
  };
}

/**
 * Runs `fn(i)` for i in [0, n) with at most `width` in flight.
 * @template T
 * @param {number} n
 * @param {number} width
 * @param {(i: number) => Promise<T>} fn
 * @returns {Promise<T[]>}
 */
async function pool(n, width, fn) {
  /** @type {T[]} */
  const out = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

/**
 * Creates 4 merchants and 2 suppliers, then opens `count` cases over them in turn, case i of type
 * `typeOf(i)`. Returns the parties, the cases as { id, key, type } and the seconds the openings
 * took.
 * @param {ApiClient} client
 * @param {string} opsKey
 * @param {number} count
 * @param {string} tag
 * @param {(i: number) => string} typeOf
 */
async function openCases(client, opsKey, count, tag, typeOf) {
  const merchants = await pool(4, 4, (i) => client.merchant(opsKey, `Bench shop ${tag}-${i}`));
  const suppliers = await pool(2, 2, (i) => client.supplier(opsKey, `Bench factory ${tag}-${i}`));
  const started = Date.now();
  const cases = await pool(count, 16, async (i) => {
    const m = merchants[i % merchants.length];
    const s = suppliers[i % suppliers.length];
    const type = typeOf(i);
    /** @type {SeededCase} */
    const c = { id: await client.open(m.key, s.id, type), key: m.key, type };
    return c;
  });
  return { merchants, suppliers, cases, seconds: (Date.now() - started) / 1000 };
}

/**
 * Creates merchants, suppliers and `count` cases. Returns NOTE targets and fresh cases, each as
 * { id, key, type }.
 * @param {ApiClient} client
 * @param {string} opsKey
 * @param {number} count
 * @param {string} tag
 */
async function seed(client, opsKey, count, tag) {
  const { merchants, suppliers, cases, seconds } = await openCases(
    client,
    opsKey,
    count,
    tag,
    (i) => (Math.floor(i / 4) % 2 === 0 ? 'out_of_stock' : 'oversize'),
  );
  const half = Math.floor(count / 2);
  const openers = merchants.map((m, i) => ({
    key: m.key,
    supplierId: suppliers[i % suppliers.length].id,
  }));
  return { notes: cases.slice(0, half), fresh: cases.slice(half), openers, seconds };
}

/**
 * 200 NOTEs (8 at a time) on the given `{id, key}` cases, so that a measured load does not time
 * the JIT warming up; each must be answered 200.
 * @param {ApiClient} client
 * @param {SeededCase[]} notes
 */
async function warmUp(client, notes) {
  await pool(200, 8, async (i) => {
    const c = notes[i % notes.length];
    const res = await client.event(c.key, c.id, 'NOTE', { text: 'warm-up' });
    if (res.status !== 200) throw new Error(`warm-up NOTE: ${res.status}`);
  });
}

/**
 * Runs pgbench with `script` at `clients` for `seconds`; returns tps and average latency. Prepared
 * statements (-M prepared), as the app sends its hot statements (src/database/prepared.ts).
 * @param {string} pgbenchPath
 * @param {string} databaseUrl
 * @param {string} script
 * @param {number} clients
 * @param {number} seconds
 * @param {Record<string, string | number>} vars pgbench variables (-D)
 */
async function pgbench(pgbenchPath, databaseUrl, script, clients, seconds, vars) {
  const args = ['-n', '-M', 'prepared', '-c', String(clients), '-j', '2', '-T', String(seconds)];
  for (const [k, v] of Object.entries(vars)) args.push('-D', `${k}=${v}`);
  args.push('-f', script, databaseUrl);
  const { stdout } = await run(pgbenchPath, args);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1]);
  const latency = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
  const failed = Number(/number of failed transactions: (\d+)/.exec(stdout)?.[1] ?? 0);
  const done = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1]);
  if (!Number.isFinite(tps)) throw new Error(`pgbench: no tps in output:\n${stdout}`);
  return { tps: Math.round(tps), latencyAvgMs: latency, transactions: done, failed };
}

async function main() {
  const baseUrl = env('BENCH_URL', 'http://127.0.0.1:3000');
  const opsKey = env('BENCH_OPS_KEY', null);
  const databaseUrl = env('BENCH_DATABASE_URL', null);
  if (!opsKey || !databaseUrl) throw new Error('set BENCH_OPS_KEY and BENCH_DATABASE_URL');
  const count = Number(env('BENCH_CASES', 10000));
  const connections = Number(env('BENCH_CONNECTIONS', 16));
  const duration = Number(env('BENCH_DURATION', 15));
  const transitionEvery = Number(env('BENCH_TRANSITION_EVERY', 10));
  const openEvery = Number(env('BENCH_OPEN_EVERY', 20));
  const pgbenchPath = env('BENCH_PGBENCH', '/usr/lib/postgresql/15/bin/pgbench');
  const tag = env('BENCH_TAG', String(Date.now()));
  const appPid = Number(env('BENCH_APP_PID', 0)); // for the CPU account; 0: app CPU not read

  const client = api(baseUrl);
  const seeded = await seed(client, opsKey, count, tag);

  await warmUp(client, seeded.notes);

  const loadCpu = startCpuAccount(appPid);
  const http = /** @type {import('./lib/results').EventsLoad} */ (
    await runGenerator('events-load.js', {
      url: baseUrl,
      opsKey,
      connections,
      duration,
      transitionEvery,
      openEvery,
      openers: seeded.openers,
      notes: seeded.notes,
      fresh: seeded.fresh,
    })
  );
  http.cpu = loadCpu.stop(http.requests);

  // pgbench picks a random NOTE target through this table (one index lookup in the same query).
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    await db.query(
      `CREATE TABLE IF NOT EXISTS bench_cases (n integer PRIMARY KEY, id uuid NOT NULL)`,
    );
    await db.query(`TRUNCATE bench_cases`);
    await db.query(
      `INSERT INTO bench_cases (n, id) SELECT ord, id FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, ord)`,
      [seeded.notes.map((c) => c.id)],
    );
  } finally {
    await db.end();
  }
  const script = path.join(__dirname, 'note-event.pgbench.sql');
  const vars = { ncases: seeded.notes.length };
  const pgCpu = startCpuAccount(0);
  const measured = await pgbench(pgbenchPath, databaseUrl, script, connections, duration, vars);
  /** @type {import('./lib/results').PgbenchRun} */
  const pg = { ...measured, cpu: pgCpu.stop(measured.transactions) };
  // The same event the locked way (5 round trips), for reference.
  const lockedScript = path.join(__dirname, 'note-event-locked.pgbench.sql');
  const pgLocked = await pgbench(
    pgbenchPath,
    databaseUrl,
    lockedScript,
    connections,
    duration,
    vars,
  );

  const result = {
    cases: count,
    seedCasesPerSec: Math.round(count / seeded.seconds),
    connections,
    durationSec: duration,
    http,
    pgbench: pg,
    pgbenchLocked: pgLocked,
    ratio: Math.round((http.eventsPerSec / pg.tps) * 1000) / 1000,
    ratioToLocked: Math.round((http.eventsPerSec / pgLocked.tps) * 1000) / 1000,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

module.exports = { api, openCases, seed, pool, warmUp };

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`events bench failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  });
}
