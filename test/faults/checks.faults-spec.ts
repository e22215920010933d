import { AppProcess, startAppProcess } from '../support/app-process';
import { Api } from '../support/fixtures';
import { createTestDatabase, TestDatabase } from '../support/test-database';
import {
  acknowledgedExactlyOnce,
  dueTimersFire,
  timelinesVerify,
  timersFiredOnce,
  wholeCases,
} from './support/checks';
import { postJson, Sent } from './support/load';
import { appEnv, OPS_KEY, seedClients } from './support/scenario';

/**
 * The fault tests pass when their checks find nothing: this shows that each check does find what
 * it looks for, on rows damaged by hand (a lost acknowledgement, a fired timer with no entry, a
 * version ahead of the timeline, a state the timeline never reached, a due timer nobody fired).
 */
describe('the fault tests’ checks', () => {
  let db: TestDatabase;
  let app: AppProcess | null = null;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.stop('SIGKILL');
    await db?.drop();
  });

  it('find a lost or doubled acknowledgement, a broken case, timer rows and entries that disagree, a lost timer', async () => {
    app = await startAppProcess(appEnv(db.url, { REDRESS_SCHEDULER: '0' }));
    const { clients } = await seedClients(new Api(app.baseUrl), 1, [
      'out_of_stock',
      'out_of_stock',
    ]);
    const { key, cases } = clients[0];
    const [a, b] = cases.map((c) => c.id);
    const note = (caseId: string, ref: string) =>
      postJson(
        `${app!.baseUrl}/v1/cases/${caseId}/events`,
        { type: 'NOTE', payload: { text: ref } },
        { authorization: `Bearer ${key}` },
      );
    const sent = (ref: string, caseId: string, status: number | null): Sent => ({
      ref,
      kind: 'event',
      type: 'NOTE',
      caseId,
      status,
      target: app!.baseUrl,
      body: null,
      error: null,
      startedAt: 0,
      endedAt: 0,
    });
    const ackProblems = async (list: Sent[]) =>
      (await acknowledgedExactlyOnce(db.pool, list, 'check')).problems;
    expect((await note(a, 'check-1')).status).toBe(200);
    expect((await note(b, 'check-3')).status).toBe(200);

    // Sound rows: nothing to report.
    expect(await ackProblems([sent('check-1', a, 200), sent('check-3', b, null)])).toEqual([]);
    expect((await wholeCases(db.pool)).problems).toEqual([]);
    expect((await timersFiredOnce(db.pool)).problems).toEqual([]);
    expect((await timelinesVerify(app.baseUrl, OPS_KEY, [a, b])).problems).toEqual([]);

    // An acknowledgement that is not on the timeline; an entry nobody sent.
    expect(await ackProblems([sent('check-1', a, 200), sent('check-2', a, 200)])).toEqual([
      'check-2 (NOTE, answered 200) is not on any timeline',
      'check-3 is recorded but was never sent',
    ]);
    // A timer marked fired (and breached) with no TIMER_FIRED nor SLA_BREACHED entry.
    await db.pool.query(
      `INSERT INTO case_timers (case_id, kind, due_at, created_at, fired_at, breached)
       VALUES ($1, 'supplier_response', now(), now(), now(), true)`,
      [b],
    );
    expect((await timersFiredOnce(db.pool)).problems).toEqual([
      `case ${b} supplier_response: 1 fired row(s), 0 TIMER_FIRED, 1 breached row(s), 0 SLA_BREACHED`,
    ]);
    // A version ahead of the timeline (a lost update) and a state the timeline never reached.
    await db.pool.query(`UPDATE cases SET version = version + 1 WHERE id = $1`, [a]);
    await db.pool.query(`UPDATE cases SET state = 'nowhere' WHERE id = $1`, [b]);
    expect((await wholeCases(db.pool)).problems.sort()).toEqual(
      [
        `case ${a}: version 3, last seq 2`,
        `case ${b}: state nowhere, last toState awaiting_decision`,
      ].sort(),
    );
    // The read itself reports the lost update too (hardening.md: a version that differs from the
    // last seq is an integrity failure), besides the checker's own count.
    expect((await timelinesVerify(app.baseUrl, OPS_KEY, [a])).problems.sort()).toEqual(
      [`case ${a}: integrity.valid is false`, `case ${a}: 2 entries, version 3`].sort(),
    );
    // A timer due a minute ago that no scheduler fires (this app's is off).
    await db.pool.query(
      `UPDATE case_timers SET due_at = now() - interval '1 minute'
       WHERE case_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL`,
      [a],
    );
    // (An out_of_stock case waits on the merchant: its one live timer is decision_reminder.)
    await expect(dueTimersFire(db.pool, 500)).rejects.toThrow(
      /1 due timer\(s\) never fired: decision_reminder of/,
    );
    // The same request twice on a timeline (applied again after a retry, say).
    await db.pool.query(
      `INSERT INTO timeline_entries (case_id, seq, at, type, actor, from_state, to_state, payload, prev_hash, hash)
       SELECT case_id, seq + 1, at, type, actor, from_state, to_state, payload, hash, repeat('f', 64)
       FROM timeline_entries WHERE case_id = $1 AND seq = 2`,
      [a],
    );
    expect(await ackProblems([sent('check-1', a, 200), sent('check-3', b, 200)])).toEqual([
      'check-1 (NOTE) is recorded 2 times',
    ]);
  });
});
