import { Pool } from 'pg';
import { CaseService } from '../../src/cases/case.service';
import { stepStatement, StepWrite, stepWriteResult } from '../../src/cases/step-write';
import { Clock } from '../../src/common/clock/clock.service';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/**
 * How a case is written: one statement per step (src/cases/step-write.ts), from a read without a
 * lock when nothing stands in the way, else under the row's lock. What a client sees must not
 * depend on which way was taken, and a write computed from a stale read must write nothing.
 */
describe('Case writes', () => {
  let t: TestApp;
  let api: Api;
  let merchant: { id: string; key: string };
  let supplierId: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    merchant = await api.merchant('Writes shop');
    supplierId = (await api.supplier('Writes factory')).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  async function send(id: string, type: string, payload: Record<string, unknown> = {}) {
    const res = await api.post(`/v1/cases/${id}/events`, OPS_KEY, { type, payload });
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  }

  /** The answer to an event is the case as a GET right after it shows it, deadlines and all. */
  async function expectAnswerIsTheCase(answer: Record<string, unknown>) {
    const read = await api.get(`/v1/cases/${String(answer.id)}`, OPS_KEY);
    expect(read.status).toBe(200);
    expect(answer).toEqual(read.body);
  }

  /** A case awaiting the supplier's reply (its only live timer: supplier_response, 24 h). */
  async function openUnresponsive() {
    return (await api.open(merchant.key, supplierId, 'unresponsive_supplier', order())) as {
      id: string;
      version: number;
    };
  }

  it('answers an event with the case as written, through re-armed, fired and cancelled timers', async () => {
    const opened = (await api.open(
      merchant.key,
      supplierId,
      'customs_delay',
      order({ shipped: true }),
    )) as {
      id: string;
    };
    await expectAnswerIsTheCase(await send(opened.id, 'NOTE', { text: 'first' }));

    // Reminders fire and re-arm themselves (a fired row, then a live row of the same kind).
    const clock = await api.get('/v1/test-clock', OPS_KEY);
    const start = Date.parse(clock.body.now as string);
    const moved = await api.post('/v1/test-clock', OPS_KEY, {
      now: new Date(start + 15 * DAY).toISOString(),
    });
    expect(moved.status).toBe(200);
    expect(moved.body.fired).toBeGreaterThanOrEqual(1);
    const afterReminders = await send(opened.id, 'NOTE', { text: 'after reminders' });
    const deadlines = afterReminders.deadlines as { kind: string; firedAt: string | null }[];
    expect(
      deadlines.filter((d) => d.kind === 'customs_reminder' && d.firedAt).length,
    ).toBeGreaterThanOrEqual(2);
    expect(deadlines.filter((d) => d.kind === 'customs_reminder' && !d.firedAt)).toHaveLength(1);
    await expectAnswerIsTheCase(afterReminders);

    // A transition that cancels the live timers and sets refund_due.
    const returned = await send(opened.id, 'RETURNED_TO_SENDER');
    expect(returned.state).toBe('refund_pending');
    await expectAnswerIsTheCase(returned);
    // Closing cancels what is left.
    const refunded = await send(opened.id, 'REFUNDED', { amount: '39.98', currency: 'EUR' });
    expect(refunded.status).toBe('closed');
    await expectAnswerIsTheCase(refunded);
  });

  it('answers an event that a passed deadline precedes with the case after both', async () => {
    const opened = await openUnresponsive();
    // The clock passes supplier_response (24 h) without a drain: the event's transaction fires it.
    const clock = t.app.get(Clock);
    clock.set(new Date(clock.now().getTime() + DAY + 1000));
    const answer = await send(opened.id, 'NOTE', { text: 'after the deadline' });
    expect(answer.state).toBe('refund_pending');
    expect(answer.breached).toBe(true);
    expect(answer.version).toBe(opened.version + 3); // TIMER_FIRED, SLA_BREACHED, NOTE
    await expectAnswerIsTheCase(answer);
  });

  it('a webhook whose receipt is already stored is a duplicate, and its event is not applied', async () => {
    const opened = await openUnresponsive();
    // A redelivery that passed the webhook service's early check while the first delivery
    // committed: the receipt is there by the time the event's statement runs.
    await t.db.pool.query(
      `INSERT INTO webhook_receipts (supplier_id, webhook_id, received_at, case_id)
       VALUES ($1, 'msg_raced', now(), $2)`,
      [supplierId, opened.id],
    );
    const cases = t.app.get(CaseService);
    /** The supplier's reply as a webhook with this id delivers it (the webhook service's call). */
    const reply = (webhookId: string) =>
      cases.applyWebhook(opened.id, {
        type: 'SUPPLIER_REPLIED',
        payload: { text: 'we are on it' },
        actor: { kind: 'supplier', id: supplierId },
        scope: { supplierId },
        webhook: { supplierId, webhookId },
      });
    const result = await reply('msg_raced');
    expect(result).toEqual({ duplicate: true, caseId: opened.id });
    const read = await api.get(`/v1/cases/${opened.id}`, OPS_KEY);
    expect(read.body.version).toBe(opened.version);
    expect(read.body.state).toBe('awaiting_supplier_reply');

    // A fresh webhook id applies, and its receipt is stored with the event.
    const applied = await reply('msg_fresh');
    expect(applied).toMatchObject({ duplicate: false, version: opened.version + 1 });
    const receipts = await t.db.pool.query<{ webhook_id: string }>(
      `SELECT webhook_id FROM webhook_receipts WHERE case_id = $1 ORDER BY webhook_id`,
      [opened.id],
    );
    expect(receipts.rows.map((r) => r.webhook_id)).toEqual(['msg_fresh', 'msg_raced']);

    // The first delivery closed the case: a raced redelivery of it is still a duplicate, not a
    // refused transition (409).
    const again = await reply('msg_fresh');
    expect(again).toEqual({ duplicate: true, caseId: opened.id });
  });

  describe('the step statement', () => {
    let pool: Pool;
    beforeAll(() => {
      pool = t.db.pool;
    });

    async function counts(caseId: string) {
      const res = await pool.query<{
        entries: number;
        timers: number;
        notes: number;
        version: number;
      }>(
        `SELECT (SELECT count(*)::int FROM timeline_entries WHERE case_id = $1) AS entries,
                (SELECT count(*)::int FROM case_timers WHERE case_id = $1) AS timers,
                (SELECT count(*)::int FROM notifications WHERE case_id = $1) AS notes,
                (SELECT version FROM cases WHERE id = $1) AS version`,
        [caseId],
      );
      return res.rows[0];
    }

    /** True once a session of this database waits on a lock (polled for up to 5 s). */
    async function waitingOnALock(): Promise<boolean> {
      for (const until = Date.now() + 5000; Date.now() < until; ) {
        const res = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND datname = current_database()`,
        );
        if (res.rows[0].n > 0) return true;
        await new Promise((r) => setTimeout(r, 20));
      }
      return false;
    }

    /** A NOTE-like step on the case at `version` that also sets a timer and a notification. */
    function stepAt(caseId: string, version: number, text: string): StepWrite {
      return {
        now: new Date(),
        row: {
          id: caseId,
          snapshot: { test: text },
          state: 'awaiting_supplier_reply',
          status: 'open',
          outcome: null,
          phase: 'pre_shipment',
          breached: false,
          version: version + 1,
          lastHash: 'a'.repeat(64),
          evidenceCount: 0,
          photoVideoCount: 0,
          messageCount: 0,
          firstSupplierResponseAt: null,
          liability: 'supplier',
          waitingOn: 'supplier',
          nextDeadlineAt: null,
          nextDeadlineKind: null,
          nextDeadlineParty: null,
          supplierRefunded: '0',
          buyerRefunded: '0',
          writtenOff: '0',
        },
        expectedVersion: version,
        entries: [
          {
            seq: version + 1,
            type: 'NOTE',
            actor: { kind: 'ops', id: null },
            from_state: 'awaiting_supplier_reply',
            to_state: 'awaiting_supplier_reply',
            payload: { text },
            prev_hash: 'b'.repeat(64),
            hash: 'a'.repeat(64),
          },
        ],
        cancelTimerIds: [],
        fired: null,
        schedule: [{ kind: 'late_2d', dueAt: new Date(Date.now() + DAY), warnAt: null }],
        notifications: [
          {
            party: 'merchant',
            party_id: merchant.id,
            type: 'merchant.case_opened',
            body: { text },
            state: 'no_endpoint',
          },
        ],
      };
    }

    it('writes nothing at all when the case is no longer at the version the step was computed from', async () => {
      const opened = await openUnresponsive();
      const before = await counts(opened.id);
      const { sql, params } = stepStatement(stepAt(opened.id, before.version - 1, 'stale'));
      expect(stepWriteResult((await pool.query(sql, params)).rows).written).toBe(false);
      expect(await counts(opened.id)).toEqual(before);
    });

    /** Ids of the case's live timers. */
    async function liveTimers(caseId: string): Promise<string[]> {
      const res = await pool.query<{ id: string }>(
        `SELECT id::text FROM case_timers
          WHERE case_id = $1 AND fired_at IS NULL AND cancelled_at IS NULL ORDER BY id`,
        [caseId],
      );
      return res.rows.map((r) => r.id);
    }

    /** The step at `version` closing the case and cancelling the timers `ids`. */
    const cancelling = (caseId: string, version: number, ids: string[]): StepWrite => ({
      ...stepAt(caseId, version, 'close'),
      cancelTimerIds: ids,
      schedule: [],
    });

    it("cancels the written case's own live timers, none of another case's, and none when stale", async () => {
      const [opened, other] = [await openUnresponsive(), await openUnresponsive()];
      const [mine, theirs] = [await liveTimers(opened.id), await liveTimers(other.id)];
      expect([mine.length, theirs.length]).toEqual([1, 1]);
      const version = (await counts(opened.id)).version;
      // Another case's timer named by mistake is not this case's: it stays live.
      const ids = [...mine, ...theirs];
      const stale = stepStatement(cancelling(opened.id, version - 1, ids));
      expect(stepWriteResult((await pool.query(stale.sql, stale.params)).rows).written).toBe(false);
      expect(await liveTimers(opened.id)).toEqual(mine);
      const current = stepStatement(cancelling(opened.id, version, ids));
      expect(stepWriteResult((await pool.query(current.sql, current.params)).rows).written).toBe(
        true,
      );
      expect([await liveTimers(opened.id), await liveTimers(other.id)]).toEqual([[], theirs]);
    });

    it('never plans the cancel on case_timers_due, the index of every live timer of every case', async () => {
      // Without statistics (autovacuum off, or not run yet) the planner took that partial index
      // for a cancel filtered by `fired_at IS NULL AND cancelled_at IS NULL`, and read every live
      // timer for each closing step. The statement no longer implies the index's predicate, so
      // the planner cannot take it even when every other way is made worse: here the other
      // indexes on case_id are dropped (in a transaction rolled back) and seq scans are off,
      // which left the old statement with case_timers_due.
      const opened = await openUnresponsive();
      const version = (await counts(opened.id)).version;
      const { sql, params } = stepStatement(
        cancelling(opened.id, version, await liveTimers(opened.id)),
      );
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_seqscan = off');
        await client.query('DROP INDEX case_timers_case');
        await client.query('DROP INDEX case_timers_live');
        const plan = await client.query<{ 'QUERY PLAN': unknown }>(
          `EXPLAIN (FORMAT JSON) ${sql}`,
          params,
        );
        const text = JSON.stringify(plan.rows[0]['QUERY PLAN']);
        expect(text).toContain('"Index Name":"case_timers_pkey"');
        expect(text).not.toContain('case_timers_due');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    });

    it('two writers from the same read: the one that waited on the row lock writes nothing', async () => {
      const opened = await openUnresponsive();
      const before = await counts(opened.id);
      const first = await pool.connect();
      const second = await pool.connect();
      try {
        await first.query('BEGIN');
        const a = stepStatement(stepAt(opened.id, before.version, 'first'));
        expect(stepWriteResult((await first.query(a.sql, a.params)).rows).written).toBe(true);
        // The second writer blocks on the row the first holds...
        const b = stepStatement(stepAt(opened.id, before.version, 'second'));
        const pending = second.query(b.sql, b.params);
        expect(await waitingOnALock()).toBe(true);
        await first.query('COMMIT');
        // ...then finds the version moved, and writes neither its entry nor its effects.
        expect(stepWriteResult((await pending).rows).written).toBe(false);
      } finally {
        first.release();
        second.release();
      }
      expect(await counts(opened.id)).toEqual({
        entries: before.entries + 1,
        timers: before.timers + 1,
        notes: before.notes + 1,
        version: before.version + 1,
      });
      const notes = await pool.query<{ text: string }>(
        `SELECT payload->>'text' AS text FROM timeline_entries WHERE case_id = $1 AND type = 'NOTE'`,
        [opened.id],
      );
      expect(notes.rows).toEqual([{ text: 'first' }]);
    });
  });
});
