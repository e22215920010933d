import { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Server } from 'node:http';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ops = { Authorization: `Bearer ${OPS_KEY}` };

interface Deadline {
  kind: string;
  dueAt: string;
  firedAt: string | null;
  breached: boolean;
}
interface CaseJson {
  id: string;
  state: string;
  status: string;
  outcome: string | null;
  breached: boolean;
  deadlines: Deadline[];
}
interface Entry {
  seq: number;
  type: string;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

const ms = (iso: string) => new Date(iso).getTime();
const iso = (time: number) => new Date(time).toISOString();

/**
 * Every timer of workflows.md fires at its instant and not one millisecond before.
 *
 * The test clock runs on in real time from where it is set, so once set to `dueAt - 1 ms` it is
 * past `dueAt` a few milliseconds later and can no longer be set to `dueAt` itself. Hence a second
 * instance on the same database, with a test clock of its own: the first is set to `dueAt - 1 ms`
 * (nothing fires), the second to `dueAt` exactly (it fires). Each test starts months after the
 * previous one, so whatever an earlier test left live fires at that first move, and the counts of
 * fired timers within a test are exact.
 */
describe('deadlines: timers through the test clock', () => {
  let t: TestApp;
  let second: NestFastifyApplication;
  let secondServer: Server;
  let merchantId: string;
  let supplierId: string;

  beforeAll(async () => {
    t = await startTestApp({ testClock: true, bootstrapOpsKey: OPS_KEY });
    second = await createApp({ ...t.config });
    await second.init();
    await second.getHttpAdapter().getInstance().ready();
    secondServer = second.getHttpServer() as Server;
    const api = new Api(t.server);
    merchantId = (await api.merchant('Paris shop')).id;
    supplierId = (await api.supplier('Lyon Widgets', { country: 'FR' })).id;
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  async function setClock(server: Server, now: string): Promise<number> {
    const res = await request(server).post('/v1/test-clock').set(ops).send({ now });
    expect(res.status).toBe(200);
    expect(res.body.now).toBe(now);
    return res.body.fired as number;
  }

  /** Moves to `dueAt - 1 ms` (first instance), then to `dueAt` (second): the fired counts. */
  async function cross(dueAt: string): Promise<{ before: number; at: number }> {
    const before = await setClock(t.server, iso(ms(dueAt) - 1));
    const at = await setClock(secondServer, dueAt);
    return { before, at };
  }

  async function open(
    type: string,
    order: Record<string, unknown>,
    supplier = supplierId,
  ): Promise<CaseJson> {
    const res = await request(t.server)
      .post('/v1/cases')
      .set(ops)
      .send({
        type,
        merchantId,
        supplierId: supplier,
        order: {
          ref: `ORD-${type}-${Math.random().toString(36).slice(2, 8)}`,
          placedAt: '2026-10-01T10:00:00Z',
          originCountry: 'FR',
          destinationCountry: 'FR',
          items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.99' }],
          total: { amount: '19.99', currency: 'EUR' },
          ...order,
        },
      });
    expect(res.status).toBe(201);
    return res.body as CaseJson;
  }

  const shipped = { shippedAt: '2026-10-02T10:00:00Z', trackingNumber: 'TRK1' };

  async function send(id: string, type: string, payload: Record<string, unknown> = {}) {
    const res = await request(t.server)
      .post(`/v1/cases/${id}/events`)
      .set(ops)
      .send({ type, payload });
    expect(res.status).toBe(200);
    return res.body as CaseJson;
  }

  async function addPhoto(id: string) {
    await request(t.server)
      .post(`/v1/cases/${id}/evidence`)
      .set(ops)
      .send({ kind: 'photo', url: 'https://cdn.example/photo.jpg' })
      .expect(201);
  }

  async function get(id: string): Promise<CaseJson> {
    const res = await request(t.server).get(`/v1/cases/${id}`).set(ops).expect(200);
    return res.body as CaseJson;
  }

  async function timeline(id: string): Promise<Entry[]> {
    const res = await request(t.server).get(`/v1/cases/${id}/timeline`).set(ops).expect(200);
    expect(res.body.integrity.valid).toBe(true);
    return res.body.events as Entry[];
  }

  function live(c: CaseJson, kind: string): Deadline {
    const found = c.deadlines.filter((d) => d.kind === kind && d.firedAt === null);
    expect(found).toHaveLength(1);
    return found[0];
  }

  function deadline(c: CaseJson, kind: string): Deadline {
    const found = c.deadlines.filter((d) => d.kind === kind);
    expect(found).toHaveLength(1);
    return found[0];
  }

  /** Crosses the instant of `kind` on one case: live at dueAt - 1 ms, fired at dueAt. */
  async function expectFiresAtItsInstant(
    id: string,
    kind: string,
    fired = { before: 0, at: 1 },
  ): Promise<{ before: CaseJson; after: CaseJson; dueAt: string }> {
    const before = await get(id);
    const { dueAt } = live(before, kind);
    const counts = await cross(dueAt);
    expect(counts).toEqual(fired);
    const after = await get(id);
    expect(after.deadlines).toContainEqual(
      expect.objectContaining({ kind, dueAt, firedAt: dueAt }),
    );
    return { before, after, dueAt };
  }

  /** The case did not move when its clock was at dueAt - 1 ms (checked from the timeline). */
  async function lastEntries(id: string, n: number): Promise<Entry[]> {
    return (await timeline(id)).slice(-n);
  }

  it('late_shipment: supplier_response, late_2d, late_4d, then refund_due after 15 business days', async () => {
    await setClock(t.server, '2027-01-04T10:00:00.000Z'); // a Monday
    const opened = await open('late_shipment', { promisedShipBy: '2027-01-05' });
    expect(opened.state).toBe('awaiting_shipment');
    // End of promisedShipBy + 2 and + 4 days in the supplier's zone (Europe/Paris, UTC+1).
    expect(live(opened, 'late_2d').dueAt).toBe('2027-01-07T22:59:59.999Z');
    expect(live(opened, 'late_4d').dueAt).toBe('2027-01-09T22:59:59.999Z');
    const response = live(opened, 'supplier_response').dueAt;
    expect(ms(response) - ms('2027-01-05T10:00:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(ms(response) - ms('2027-01-05T10:00:00.000Z')).toBeLessThan(10_000);

    // supplier_response (24 h): a breach, the state stays.
    const first = await expectFiresAtItsInstant(opened.id, 'supplier_response');
    expect(first.before).toMatchObject({ state: 'awaiting_shipment', breached: false });
    expect(first.after).toMatchObject({ state: 'awaiting_shipment', breached: true });
    expect(deadline(first.after, 'supplier_response').breached).toBe(true);
    expect(await lastEntries(opened.id, 2)).toMatchObject([
      { type: 'TIMER_FIRED', payload: { kind: 'supplier_response' } },
      { type: 'SLA_BREACHED', payload: { kind: 'supplier_response' } },
    ]);

    const nudged = await expectFiresAtItsInstant(opened.id, 'late_2d');
    expect(nudged.before.state).toBe('awaiting_shipment');
    expect(nudged.after.state).toBe('supplier_nudged');
    expect(deadline(nudged.after, 'late_2d').breached).toBe(false);

    const decision = await expectFiresAtItsInstant(opened.id, 'late_4d');
    expect(decision.before.state).toBe('supplier_nudged');
    expect(decision.after.state).toBe('awaiting_decision');
    expect(await lastEntries(opened.id, 1)).toMatchObject([
      {
        type: 'TIMER_FIRED',
        fromState: 'supplier_nudged',
        toState: 'awaiting_decision',
        payload: { kind: 'late_4d' },
      },
    ]);

    await setClock(t.server, '2027-01-11T09:00:00.000Z'); // Monday 10:00 in Paris
    const refund = await send(opened.id, 'REQUEST_REFUND');
    expect(refund.state).toBe('refund_pending');
    // 15 business days after Monday 11 January 2027 in France: Monday 1 February, 23:59:59.999.
    expect(live(refund, 'refund_due').dueAt).toBe('2027-02-01T22:59:59.999Z');

    // The refund request started a new wait on the supplier: its 24 h clock fires on the way.
    const escalated = await expectFiresAtItsInstant(opened.id, 'refund_due', { before: 1, at: 1 });
    expect(escalated.before.state).toBe('refund_pending');
    expect(escalated.after).toMatchObject({ state: 'escalated', status: 'open', breached: true });
    expect(deadline(escalated.after, 'refund_due').breached).toBe(true);
    const entries = await lastEntries(opened.id, 2);
    expect(entries).toMatchObject([
      { type: 'TIMER_FIRED', fromState: 'refund_pending', toState: 'escalated' },
      { type: 'SLA_BREACHED', payload: { kind: 'refund_due' } },
    ]);
  });

  it('late_shipment opened 5 days late starts in awaiting_decision with both timers on its timeline', async () => {
    await setClock(t.server, '2027-03-01T10:00:00.000Z');
    const opened = await open('late_shipment', { promisedShipBy: '2027-02-24' });
    expect(opened.state).toBe('awaiting_decision');
    expect(deadline(opened, 'late_2d')).toMatchObject({
      dueAt: '2027-02-26T22:59:59.999Z',
      firedAt: expect.any(String),
      breached: false,
    });
    expect(deadline(opened, 'late_4d').firedAt).not.toBeNull();
    // Waiting on the merchant now: the supplier's clock is cancelled, the merchant reminded in 3 days.
    expect(opened.deadlines.some((d) => d.kind === 'supplier_response')).toBe(false);
    expect(live(opened, 'decision_reminder')).toBeDefined();
    const entries = await timeline(opened.id);
    expect(entries.map((e) => [e.type, e.fromState, e.toState, e.payload.kind])).toEqual([
      ['CASE_OPENED', null, 'awaiting_shipment', undefined],
      ['TIMER_FIRED', 'awaiting_shipment', 'supplier_nudged', 'late_2d'],
      ['TIMER_FIRED', 'supplier_nudged', 'awaiting_decision', 'late_4d'],
    ]);
  });

  it('unresponsive_supplier: supplier_response at 24 h goes to refund_pending, breached; then refund_due', async () => {
    await setClock(t.server, '2027-05-03T10:00:00.000Z');
    const opened = await open('unresponsive_supplier', {});
    expect(opened.state).toBe('awaiting_supplier_reply');

    const fired = await expectFiresAtItsInstant(opened.id, 'supplier_response');
    expect(fired.before).toMatchObject({ state: 'awaiting_supplier_reply', breached: false });
    expect(fired.after).toMatchObject({ state: 'refund_pending', breached: true });
    expect(await lastEntries(opened.id, 2)).toMatchObject([
      {
        type: 'TIMER_FIRED',
        fromState: 'awaiting_supplier_reply',
        toState: 'refund_pending',
        payload: { kind: 'supplier_response' },
      },
      { type: 'SLA_BREACHED', payload: { kind: 'supplier_response' } },
    ]);
    // Counted from when supplier_response was due, in the supplier's calendar.
    const calendar = await request(t.server)
      .get('/v1/calendar/add-business-days')
      .query({ supplierId, from: fired.dueAt, days: '15' })
      .set(ops)
      .expect(200);
    expect(live(fired.after, 'refund_due').dueAt).toBe(calendar.body.dueAt);

    const escalated = await expectFiresAtItsInstant(opened.id, 'refund_due');
    expect(escalated.after).toMatchObject({ state: 'escalated', breached: true });
  });

  it('refund_due of every refund_pending case type fires at the end of the 15th business day', async () => {
    await setClock(t.server, '2027-06-01T08:00:00.000Z'); // Tuesday 10:00 in Paris
    const outOfStock = await send((await open('out_of_stock', {})).id, 'REQUEST_REFUND');
    const switched = await send((await open('out_of_stock', {})).id, 'SWITCH_SUPPLIER', {
      supplierId,
      orderRef: 'ORD-REPLACEMENT',
    });
    const oversize = await open('oversize', {});
    const address = await open('address_error', {});
    const cancellation = await open('buyer_cancellation', {});
    const intercepted = await send((await open('buyer_cancellation', shipped)).id, 'INTERCEPTED');
    const ineligible = await open('address_error', { ...shipped, destinationCountry: 'DE' });
    expect(ineligible).toMatchObject({ status: 'closed', outcome: 'ineligible', deadlines: [] });

    const cases = [outOfStock, switched, oversize, address, cancellation, intercepted];
    for (const c of cases) {
      expect(c.state).toBe('refund_pending');
      // Tuesday 1 June 2027 + 15 business days in France: Tuesday 22 June, 23:59:59.999 CEST.
      expect(live(c, 'refund_due').dueAt).toBe('2027-06-22T21:59:59.999Z');
    }
    // At dueAt - 1 ms only the supplier_response timers fire: each case's clock started when it
    // entered refund_pending (the interception answered its own, then a new request started one).
    expect(await cross('2027-06-22T21:59:59.999Z')).toEqual({ before: 6, at: 6 });
    for (const c of cases) {
      const after = await get(c.id);
      expect(after).toMatchObject({ state: 'escalated', status: 'open', breached: true });
      expect(deadline(after, 'refund_due')).toMatchObject({
        firedAt: '2027-06-22T21:59:59.999Z',
        breached: true,
      });
    }
    // The interception (a supplier event) answered the case: its first supplier_response is
    // cancelled; the one refund_pending started fired; escalated, ops has 2 business days.
    expect((await get(intercepted.id)).deadlines.map((d) => d.kind).sort()).toEqual([
      'ops_due',
      'refund_due',
      'supplier_response',
    ]);
  });

  it('customs_delay: the customs_reminder chain every 3 business days, then customs_due', async () => {
    await setClock(t.server, '2027-07-05T08:00:00.000Z'); // Monday 10:00 in Paris
    const opened = await open('customs_delay', { ...shipped, originCountry: 'CN' });
    expect(opened.state).toBe('awaiting_clearance');
    const customsDue = live(opened, 'customs_due').dueAt;
    expect(ms(customsDue) - ms('2027-08-04T08:00:00.000Z')).toBeGreaterThanOrEqual(0);
    expect(ms(customsDue) - ms('2027-08-04T08:00:00.000Z')).toBeLessThan(10_000);

    // Each reminder 3 business days of the merchant's country (FR) after the previous one was
    // due; 14 July is a public holiday. The opening sent the first of 5 reminders.
    const expected = [
      '2027-07-08T21:59:59.999Z',
      '2027-07-13T21:59:59.999Z',
      '2027-07-19T21:59:59.999Z',
      '2027-07-22T21:59:59.999Z',
    ];
    for (const dueAt of expected) {
      const current = await get(opened.id);
      expect(live(current, 'customs_reminder').dueAt).toBe(dueAt);
      // Waiting on the merchant (version 2): no supplier clock runs.
      const counts = await cross(dueAt);
      expect(counts).toEqual({ before: 0, at: 1 });
      expect((await get(opened.id)).state).toBe('awaiting_clearance');
    }
    const afterReminders = await get(opened.id);
    expect(afterReminders.deadlines.filter((d) => d.kind === 'customs_reminder')).toHaveLength(4);
    expect(afterReminders.deadlines.filter((d) => d.firedAt === null)).toEqual([
      expect.objectContaining({ kind: 'customs_due' }),
    ]);

    const escalated = await expectFiresAtItsInstant(opened.id, 'customs_due');
    expect(escalated.after).toMatchObject({ state: 'escalated', breached: true });
    expect(deadline(escalated.after, 'customs_due').breached).toBe(true);
    const entries = await timeline(opened.id);
    expect(entries.filter((e) => e.type === 'TIMER_FIRED').map((e) => e.payload.kind)).toEqual([
      'customs_reminder',
      'customs_reminder',
      'customs_reminder',
      'customs_reminder',
      'customs_due',
    ]);
    expect(entries.at(-1)).toMatchObject({
      type: 'SLA_BREACHED',
      payload: { kind: 'customs_due' },
    });
  });

  it('claims: evidence_due closes expired, appeal_due closes rejected, resolution_due escalates', async () => {
    await setClock(t.server, '2027-09-06T08:00:00.000Z'); // Monday 10:00 in Paris
    const expiring = await open('wrong_item', shipped);
    expect(expiring.state).toBe('awaiting_evidence');

    // Hours apart, so that each crossing below is well after the previous one.
    await setClock(t.server, '2027-09-06T09:00:00.000Z');
    const rejected = await open('missing_item', shipped);
    await addPhoto(rejected.id);
    expect((await send(rejected.id, 'SUBMIT_EVIDENCE')).state).toBe('awaiting_verification');
    const rejection = await send(rejected.id, 'VERIFICATION_REJECTED', { reason: 'blurry' });
    expect(rejection.state).toBe('verification_rejected');

    await setClock(t.server, '2027-09-06T10:00:00.000Z');
    const confirmed = await open('damaged_item', shipped);
    await addPhoto(confirmed.id);
    await send(confirmed.id, 'SUBMIT_EVIDENCE');
    const resolution = await send(confirmed.id, 'VERIFICATION_CONFIRMED');
    expect(resolution.state).toBe('resolution_pending');
    // Monday 6 September 2027 + 15 business days in France: Monday 27 September.
    expect(live(resolution, 'resolution_due').dueAt).toBe('2027-09-27T21:59:59.999Z');

    // supplier_response of the wrong_item case (the others were answered) fires first.
    await setClock(t.server, '2027-09-08T00:00:00.000Z');
    const evidence = await expectFiresAtItsInstant(expiring.id, 'evidence_due');
    expect(evidence.before.state).toBe('awaiting_evidence');
    expect(evidence.after).toMatchObject({ state: 'closed', status: 'closed', outcome: 'expired' });
    expect(deadline(evidence.after, 'evidence_due').breached).toBe(false);
    expect(evidence.dueAt.startsWith('2027-09-13T08:00:')).toBe(true);

    const appeal = await expectFiresAtItsInstant(rejected.id, 'appeal_due');
    expect(appeal.before.state).toBe('verification_rejected');
    expect(appeal.after).toMatchObject({ status: 'closed', outcome: 'rejected', breached: false });
    expect(deadline(appeal.after, 'appeal_due').breached).toBe(false);

    const escalated = await expectFiresAtItsInstant(confirmed.id, 'resolution_due');
    expect(escalated.before.state).toBe('resolution_pending');
    expect(escalated.after).toMatchObject({ state: 'escalated', breached: true });
    expect(await lastEntries(confirmed.id, 1)).toMatchObject([
      { type: 'SLA_BREACHED', payload: { kind: 'resolution_due' } },
    ]);
  });

  it("a resolved case's timers are cancelled and never fire", async () => {
    await setClock(t.server, '2027-11-01T08:00:00.000Z');
    const refunded = await open('out_of_stock', {});
    await send(refunded.id, 'REQUEST_REFUND');
    const closed = await send(refunded.id, 'REFUNDED', { amount: '19.99', currency: 'EUR' });
    expect(closed).toMatchObject({ status: 'closed', outcome: 'refunded', deadlines: [] });
    const shippedCase = await open('late_shipment', { promisedShipBy: '2027-11-02' });
    const closedShipped = await send(shippedCase.id, 'SHIPPED', { trackingNumber: 'TRK9' });
    expect(closedShipped).toMatchObject({ outcome: 'shipped', deadlines: [] });

    const rows = await t.db.pool.query<{
      kind: string;
      fired_at: Date | null;
      cancelled_at: Date | null;
    }>(`SELECT kind, fired_at, cancelled_at FROM case_timers WHERE case_id = ANY($1) ORDER BY id`, [
      [refunded.id, shippedCase.id],
    ]);
    expect(rows.rows.map((r) => r.kind).sort()).toEqual(
      [
        'decision_reminder',
        'late_2d',
        'late_4d',
        'refund_due',
        'supplier_response',
        'supplier_response',
      ].sort(),
    );
    for (const row of rows.rows) {
      expect(row.fired_at).toBeNull();
      expect(row.cancelled_at).not.toBeNull();
    }
    expect(await setClock(t.server, '2028-01-31T00:00:00.000Z')).toBe(0);
    for (const id of [refunded.id, shippedCase.id]) {
      expect((await timeline(id)).filter((e) => e.type === 'TIMER_FIRED')).toEqual([]);
    }
  });

  it('GET /v1/test-clock answers the clock; POST refuses backwards, bad input and non-ops keys', async () => {
    const now = await request(t.server).get('/v1/test-clock').set(ops).expect(200);
    expect(ms(now.body.now as string)).toBeGreaterThanOrEqual(ms('2028-01-31T00:00:00.000Z'));

    const back = await request(t.server)
      .post('/v1/test-clock')
      .set(ops)
      .send({ now: '2027-01-01T00:00:00Z' })
      .expect(409);
    expect(back.body).toMatchObject({ statusCode: 409, error: 'clock_backwards' });

    for (const body of [
      {},
      { now: '2028-02-01T00:00:00' }, // no offset
      { now: '2028-02-30T00:00:00Z' },
      { now: 'tomorrow' },
      { now: 1893456000000 },
      { now: '2028-02-01T00:00:00Z', extra: true },
    ]) {
      const res = await request(t.server).post('/v1/test-clock').set(ops).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.details.length).toBeGreaterThan(0);
    }
    // An offset other than Z is read as the instant it names; the answer is in UTC.
    const offset = await request(t.server)
      .post('/v1/test-clock')
      .set(ops)
      .send({ now: '2028-02-01T09:00:00+09:00' })
      .expect(200);
    expect(offset.body).toEqual({ now: '2028-02-01T00:00:00.000Z', fired: 0 });

    const merchantKey = await request(t.server)
      .post(`/v1/merchants/${merchantId}/api-keys`)
      .set(ops)
      .expect(201);
    const merchant = { Authorization: `Bearer ${merchantKey.body.key}` };
    await request(t.server).get('/v1/test-clock').set(merchant).expect(403);
    await request(t.server)
      .post('/v1/test-clock')
      .set(merchant)
      .send({ now: '2028-03-01T00:00:00Z' })
      .expect(403);
    await request(t.server).get('/v1/test-clock').expect(401);
  });

  it('a closure counts for deadlines set after it; a deadline already set keeps its dueAt', async () => {
    const factory = (await new Api(t.server).supplier('Closing Widgets', { country: 'FR' })).id;
    await setClock(t.server, '2028-03-06T09:00:00.000Z'); // Monday 10:00 in Paris
    const first = await send((await open('out_of_stock', {}, factory)).id, 'REQUEST_REFUND');
    // 15 business days after Monday 6 March 2028 in France: Monday 27 March (summer time).
    const promised = live(first, 'refund_due').dueAt;
    expect(promised).toBe('2028-03-27T21:59:59.999Z');

    await request(t.server)
      .post(`/v1/suppliers/${factory}/closures`)
      .set(ops)
      .send({ from: '2028-03-13', to: '2028-03-17', reason: 'factory holiday' })
      .expect(201);
    // The refund was owed by 27 March when it was requested: a closure declared later does not
    // push that promise back.
    expect(live(await get(first.id), 'refund_due').dueAt).toBe(promised);
    // A refund requested now counts the 5 closed days out: Monday 3 April.
    const second = await send((await open('out_of_stock', {}, factory)).id, 'REQUEST_REFUND');
    expect(live(second, 'refund_due').dueAt).toBe('2028-04-03T21:59:59.999Z');
  });
});

describe('deadlines: without REDRESS_TEST_CLOCK', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ testClock: false, bootstrapOpsKey: OPS_KEY });
  });
  afterAll(() => t.close());

  it('both test-clock routes answer 404 not_found, even for ops', async () => {
    const got = await request(t.server).get('/v1/test-clock').set(ops).expect(404);
    expect(got.body).toMatchObject({ statusCode: 404, error: 'not_found' });
    const posted = await request(t.server)
      .post('/v1/test-clock')
      .set(ops)
      .send({ now: '2030-01-01T00:00:00Z' })
      .expect(404);
    expect(posted.body).toMatchObject({ statusCode: 404, error: 'not_found' });
    // Not even a 400 for a bad body: the route does not exist.
    await request(t.server).post('/v1/test-clock').set(ops).send({ now: 'x' }).expect(404);
  });
});
