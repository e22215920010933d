import { Clock } from '../../src/common/clock/clock.service';
import { TimerScheduler } from '../../src/deadlines/timer-scheduler.service';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { fixture, postShopify } from '../support/intake-senders';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/**
 * Nothing a sender delivered is lost when the app stops half way (intake.md; the house rule):
 * a Shopify delivery's receipt is written after its work, so a retry redoes work that never
 * finished, and a tracking update recorded but not yet sent to its cases is driven again by the
 * scheduler.
 */
describe('intake: nothing accepted is lost', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let supplier: { id: string };
  const SHOPIFY = {
    secret: 'shpss_recovery_0123456789abcdef',
    shopDomain: 'recovery.myshopify.com',
  };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Recovery');
    supplier = await api.supplier('Atelier');
    await api
      .put(`/v1/merchants/${shop.id}/integrations/shopify`, shop.key, {
        ...SHOPIFY,
        supplierId: supplier.id,
      })
      .expect(200);
  });
  afterAll(() => t.close());

  const shipped = (ref: string, tn: string, shippedAt: number) =>
    api
      .post('/v1/orders', shop.key, {
        ...order({ promisedShipBy: null }),
        ref,
        supplierId: supplier.id,
        shipments: [
          {
            trackingNumber: tn,
            carrier: 'colissimo',
            shippedAt: new Date(shippedAt).toISOString(),
          },
        ],
      })
      .expect(201);

  it('a Shopify delivery whose receipt was never written is applied again by the retry, once', async () => {
    const body = { ...fixture('shopify/orders-create.json'), name: '#RETRY-1' };
    const first = await postShopify(t.server, shop.id, 'orders/create', body, {
      ...SHOPIFY,
      id: 'wh-retry-1',
    }).expect(200);
    expect(first.body.created).toBe(true);
    // As if the process had stopped after the order was written, before the receipt.
    await t.db.pool.query(`DELETE FROM integration_receipts WHERE delivery_id = 'wh-retry-1'`);
    const retry = await postShopify(t.server, shop.id, 'orders/create', body, {
      ...SHOPIFY,
      id: 'wh-retry-1',
    }).expect(200);
    expect(retry.body).toMatchObject({ orderId: first.body.orderId, created: false });
    const again = await postShopify(t.server, shop.id, 'orders/create', body, {
      ...SHOPIFY,
      id: 'wh-retry-1',
    }).expect(200);
    expect(again.body).toEqual({ duplicate: true });
    const orders = await t.db.pool.query(`SELECT id FROM orders WHERE ref = '#RETRY-1'`);
    expect(orders.rows).toHaveLength(1);
  });

  it('an update recorded but not driven (the app stopped) is driven by the scheduler', async () => {
    const clock = t.app.get(Clock);
    const scheduler = t.app.get(TimerScheduler);
    const placed = await shipped('REDRIVE-1', 'TRK-REDRIVE-1', clock.now().getTime() - DAY);
    const lost = await api
      .post('/v1/cases', shop.key, { type: 'lost_parcel', orderRef: 'REDRIVE-1' })
      .expect(201);
    // As the tracking statement writes it, then nothing: the process died before the case event.
    await t.db.pool.query(
      `INSERT INTO order_tracking (order_id, tracking_number, at, tag, subtag, message, received_at,
         customs, pending_since)
       VALUES ($1, 'TRK-REDRIVE-1', $2, 'Delivered', 'Delivered_001', 'Delivered', $2, false, $2)`,
      [placed.body.id, clock.now()],
    );
    await scheduler.drainDue(clock.now());
    expect((await api.get(`/v1/cases/${lost.body.id}`, shop.key).expect(200)).body.status).toBe(
      'open',
    );

    clock.set(new Date(clock.now().getTime() + 2 * 60_000));
    await scheduler.drainDue(clock.now());
    const closed = await api.get(`/v1/cases/${lost.body.id}`, shop.key).expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', outcome: 'delivered' });
    const pending = await t.db.pool.query(
      `SELECT id FROM order_tracking WHERE pending_since IS NOT NULL`,
    );
    expect(pending.rows).toEqual([]);
  });
});
