import { Clock } from '../../src/common/clock/clock.service';
import { TimerScheduler } from '../../src/deadlines/timer-scheduler.service';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { postAfterShip, trackingUpdate } from '../support/intake-senders';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/**
 * The lost-parcel parts of intake (intake.md): AfterShip's `Expired` sends `DECLARED_LOST` to a
 * `lost_parcel` case and opens one (settings on); a parcel with no tracking update for
 * `lostAfterDays` opens one, on the scheduler, from a timer per order.
 */
describe('intake: lost parcels (Expired, lostAfterDays)', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let supplier: { id: string };
  const SECRET = 'aftership-webhook-secret-lost-0123456789';
  const start = Date.now();

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Lost & Co');
    supplier = await api.supplier('Usine');
    await api
      .put(`/v1/merchants/${shop.id}/integrations/aftership`, shop.key, { secret: SECRET })
      .expect(200);
  });
  afterAll(() => t.close());

  const aftership = (body: unknown) => postAfterShip(t.server, shop.id, body, SECRET);
  const iso = (ms: number) => new Date(ms).toISOString();
  const shipped = async (ref: string, tn: string, shippedAt: number, origin = 'CN') =>
    api
      .post('/v1/orders', shop.key, {
        ...order({ origin, destination: 'FR', promisedShipBy: null }),
        ref,
        supplierId: supplier.id,
        shipments: [{ trackingNumber: tn, carrier: 'colissimo', shippedAt: iso(shippedAt) }],
      })
      .expect(201);
  const casesOf = async (ref: string) =>
    (
      await t.db.pool.query<{ id: string; type: string; state: string }>(
        `SELECT id, type, state FROM cases WHERE order_snapshot->>'ref' = $1 ORDER BY created_at`,
        [ref],
      )
    ).rows;
  const switchLostParcel = (on: boolean) =>
    api
      .put(`/v1/merchants/${shop.id}/settings`, shop.key, {
        autoOpen: { lost_parcel: on },
        lostAfterDays: { domestic: 3, international: 5 },
      })
      .expect(200);

  it('Expired sends DECLARED_LOST to the open lost_parcel case', async () => {
    await shipped('LOST-OPEN', 'TRK-LOST-OPEN', start - DAY);
    const opened = await api
      .post('/v1/cases', shop.key, { type: 'lost_parcel', orderRef: 'LOST-OPEN' })
      .expect(201);
    expect(opened.body.state).toBe('awaiting_carrier');

    const res = await aftership(trackingUpdate('TRK-LOST-OPEN', 'Expired', iso(start))).expect(200);
    expect(res.body.events).toEqual([`DECLARED_LOST:${opened.body.id}`]);
    const now = await api.get(`/v1/cases/${opened.body.id}`, shop.key).expect(200);
    expect(now.body.state).toBe('resolution_pending');
    const timeline = await api.timeline(shop.key, opened.body.id).expect(200);
    const declared = timeline.body.events.find((e: { type: string }) => e.type === 'DECLARED_LOST');
    expect(declared.actor).toEqual({ kind: 'system', id: 'intake' });
  });

  it('Expired opens a lost_parcel case declared lost, only with the switch on, once', async () => {
    await switchLostParcel(false);
    await shipped('LOST-EXP', 'TRK-LOST-EXP', start - DAY);
    const off = await aftership(trackingUpdate('TRK-LOST-EXP', 'Expired', iso(start))).expect(200);
    expect(off.body.opened).toBeUndefined();
    expect(await casesOf('LOST-EXP')).toEqual([]);

    await switchLostParcel(true);
    await shipped('LOST-EXP2', 'TRK-LOST-EXP2', start - DAY);
    const on = await aftership(trackingUpdate('TRK-LOST-EXP2', 'Expired', iso(start))).expect(200);
    expect(on.body.opened).toEqual(expect.any(String));
    expect(on.body.events).toEqual([`DECLARED_LOST:${on.body.opened}`]);
    expect(await casesOf('LOST-EXP2')).toEqual([
      { id: on.body.opened, type: 'lost_parcel', state: 'resolution_pending' },
    ]);
    const notice = await t.db.pool.query<{ body: Record<string, unknown> }>(
      `SELECT body FROM notifications WHERE case_id = $1 AND type = 'merchant.case_opened'`,
      [on.body.opened],
    );
    expect(notice.rows[0].body).toMatchObject({
      openedBy: 'system',
      reason: expect.stringContaining('TRK-LOST-EXP2'),
    });

    // A later Expired: the open case has moved on, no second case.
    const again = await aftership(
      trackingUpdate('TRK-LOST-EXP2', 'Expired', iso(start + 60_000)),
    ).expect(200);
    expect(again.body.opened).toBeUndefined();
    expect(await casesOf('LOST-EXP2')).toHaveLength(1);
  });

  it('no tracking update for lostAfterDays opens a case on the scheduler; news re-arms it', async () => {
    await switchLostParcel(true);
    const clock = t.app.get(Clock);
    const scheduler = t.app.get(TimerScheduler);
    // Domestic (3 days) and international (5 days), shipped a day ago; one more gets delivered.
    await shipped('SILENT-FR', 'TRK-SILENT-FR', start - DAY, 'FR');
    await shipped('SILENT-CN', 'TRK-SILENT-CN', start - DAY, 'CN');
    await shipped('SILENT-DONE', 'TRK-SILENT-DONE', start - DAY, 'FR');
    const timers = await t.db.pool.query<{ ref: string; due_at: Date }>(
      `SELECT o.ref, t.due_at FROM order_timers t JOIN orders o ON o.id = t.order_id
       WHERE t.kind = 'lost_parcel' AND o.ref LIKE 'SILENT-%' AND t.fired_at IS NULL
       ORDER BY o.ref`,
    );
    expect(timers.rows.map((r) => [r.ref, r.due_at.getTime()])).toEqual([
      ['SILENT-CN', start - DAY + 5 * DAY],
      ['SILENT-DONE', start - DAY + 3 * DAY],
      ['SILENT-FR', start - DAY + 3 * DAY],
    ]);
    // News for the domestic parcel after a day and a half: its 3 days count from then.
    await aftership(trackingUpdate('TRK-SILENT-FR', 'InTransit', iso(start + 1.5 * DAY))).expect(
      200,
    );
    await aftership(trackingUpdate('TRK-SILENT-DONE', 'Delivered', iso(start))).expect(200);

    // FR's first timer (start + 2 days) finds the news and re-arms; the delivered one ends.
    clock.set(new Date(start + 2.5 * DAY));
    await scheduler.drainDue(clock.now());
    expect(await casesOf('SILENT-FR')).toEqual([]);
    expect(await casesOf('SILENT-DONE')).toEqual([]);

    // International: 5 days after shipping, silent, a case by the system.
    clock.set(new Date(start + 4.2 * DAY));
    await scheduler.drainDue(clock.now());
    const cn = await casesOf('SILENT-CN');
    expect(cn).toEqual([
      { id: expect.any(String), type: 'lost_parcel', state: 'awaiting_carrier' },
    ]);
    expect(await casesOf('SILENT-FR')).toEqual([]);
    const timeline = await api.timeline(shop.key, cn[0].id).expect(200);
    expect(timeline.body.events[0]).toMatchObject({
      type: 'CASE_OPENED',
      actor: { kind: 'system', id: 'intake' },
    });

    // Domestic: 3 days after its last news.
    clock.set(new Date(start + 4.7 * DAY));
    await scheduler.drainDue(clock.now());
    await scheduler.drainDue(clock.now());
    expect(await casesOf('SILENT-FR')).toHaveLength(1);
    expect(await casesOf('SILENT-CN')).toHaveLength(1);
    expect(await casesOf('SILENT-DONE')).toEqual([]);
    // Delivered: the timer ended, nothing is watched any more.
    const live = await t.db.pool.query<{ ref: string }>(
      `SELECT o.ref FROM order_timers t JOIN orders o ON o.id = t.order_id
       WHERE t.kind = 'lost_parcel' AND o.ref LIKE 'SILENT-%' AND t.fired_at IS NULL`,
    );
    expect(live.rows).toEqual([]);
  });

  it('shorter lostAfterDays set after the orders count at once', async () => {
    const clock = t.app.get(Clock);
    const scheduler = t.app.get(TimerScheduler);
    await switchLostParcel(true);
    await shipped('SHORTER-1', 'TRK-SHORTER-1', clock.now().getTime() - 1.5 * DAY, 'FR');
    await scheduler.drainDue(clock.now());
    expect(await casesOf('SHORTER-1')).toEqual([]);

    await api
      .put(`/v1/merchants/${shop.id}/settings`, shop.key, { lostAfterDays: { domestic: 1 } })
      .expect(200);
    await scheduler.drainDue(clock.now());
    expect(await casesOf('SHORTER-1')).toEqual([
      { id: expect.any(String), type: 'lost_parcel', state: 'awaiting_carrier' },
    ]);
  });
});
