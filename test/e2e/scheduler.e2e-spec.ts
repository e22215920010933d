import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { CaseService } from '../../src/cases/case.service';
import {
  DRAIN_CONCURRENCY,
  MAX_ATTEMPTS_PER_DRAIN,
  TimerScheduler,
} from '../../src/deadlines/timer-scheduler.service';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ops = { Authorization: `Bearer ${OPS_KEY}` };

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The scheduler on the real database: exactly once with several instances, at once after a
 * start, and not at all after a shutdown. Cases are opened through the API (the instance `t`,
 * whose scheduler is off); their supplier_response timers are then made due by SQL.
 */
describe('TimerScheduler', () => {
  let t: TestApp;
  let merchantId: string;
  let supplierId: string;
  const started: NestFastifyApplication[] = [];

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, databasePoolSize: 20 });
    // pg-pool's end() resolves before its clients have closed; the DROP DATABASE ... WITH (FORCE)
    // of t.close() then terminates them and, with no listener, that error fails the file.
    t.db.pool.on('error', () => undefined);
    const api = new Api(t.server);
    merchantId = (await api.merchant('Scheduler shop')).id;
    supplierId = (await api.supplier('Scheduler supplier', { country: 'FR' })).id;
  });
  afterAll(async () => {
    for (const app of started) await app.close();
    await t?.close();
  });

  /** An instance of the same app on the same database, its scheduler on. */
  async function instance(intervalMs: number): Promise<NestFastifyApplication> {
    const app = await createApp({
      ...t.config,
      schedulerEnabled: true,
      schedulerIntervalMs: intervalMs,
    });
    started.push(app);
    return app;
  }

  async function stop(app: NestFastifyApplication): Promise<void> {
    started.splice(started.indexOf(app), 1);
    await app.close();
  }

  /**
   * Opens `count` unresponsive_supplier cases (awaiting_supplier_reply: only supplier_response is
   * live; it breaches and moves the case to refund_pending, whose timers are a day or more away).
   */
  async function openCases(count: number): Promise<string[]> {
    const ids: string[] = [];
    // One open case per order and type (intake.md): each call's orders are new ones.
    const batch = Math.random().toString(36).slice(2, 8);
    const open = async (i: number) => {
      const res = await request(t.server)
        .post('/v1/cases')
        .set(ops)
        .send({
          type: 'unresponsive_supplier',
          merchantId,
          supplierId,
          order: {
            ref: `ORD-${batch}-${i}`,
            placedAt: '2026-10-01T10:00:00Z',
            originCountry: 'CN',
            destinationCountry: 'FR',
            items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '9.99' }],
            total: { amount: '9.99', currency: 'EUR' },
          },
        });
      expect(res.status).toBe(201);
      ids.push(res.body.id as string);
    };
    const lanes = 16;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let i = lane; i < count; i += lanes) await open(i);
      }),
    );
    return ids;
  }

  /**
   * `times` copies of each case, by SQL (opening 2,000 through the API takes long on a busy
   * machine): same machine snapshot, version 0 (no timeline yet), a live supplier_response; an
   * order of its own (`<ref>-copy-<n>`: one open case per order and type).
   */
  async function cloneCases(ids: string[], times: number): Promise<string[]> {
    const res = await t.db.pool.query<{ case_id: string }>(
      `WITH copies AS (
         INSERT INTO cases (merchant_id, supplier_id, type, phase, machine_id, workflow_version,
           snapshot, state, status, outcome, order_snapshot, description, buyer_language,
           preferred_resolution, version, last_hash, created_at, updated_at, currency, claim_items,
           claimed_minor)
         SELECT merchant_id, supplier_id, type, phase, machine_id, workflow_version, snapshot,
           state, status, outcome,
           jsonb_set(order_snapshot, '{ref}', to_jsonb((order_snapshot->>'ref') || '-copy-' || g)),
           description, buyer_language, preferred_resolution, 0, repeat('0', 64), created_at, updated_at,
           currency, claim_items, claimed_minor
         FROM cases, generate_series(1, $2) AS g WHERE id = ANY($1)
         RETURNING id)
       INSERT INTO case_timers (case_id, kind, due_at, created_at)
       SELECT id, 'supplier_response', now() + interval '1 day', now() FROM copies
       RETURNING case_id`,
      [ids, times],
    );
    return res.rows.map((row) => row.case_id);
  }

  /** Makes the cases' live timers due a minute ago. */
  async function makeDue(ids: string[]): Promise<void> {
    const res = await t.db.pool.query(
      `UPDATE case_timers SET due_at = now() - interval '1 minute'
       WHERE case_id = ANY($1) AND fired_at IS NULL AND cancelled_at IS NULL`,
      [ids],
    );
    expect(res.rowCount).toBe(ids.length);
  }

  async function liveDue(ids: string[]): Promise<number> {
    const res = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM case_timers
       WHERE case_id = ANY($1) AND fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now()`,
      [ids],
    );
    return res.rows[0].n;
  }

  /**
   * Each timer fired once: one fired_at, one TIMER_FIRED and one SLA_BREACHED per case. (Firing
   * moves the case to refund_pending, which sets timers of its own a day or more away: not counted.)
   */
  async function expectFiredExactlyOnce(ids: string[]): Promise<void> {
    const timers = await t.db.pool.query<{ fired: number; cancelled: number; total: number }>(
      `SELECT count(fired_at)::int AS fired, count(cancelled_at)::int AS cancelled,
              count(*)::int AS total
       FROM case_timers WHERE case_id = ANY($1) AND due_at <= now()`,
      [ids],
    );
    expect(timers.rows[0]).toEqual({ fired: ids.length, cancelled: 0, total: ids.length });
    const entries = await t.db.pool.query<{ type: string; per_case: number; cases: number }>(
      `SELECT type, per_case, count(*)::int AS cases FROM (
         SELECT case_id, type, count(*)::int AS per_case FROM timeline_entries
         WHERE case_id = ANY($1) AND type IN ('TIMER_FIRED', 'SLA_BREACHED')
         GROUP BY case_id, type) x
       GROUP BY type, per_case ORDER BY type`,
      [ids],
    );
    expect(entries.rows).toEqual([
      { type: 'SLA_BREACHED', per_case: 1, cases: ids.length },
      { type: 'TIMER_FIRED', per_case: 1, cases: ids.length },
    ]);
    const versions = await t.db.pool.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM cases c
       WHERE c.id = ANY($1)
         AND c.version <> (SELECT max(seq) FROM timeline_entries e WHERE e.case_id = c.id)`,
      [ids],
    );
    expect(versions.rows[0].bad).toBe(0);
  }

  it('two instances fire 2,000 timers due at once exactly once, API events on the same cases included', async () => {
    const openedAt = Date.now();
    const opened = await openCases(100);
    const ids = [...opened, ...(await cloneCases(opened, 19))];
    expect(new Set(ids).size).toBe(2000);
    const openMs = Date.now() - openedAt;
    await makeDue(ids);

    const [a, b] = [await instance(50), await instance(50)];
    const counts = [0, 0];
    [a, b].forEach((app, i) => {
      const scheduler = app.get(TimerScheduler);
      const drain = scheduler.drainDue.bind(scheduler);
      jest.spyOn(scheduler, 'drainDue').mockImplementation(async (now: Date) => {
        const fired = await drain(now);
        counts[i] += fired;
        return fired;
      });
    });
    const start = Date.now();
    await Promise.all([a.init(), b.init()]);
    // Meanwhile, API events on some of the same cases (they fire a due timer themselves).
    const notes = Promise.all(
      ids.slice(0, 40).map((id) =>
        request(t.server)
          .post(`/v1/cases/${id}/events`)
          .set(ops)
          .send({ type: 'NOTE', payload: { text: 'still waiting' } })
          .expect(200),
      ),
    );
    await waitFor(async () => (await liveDue(ids)) === 0, 60_000);
    await notes;
    const drainMs = Date.now() - start;
    await stop(a);
    await stop(b);
    await expectFiredExactlyOnce(ids);
    // The schedulers fired all but those an API event fired first, in its own transaction.
    const bySchedulers = counts[0] + counts[1];
    expect(bySchedulers).toBeLessThanOrEqual(2000);
    expect(bySchedulers).toBeGreaterThanOrEqual(2000 - 40);
    process.stdout.write(
      `scheduler: 2000 cases (100 through the API) in ${openMs} ms; drained in ${drainMs} ms; ` +
        `instance A fired ${counts[0]}, B ${counts[1]}, API events ${2000 - bySchedulers}\n`,
    );
  }, 180_000);

  it('timers that came due while no scheduler ran fire once as soon as one starts', async () => {
    const ids = await openCases(30);
    await makeDue(ids);
    await sleep(300);
    expect(await liveDue(ids)).toBe(30); // no scheduler running: nothing fired

    // An hour between ticks: only the tick at start can fire them.
    const app = await instance(3_600_000);
    const start = Date.now();
    await app.init();
    await waitFor(async () => (await liveDue(ids)) === 0, 10_000);
    expect(Date.now() - start).toBeLessThan(10_000);
    await expectFiredExactlyOnce(ids);
    await stop(app);
  });

  it('a timer that fails every time is logged and left for the next tick; the others fire', async () => {
    const ids = await openCases(5);
    await makeDue(ids);
    const broken = ids[0];
    await t.db.pool.query(`
      CREATE FUNCTION refuse_timer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused for the test'; END $$`);
    await t.db.pool.query(
      `CREATE TRIGGER refuse_timer BEFORE UPDATE ON case_timers FOR EACH ROW
       WHEN (OLD.case_id = '${broken}') EXECUTE FUNCTION refuse_timer()`,
    );
    try {
      const scheduler = t.app.get(TimerScheduler);
      // `failed` is private: it is called once per failed attempt.
      const failures = jest.spyOn(scheduler as unknown as { failed: () => void }, 'failed');
      const fired = await scheduler.drainDue(new Date(Date.now()));
      expect(fired).toBe(4);
      // A few attempts, then left alone for this drain (it did not spin). A loop may claim it
      // between another loop's rollback and that loop's count, hence the bound.
      expect(failures.mock.calls.length).toBeGreaterThanOrEqual(MAX_ATTEMPTS_PER_DRAIN);
      expect(failures.mock.calls.length).toBeLessThan(MAX_ATTEMPTS_PER_DRAIN + DRAIN_CONCURRENCY);
      expect(await liveDue([broken])).toBe(1);
      await expectFiredExactlyOnce(ids.slice(1));
      const entries = await t.db.pool.query(
        `SELECT type FROM timeline_entries WHERE case_id = $1 ORDER BY seq`,
        [broken],
      );
      expect(entries.rows.map((r: { type: string }) => r.type)).toEqual(['CASE_OPENED']);
    } finally {
      await t.db.pool.query(`DROP TRIGGER refuse_timer ON case_timers`);
      await t.db.pool.query(`DROP FUNCTION refuse_timer()`);
    }
    // Once the cause is gone, the next drain fires it.
    expect(await t.app.get(TimerScheduler).drainDue(new Date())).toBe(1);
    await expectFiredExactlyOnce([broken]);
  });

  it('skips a case an API transaction holds, without waiting and without a stray lock on its timer', async () => {
    const [held, free] = await openCases(2);
    await makeDue([held, free]);
    // The held case's timer is due first: the claim meets it before the other one.
    const heldTimer = await t.db.pool.query<{ id: string }>(
      `UPDATE case_timers SET due_at = due_at - interval '1 minute'
       WHERE case_id = $1 AND fired_at IS NULL RETURNING id`,
      [held],
    );
    const api = await t.db.pool.connect();
    const probe = await t.db.pool.connect();
    try {
      await api.query('BEGIN');
      await api.query('SELECT id FROM cases WHERE id = $1 FOR UPDATE', [held]);
      // While the drain fires the other case, the held case's timer must not be locked by it.
      const cases = t.app.get(CaseService);
      const fire = cases.fireClaimed.bind(cases);
      const strays: string[] = [];
      const spy = jest.spyOn(cases, 'fireClaimed').mockImplementation(async (tx, ids, now) => {
        try {
          await probe.query('SELECT id FROM case_timers WHERE id = $1 FOR UPDATE NOWAIT', [
            heldTimer.rows[0].id,
          ]);
        } catch {
          strays.push(...ids);
        }
        return fire(tx, ids, now);
      });
      try {
        expect(await t.app.get(TimerScheduler).drainDue(new Date())).toBe(1);
      } finally {
        spy.mockRestore();
      }
      expect(strays).toEqual([]);
      expect(await liveDue([held])).toBe(1);
    } finally {
      await api.query('ROLLBACK');
      api.release();
      probe.release();
    }
    expect(await t.app.get(TimerScheduler).drainDue(new Date())).toBe(1);
    await expectFiredExactlyOnce([held, free]);
  });

  it('starts no tick after shutdown began', async () => {
    const app = await instance(50);
    await app.init();
    await sleep(150);
    await stop(app);
    const ids = await openCases(5);
    await makeDue(ids);
    await sleep(400);
    expect(await liveDue(ids)).toBe(5);
  });
});
