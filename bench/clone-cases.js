// @ts-check
/**
 * Grows a Redress database by SQL: copies of template cases opened through the API, with new ids,
 * their timeline entries and their live timers. Used by bench/growth.bench.js.
 *
 * Unlike the copies of bench/timers.bench.js (which keep the templates' hashes, so a copy's chain
 * does not verify: `hash` covers `caseId`), each copy's hash chain is recomputed in SQL for its new
 * id, so `GET /v1/cases/:id/timeline` reports it valid (and checks all of it, as for a real case)
 * and an audit export of the grown database passes `npm run verify-export`:
 *
 * 1. snapshotTemplates(db, ids): the templates' rows (cases, timeline entries, live timers) are
 *    copied once into bench_tpl_* tables, so that what later happens to the templates themselves
 *    (events under load) is never copied. Each template entry's RFC 8785 canonical JSON (the
 *    app's own canonicalJson, from dist/) is split around its `caseId` and `prevHash` values into
 *    three constant parts a, b, c: hash = sha256(a || caseId || b || prevHash || c), checked
 *    against every stored hash.
 * 2. cloneCases(db, n): four statements whatever n, no per-row round trip:
 *    - a staging table of the copies' chains: `generate_series` picks the templates round-robin,
 *      `gen_random_uuid()` the new ids, a recursive CTE walks seq 1, 2, ... computing each hash
 *      with PostgreSQL's sha256() from the previous one;
 *    - INSERT ... SELECT into cases (last_hash = the copy's head), timeline_entries (in seq order
 *      when a template has more than one entry, so that identity order is chain order, as the
 *      audit export expects), case_timers.
 */
'use strict';
const { createHash, randomBytes } = require('node:crypto');
const path = require('node:path');
const { queryOne, queryRows, requireBuilt } = require('./lib/untyped');

const ROOT = path.resolve(__dirname, '..');
const GENESIS = '0'.repeat(64);

/**
 * A module of the built app (dist/src), required at run time (the bench runs the built app).
 * @param {string} module
 */
function dist(module) {
  return requireBuilt(path.join(ROOT, 'dist/src', module));
}

/**
 * The columns of `table`, in order, but `skip`.
 * @param {import('pg').Client} db
 * @param {string} table
 * @param {string[]} [skip]
 * @returns {Promise<string[]>}
 */
async function columns(db, table, skip = []) {
  const { rows } = await db.query(
    `SELECT column_name FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows
    .map((/** @type {{ column_name: string }} */ r) => r.column_name)
    .filter((c) => !skip.includes(c));
}

/**
 * Copies the template cases `ids` (their rows, timeline, live timers) into bench_tpl_* tables and
 * the constant parts of their entries' canonical JSON into bench_tpl_parts. Returns the count.
 * @param {import('pg').Client} db
 * @param {string[]} ids
 */
async function snapshotTemplates(db, ids) {
  const { canonicalJson } = /** @type {typeof import('../src/timeline/canonical-json')} */ (
    dist('timeline/canonical-json')
  );
  const { toEntry } = /** @type {typeof import('../src/timeline/timeline.service')} */ (
    dist('timeline/timeline.service')
  );
  const caseCols = await columns(db, 'cases');
  await db.query(`DROP TABLE IF EXISTS bench_tpl_cases, bench_tpl_timeline, bench_tpl_timers,
    bench_tpl_parts`);
  await db.query(
    `CREATE TABLE bench_tpl_cases AS
     SELECT (row_number() OVER (ORDER BY id) - 1)::int AS k, ${caseCols.join(', ')}
     FROM cases WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  await db.query(`CREATE TABLE bench_tpl_timeline AS
    SELECT e.* FROM timeline_entries e JOIN bench_tpl_cases c ON c.id = e.case_id`);
  await db.query(`CREATE TABLE bench_tpl_timers AS
    SELECT t.* FROM case_timers t JOIN bench_tpl_cases c ON c.id = t.case_id
    WHERE t.fired_at IS NULL AND t.cancelled_at IS NULL`);

  const cases = /** @type {{ id: string, version: number, last_hash: string }[]} */ (
    await queryRows(db, `SELECT id, version, last_hash FROM bench_tpl_cases`)
  );
  if (cases.length !== ids.length) {
    throw new Error(`templates: ${cases.length} of ${ids.length} cases found`);
  }
  const entries = /** @type {Parameters<typeof toEntry>[0][]} */ (
    await queryRows(
      db,
      `SELECT case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash
       FROM bench_tpl_timeline ORDER BY case_id, seq`,
    )
  );
  const CASE = `c${randomBytes(12).toString('hex')}`;
  const PREV = `p${randomBytes(12).toString('hex')}`;
  /** @type {{ src: string[], seq: number[], a: string[], b: string[], c: string[] }} */
  const parts = { src: [], seq: [], a: [], b: [], c: [] };
  /** @type {Map<string, { seq: number, hash: string }>} */
  const heads = new Map();
  for (const row of entries) {
    const entry = toEntry(row);
    const { caseId, seq, at, type, actor, fromState, toState, payload } = entry;
    const text = canonicalJson({
      caseId: CASE,
      seq,
      at,
      type,
      actor,
      fromState,
      toState,
      payload,
      prevHash: PREV,
    });
    const [a, rest, ...more] = text.split(CASE);
    const [b, c, ...more2] = (rest ?? '').split(PREV);
    if (more.length || more2.length || c === undefined) {
      throw new Error(`templates: cannot split the canonical JSON of ${caseId} seq ${seq}`);
    }
    const head = heads.get(caseId) ?? { seq: 0, hash: GENESIS };
    const hash = createHash('sha256')
      .update(a + caseId + b + entry.prevHash + c, 'utf8')
      .digest('hex');
    if (seq !== head.seq + 1 || entry.prevHash !== head.hash || hash !== entry.hash) {
      throw new Error(`templates: the chain of ${caseId} does not verify at seq ${seq}`);
    }
    heads.set(caseId, { seq, hash });
    parts.src.push(caseId);
    parts.seq.push(seq);
    parts.a.push(a);
    parts.b.push(b);
    parts.c.push(c);
  }
  for (const c of cases) {
    const head = heads.get(c.id);
    if (!head || head.seq !== c.version || head.hash !== c.last_hash) {
      throw new Error(`templates: case ${c.id} version/last_hash do not match its timeline`);
    }
  }
  await db.query(`CREATE TABLE bench_tpl_parts (src_id uuid NOT NULL, seq integer NOT NULL,
    a text NOT NULL, b text NOT NULL, c text NOT NULL, PRIMARY KEY (src_id, seq))`);
  await db.query(
    `INSERT INTO bench_tpl_parts (src_id, seq, a, b, c)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[])`,
    [parts.src, parts.seq, parts.a, parts.b, parts.c],
  );
  await db.query(`ANALYZE bench_tpl_cases; ANALYZE bench_tpl_timeline; ANALYZE bench_tpl_timers;
    ANALYZE bench_tpl_parts`);
  return { templates: cases.length, entries: entries.length };
}

/**
 * Inserts `n` copies of the templates (round-robin), each with a new id and its chain rehashed.
 * Returns the rows inserted per table, the seconds taken, and the seconds of each statement.
 * @param {import('pg').Client} db
 * @param {number} n
 */
async function cloneCases(db, n) {
  const started = Date.now();
  /** @type {Record<string, number>} */
  const steps = {};
  let at = started;
  /** @param {string} name */
  const step = (name) => {
    steps[name] = (Date.now() - at) / 1000;
    at = Date.now();
  };
  const { n: count } = /** @type {{ n: number }} */ (
    await queryOne(db, `SELECT count(*)::int AS n FROM bench_tpl_cases`)
  );
  if (!count) throw new Error('cloneCases: no templates (snapshotTemplates first)');
  // Identity order must be chain order within a copy: a sort only when a chain has 2 entries.
  const { n: longest } = /** @type {{ n: number }} */ (
    await queryOne(db, `SELECT max(seq)::int AS n FROM bench_tpl_parts`)
  );
  const caseCols = await columns(db, 'cases');
  const tlCols = await columns(db, 'timeline_entries', ['id', 'xid']);
  const tmCols = await columns(db, 'case_timers', ['id']);
  /**
   * @param {string} id
   * @param {string} prev
   */
  const hashOf = (id, prev) =>
    `encode(sha256(convert_to(p.a || ${id}::text || p.b || ${prev} || p.c, 'UTF8')), 'hex')`;
  await db.query(`DROP TABLE IF EXISTS bench_clone_chain`);
  await db.query(
    `CREATE UNLOGGED TABLE bench_clone_chain AS
     WITH RECURSIVE copies AS MATERIALIZED (
       SELECT gen_random_uuid() AS new_id, t.id AS src_id
       FROM generate_series(0, $1::int - 1) g JOIN bench_tpl_cases t ON t.k = g % $2::int
     ), chain AS (
       SELECT m.new_id, m.src_id, p.seq, '${GENESIS}'::text AS prev_hash,
              ${hashOf('m.new_id', `'${GENESIS}'`)} AS hash
       FROM copies m JOIN bench_tpl_parts p ON p.src_id = m.src_id AND p.seq = 1
       UNION ALL
       SELECT ch.new_id, ch.src_id, p.seq, ch.hash, ${hashOf('ch.new_id', 'ch.hash')}
       FROM chain ch JOIN bench_tpl_parts p ON p.src_id = ch.src_id AND p.seq = ch.seq + 1
     )
     SELECT * FROM chain`,
    [n, count],
  );
  step('chain');
  // The copies reference rows that exist by construction: no per-row foreign-key check (this
  // session only; the app's sessions keep every trigger). Needs a superuser; else the checks run.
  const replica = await db.query(`SET session_replication_role = replica`).then(
    () => true,
    () => false,
  );
  try {
    const cases = await db.query(
      `INSERT INTO cases (${caseCols.join(', ')})
       SELECT ${caseCols
         .map((c) =>
           c === 'id'
             ? 'ch.new_id'
             : c === 'last_hash'
               ? 'ch.hash'
               : c === 'order_snapshot'
                 ? // One open case per order and type (intake.md): each copy is about an order of its own.
                   `jsonb_set(t.order_snapshot, '{ref}', to_jsonb((t.order_snapshot->>'ref') || '-' || ch.new_id::text))`
                 : `t.${c}`,
         )
         .join(', ')}
       FROM bench_clone_chain ch
       JOIN bench_tpl_cases t ON t.id = ch.src_id AND ch.seq = t.version`,
    );
    step('cases');
    /** @type {Record<string, string>} */
    const replaced = { case_id: 'ch.new_id', prev_hash: 'ch.prev_hash', hash: 'ch.hash' };
    const timeline = await db.query(
      `INSERT INTO timeline_entries (${tlCols.join(', ')})
       SELECT ${tlCols.map((c) => replaced[c] ?? `e.${c}`).join(', ')}
       FROM bench_clone_chain ch
       JOIN bench_tpl_timeline e ON e.case_id = ch.src_id AND e.seq = ch.seq
       ${longest > 1 ? 'ORDER BY ch.seq' : ''}`,
    );
    step('timeline');
    const timers = await db.query(
      `INSERT INTO case_timers (${tmCols.join(', ')})
       SELECT ${tmCols.map((c) => (c === 'case_id' ? 'ch.new_id' : `t.${c}`)).join(', ')}
       FROM bench_clone_chain ch JOIN bench_tpl_timers t ON t.case_id = ch.src_id
       WHERE ch.seq = 1`,
    );
    step('timers');
    if (cases.rowCount !== n) throw new Error(`cloneCases: ${cases.rowCount} of ${n} cases copied`);
    return {
      cases: cases.rowCount,
      timelineEntries: timeline.rowCount,
      timers: timers.rowCount,
      seconds: (Date.now() - started) / 1000,
      steps,
      foreignKeyChecks: !replica,
    };
  } finally {
    if (replica) await db.query(`RESET session_replication_role`);
    await db.query(`DROP TABLE IF EXISTS bench_clone_chain`);
  }
}

module.exports = { snapshotTemplates, cloneCases, columns };
