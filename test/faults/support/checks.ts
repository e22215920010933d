/**
 * What must hold after any fault, read from the rows themselves and through the API: every
 * acknowledged request is on the timeline exactly once, every case is whole (opened, gapless,
 * version = last seq, state = last entry's toState, hash chain linked), every timer fired at most
 * once and none that came due was lost.
 */
import type { Pool } from 'pg';
import type { Sent } from './load';

const ZERO_HASH = '0'.repeat(64);
/** Enough problems to see the pattern; a whole list of thousands helps no one. */
const SHOWN = 20;

const isAck = (s: Sent) => s.status !== null && s.status >= 200 && s.status < 300;

/**
 * Every ref acknowledged (2xx) is on the timeline exactly once, on its case and as its type (an
 * opened case: exactly one case with that order ref); an unacknowledged one at most once (its
 * commit may have happened before the connection died); nothing appears that was never sent.
 * Requests with the same ref (one webhook delivered twice) count as one.
 */
export async function acknowledgedExactlyOnce(pool: Pool, sent: Sent[], label: string) {
  const entries = await pool.query<{ case_id: string; type: string; ref: string }>(
    // The ref is the event's own text: a NOTE's text, a reason, a webhook's tracking number.
    `SELECT case_id, type, ref FROM (
       SELECT case_id, type,
         COALESCE(payload->>'text', payload->>'reason', payload->>'trackingNumber') AS ref
       FROM timeline_entries) e
     WHERE ref LIKE $1`,
    [`${label}-%`],
  );
  const opened = await pool.query<{ id: string; ref: string }>(
    `SELECT id, order_snapshot->>'ref' AS ref FROM cases WHERE order_snapshot->>'ref' LIKE $1`,
    [`${label}-%`],
  );
  const found = new Map<string, { caseId: string; type: string }[]>();
  const add = (ref: string, hit: { caseId: string; type: string }) =>
    found.set(ref, [...(found.get(ref) ?? []), hit]);
  for (const row of entries.rows) add(row.ref, { caseId: row.case_id, type: row.type });
  for (const row of opened.rows) add(row.ref, { caseId: row.id, type: 'out_of_stock' });

  const byRef = new Map<string, Sent[]>();
  for (const s of sent) byRef.set(s.ref, [...(byRef.get(s.ref) ?? []), s]);

  const problems: string[] = [];
  let acknowledged = 0;
  for (const [ref, requests] of byRef) {
    const hits = found.get(ref) ?? [];
    const first = requests[0];
    const ack = requests.find(isAck);
    if (ack) acknowledged += 1;
    if (hits.length > 1) problems.push(`${ref} (${first.type}) is recorded ${hits.length} times`);
    if (ack && hits.length === 0) {
      problems.push(`${ref} (${first.type}, answered ${ack.status}) is not on any timeline`);
    }
    const caseId = ack?.caseId ?? first.caseId;
    for (const hit of hits) {
      if (hit.type !== first.type || (caseId !== null && hit.caseId !== caseId)) {
        problems.push(
          `${ref} was sent as ${first.type} to ${caseId}, found as ${hit.type} on ${hit.caseId}`,
        );
      }
    }
  }
  for (const ref of found.keys()) {
    if (!byRef.has(ref)) problems.push(`${ref} is recorded but was never sent`);
  }
  return { problems: problems.slice(0, SHOWN), acknowledged, recorded: found.size };
}

/**
 * Every case is whole: its timeline starts with CASE_OPENED at seq 1 and has no gap, `version` is
 * the last seq (so the number of entries), `state` is the last entry's toState, `last_hash` the
 * last entry's hash, and each entry's prevHash is the hash before it.
 */
export async function wholeCases(pool: Pool) {
  const cases = await pool.query<{
    id: string;
    version: number;
    state: string;
    last_hash: string;
    entries: number;
    min_seq: number | null;
    max_seq: number | null;
    first_type: string | null;
    last_to_state: string | null;
    last_entry_hash: string | null;
  }>(
    `SELECT c.id, c.version, c.state, c.last_hash,
            count(e.seq)::int AS entries, min(e.seq) AS min_seq, max(e.seq) AS max_seq,
            (array_agg(e.type ORDER BY e.seq))[1] AS first_type,
            (array_agg(e.to_state ORDER BY e.seq DESC))[1] AS last_to_state,
            (array_agg(e.hash ORDER BY e.seq DESC))[1] AS last_entry_hash
     FROM cases c LEFT JOIN timeline_entries e ON e.case_id = c.id
     GROUP BY c.id`,
  );
  const problems: string[] = [];
  for (const c of cases.rows) {
    const say = (what: string) => problems.push(`case ${c.id}: ${what}`);
    if (c.entries === 0) say('has no timeline');
    else {
      if (c.first_type !== 'CASE_OPENED' || c.min_seq !== 1)
        say(`starts with ${c.first_type} at seq ${c.min_seq}`);
      if (c.max_seq !== c.entries) say(`${c.entries} entries up to seq ${c.max_seq} (a gap)`);
      if (c.version !== c.max_seq) say(`version ${c.version}, last seq ${c.max_seq}`);
      if (c.state !== c.last_to_state) say(`state ${c.state}, last toState ${c.last_to_state}`);
      if (c.last_hash !== c.last_entry_hash) say('last_hash is not the last entry’s hash');
    }
  }
  const links = await pool.query<{ case_id: string; seq: number }>(
    `SELECT e.case_id, e.seq FROM timeline_entries e
     LEFT JOIN timeline_entries p ON p.case_id = e.case_id AND p.seq = e.seq - 1
     WHERE CASE WHEN e.seq = 1 THEN e.prev_hash <> $1
                ELSE p.hash IS NULL OR e.prev_hash <> p.hash END`,
    [ZERO_HASH],
  );
  for (const l of links.rows)
    problems.push(`case ${l.case_id}: seq ${l.seq} does not link to the entry before`);
  return { problems: problems.slice(0, SHOWN), cases: cases.rows.length };
}

/**
 * Timers fired at most once: per case and kind, as many `TIMER_FIRED` entries as fired timer rows,
 * and as many `SLA_BREACHED` as fired rows marked breached.
 */
export async function timersFiredOnce(pool: Pool) {
  const mismatches = await pool.query<{
    case_id: string;
    kind: string;
    fired_rows: number;
    fired_entries: number;
    breach_rows: number;
    breach_entries: number;
  }>(
    `WITH fired AS (
       SELECT case_id, kind, count(*)::int AS n, count(*) FILTER (WHERE breached)::int AS b
       FROM case_timers WHERE fired_at IS NOT NULL GROUP BY case_id, kind),
     entries AS (
       SELECT case_id, payload->>'kind' AS kind,
              count(*) FILTER (WHERE type = 'TIMER_FIRED')::int AS n,
              count(*) FILTER (WHERE type = 'SLA_BREACHED')::int AS b
       FROM timeline_entries WHERE type IN ('TIMER_FIRED', 'SLA_BREACHED') GROUP BY case_id, payload->>'kind')
     SELECT coalesce(f.case_id, e.case_id) AS case_id, coalesce(f.kind, e.kind) AS kind,
            coalesce(f.n, 0) AS fired_rows, coalesce(e.n, 0) AS fired_entries,
            coalesce(f.b, 0) AS breach_rows, coalesce(e.b, 0) AS breach_entries
     FROM fired f FULL JOIN entries e ON e.case_id = f.case_id AND e.kind = f.kind
     WHERE coalesce(f.n, 0) <> coalesce(e.n, 0) OR coalesce(f.b, 0) <> coalesce(e.b, 0)`,
  );
  const fired = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM case_timers WHERE fired_at IS NOT NULL`,
  );
  const problems = mismatches.rows.map(
    (m) =>
      `case ${m.case_id} ${m.kind}: ${m.fired_rows} fired row(s), ${m.fired_entries} TIMER_FIRED, ` +
      `${m.breach_rows} breached row(s), ${m.breach_entries} SLA_BREACHED`,
  );
  return { problems: problems.slice(0, SHOWN), fired: fired.rows[0].n };
}

/**
 * Waits until every live timer due by now (the database's clock, which the app's shares on this
 * machine) has fired: a timer still live and due then was lost. Returns how long it took.
 */
export async function dueTimersFire(pool: Pool, timeoutMs: number): Promise<number> {
  const start = Date.now();
  const { rows } = await pool.query<{ now: Date }>('SELECT now() AS now');
  const cutoff = rows[0].now;
  for (;;) {
    const live = await pool.query<{ id: string; case_id: string; kind: string; due_at: Date }>(
      `SELECT id, case_id, kind, due_at FROM case_timers
       WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1 ORDER BY due_at`,
      [cutoff],
    );
    if (live.rows.length === 0) return Date.now() - start;
    if (Date.now() - start > timeoutMs) {
      const list = live.rows
        .slice(0, SHOWN)
        .map((t) => `${t.kind} of ${t.case_id} due ${t.due_at.toISOString()}`);
      throw new Error(`${live.rows.length} due timer(s) never fired: ${list.join('; ')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Makes up to `count` live timers (of cases not in `except`) come due within the next
 * `withinMs`, so that they fire under load. Each case is locked first, as the app does (case, then
 * its timers), so this never deadlocks with the app's own transactions. Returns how many moved.
 */
export async function timersComeDue(
  pool: Pool,
  opts: { count: number; withinMs: number; random: () => number; except?: string[] },
): Promise<number> {
  const candidates = await pool.query<{ id: string; case_id: string }>(
    `SELECT id, case_id FROM case_timers
     WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at > now() + interval '1 minute'
       AND NOT (case_id = ANY($1::uuid[]))`,
    [opts.except ?? []],
  );
  const chosen = [...candidates.rows]
    .map((row) => ({ row, key: opts.random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, opts.count)
    .map(({ row }) => row);
  if (chosen.length === 0) return 0;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const caseIds = [...new Set(chosen.map((t) => t.case_id))].sort();
    await client.query(`SELECT id FROM cases WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [
      caseIds,
    ]);
    const moved = await client.query(
      `UPDATE case_timers t SET due_at = now() + d.ms * interval '1 millisecond'
       FROM unnest($1::bigint[], $2::int[]) AS d(id, ms)
       WHERE t.id = d.id AND t.fired_at IS NULL AND t.cancelled_at IS NULL`,
      [chosen.map((t) => t.id), chosen.map(() => Math.floor(opts.random() * opts.withinMs))],
    );
    await client.query('COMMIT');
    return moved.rowCount ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Through the API, as an auditor would: each case's timeline verifies (`integrity.valid`), its
 * seqs run 1..n, and n is the case's version.
 */
export async function timelinesVerify(baseUrl: string, opsKey: string, caseIds: string[]) {
  const problems: string[] = [];
  const headers = { authorization: `Bearer ${opsKey}` };
  let next = 0;
  const worker = async () => {
    while (next < caseIds.length) {
      const id = caseIds[next++];
      const [timeline, kase] = await Promise.all([
        fetch(`${baseUrl}/v1/cases/${id}/timeline`, { headers }),
        fetch(`${baseUrl}/v1/cases/${id}`, { headers }),
      ]);
      if (timeline.status !== 200 || kase.status !== 200) {
        problems.push(`case ${id}: timeline ${timeline.status}, case ${kase.status}`);
        continue;
      }
      const body = (await timeline.json()) as {
        events: { seq: number }[];
        integrity: { valid: boolean };
      };
      const { version } = (await kase.json()) as { version: number };
      const seqs = body.events.map((e) => e.seq);
      if (!body.integrity.valid) problems.push(`case ${id}: integrity.valid is false`);
      if (seqs.some((seq, i) => seq !== i + 1)) problems.push(`case ${id}: seqs ${seqs.join(',')}`);
      if (seqs.length !== version)
        problems.push(`case ${id}: ${seqs.length} entries, version ${version}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { problems: problems.slice(0, SHOWN), checked: caseIds.length };
}

/**
 * Every check above, in the order each fault test runs them once its load has stopped: the due
 * timers fire (within 20 s), then the acknowledgements of `sent`, the cases, the timers,
 * and the timeline of every case through `baseUrl`.
 */
export async function afterFaults(
  pool: Pool,
  baseUrl: string,
  opsKey: string,
  sent: Sent[],
  label: string,
) {
  const firedWithin = await dueTimersFire(pool, 20_000);
  const acks = await acknowledgedExactlyOnce(pool, sent, label);
  const whole = await wholeCases(pool);
  const timers = await timersFiredOnce(pool);
  const caseIds = (await pool.query<{ id: string }>('SELECT id FROM cases')).rows.map((r) => r.id);
  const audit = await timelinesVerify(baseUrl, opsKey, caseIds);
  return { firedWithin, acks, whole, timers, audit };
}
