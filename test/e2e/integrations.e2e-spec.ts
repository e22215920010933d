import request from 'supertest';
import { Clock } from '../../src/common/clock/clock.service';
import { signBase64Hmac } from '../../src/integrations/signature';
import { TimerScheduler } from '../../src/deadlines/timer-scheduler.service';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { fixture, postAfterShip, postShopify, trackingUpdate } from '../support/intake-senders';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Shopify and AfterShip webhooks (intake.md) in their own formats (test/fixtures/, from their
 * public docs), signed as they sign them: base64 HMAC-SHA256 of the raw body.
 */
describe('integrations: Shopify and AfterShip (intake.md)', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let other: { id: string; key: string };
  let supplier: { id: string };
  const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
  const AFTERSHIP_SECRET = 'aftership-webhook-secret-0123456789';

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Shop');
    other = await api.merchant('Other');
    supplier = await api.supplier('Factory');
    await api
      .put(`/v1/merchants/${shop.id}/integrations/shopify`, shop.key, {
        secret: SHOPIFY_SECRET,
        shopDomain: 'jsmith.myshopify.com',
        supplierId: supplier.id,
      })
      .expect(200);
    await api
      .put(`/v1/merchants/${shop.id}/integrations/aftership`, shop.key, {
        secret: AFTERSHIP_SECRET,
      })
      .expect(200);
  });
  afterAll(() => t.close());

  const shopify = (
    topic: string,
    body: unknown,
    opts: { id?: string; secret?: string; merchantId?: string; shopDomain?: string } = {},
  ) =>
    postShopify(t.server, opts.merchantId ?? shop.id, topic, body, {
      id: opts.id,
      secret: opts.secret ?? SHOPIFY_SECRET,
      shopDomain: opts.shopDomain ?? 'jsmith.myshopify.com',
    });
  const aftership = (
    body: unknown,
    opts: { secret?: string; merchantId?: string; unsigned?: boolean } = {},
  ) =>
    postAfterShip(
      t.server,
      opts.merchantId ?? shop.id,
      body,
      opts.unsigned ? null : (opts.secret ?? AFTERSHIP_SECRET),
    );
  const tracking = trackingUpdate;

  const orderByRef = async (ref: string, key = shop.key) =>
    (await api.get(`/v1/orders?ref=${encodeURIComponent(ref)}`, key).expect(200)).body.items[0];
  const count = async (sql: string, params: unknown[] = []) =>
    (await t.db.pool.query<{ n: number }>(sql, params)).rows[0].n;

  describe('integration secrets', () => {
    it('are stored sealed, never answered back, and only for ops or that merchant', async () => {
      const res = await api
        .put(`/v1/merchants/${other.id}/integrations/shopify`, other.key, {
          secret: 'another-shopify-secret',
          shopDomain: 'other.myshopify.com',
        })
        .expect(200);
      expect(JSON.stringify(res.body)).not.toContain('another-shopify-secret');
      const { rows } = await t.db.pool.query<{ secret_sealed: string }>(
        `SELECT secret_sealed FROM merchant_integrations`,
      );
      for (const row of rows) {
        expect(row.secret_sealed.startsWith('sb1.')).toBe(true);
        expect(row.secret_sealed).not.toContain(SHOPIFY_SECRET);
      }
      await api
        .put(`/v1/merchants/${shop.id}/integrations/shopify`, other.key, {
          secret: 'x'.repeat(20),
          shopDomain: 'a.b',
        })
        .expect(404);
      await api
        .put(`/v1/merchants/${shop.id}/settings`, other.key, { autoOpen: { late_shipment: true } })
        .expect(404);
    });
  });

  describe('Shopify', () => {
    it('orders/create upserts the order from the real payload (name is the ref)', async () => {
      const body = fixture('shopify/orders-create.json');
      const res = await shopify('orders/create', body).expect(200);
      expect(res.body).toMatchObject({ topic: 'orders/create', created: true });
      const stored = await orderByRef('#9999');
      expect(stored).toMatchObject({
        id: res.body.orderId,
        supplierId: supplier.id,
        placedAt: '2026-11-02T00:00:00.000Z',
        destinationCountry: 'US',
        items: [
          { sku: 'IPOD2008PINK', quantity: 1, unitPrice: '199.00' },
          { sku: 'IPOD2008BLACK', quantity: 1, unitPrice: '199.00' },
        ],
        total: { amount: '398.00', currency: 'USD' },
        shippedAt: null,
        source: 'shopify',
      });
      const updated = await shopify('orders/updated', { ...body, total_price: '378.00' }).expect(
        200,
      );
      expect(updated.body).toMatchObject({ orderId: res.body.orderId, created: false });
      expect((await orderByRef('#9999')).total.amount).toBe('378.00');
    });

    it('fulfillments/create adds the parcel and ships the order', async () => {
      await shopify('fulfillments/create', fixture('shopify/fulfillments-create.json')).expect(200);
      const stored = await orderByRef('#9999');
      expect(stored.shipments).toEqual([
        {
          trackingNumber: '1z827wk74630',
          carrier: 'UPS',
          shippedAt: '2026-11-03T13:00:00.000Z',
          lastTag: null,
        },
      ]);
      expect(stored).toMatchObject({
        shippedAt: '2026-11-03T13:00:00.000Z',
        trackingNumber: '1z827wk74630',
      });
    });

    it('bad or missing signature: 401 and nothing recorded', async () => {
      const body = { ...fixture('shopify/orders-create.json'), name: '#BAD-1' };
      await shopify('orders/create', body, { id: 'wh-bad-1', secret: 'not-the-secret' }).expect(
        401,
      );
      const raw = JSON.stringify(body);
      await request(t.server)
        .post(`/v1/integrations/shopify/${shop.id}`)
        .set('content-type', 'application/json')
        .set('x-shopify-topic', 'orders/create')
        .set('x-shopify-webhook-id', 'wh-bad-2')
        .send(raw)
        .expect(401);
      // A body changed after signing.
      const signature = signBase64Hmac(raw, SHOPIFY_SECRET);
      await request(t.server)
        .post(`/v1/integrations/shopify/${shop.id}`)
        .set('content-type', 'application/json')
        .set('x-shopify-topic', 'orders/create')
        .set('x-shopify-webhook-id', 'wh-bad-3')
        .set('x-shopify-hmac-sha256', signature)
        .send(raw.replace('#BAD-1', '#BAD-2'))
        .expect(401);
      expect(await count(`SELECT count(*)::int AS n FROM orders WHERE ref LIKE '#BAD-%'`)).toBe(0);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM integration_receipts WHERE delivery_id LIKE 'wh-bad-%'`,
        ),
      ).toBe(0);
    });

    it("another merchant's URL with this merchant's signature: 401 (tenant scoping)", async () => {
      const body = { ...fixture('shopify/orders-create.json'), name: '#CROSS-1' };
      await shopify('orders/create', body, { merchantId: other.id }).expect(401);
      await shopify('orders/create', body, {
        merchantId: '00000000-0000-4000-8000-000000000000',
      }).expect(401);
      await shopify('orders/create', body, { merchantId: 'nope' }).expect(401);
      // Signed right, but for another shop than the merchant's stored shopDomain.
      const elsewhere = await shopify('orders/create', body, {
        shopDomain: 'someone-else.myshopify.com',
      }).expect(401);
      expect(elsewhere.body.message).toMatch(/another shop/);
      expect(await count(`SELECT count(*)::int AS n FROM orders WHERE ref = '#CROSS-1'`)).toBe(0);
      // The stored domain matches whatever the case Shopify sends it in.
      await shopify('orders/create', body, { shopDomain: 'JSmith.MyShopify.com' }).expect(200);
      expect(await count(`SELECT count(*)::int AS n FROM orders WHERE ref = '#CROSS-1'`)).toBe(1);
    });

    it('X-Shopify-Webhook-Id seen before: 200 {duplicate: true}, applied once, also in parallel', async () => {
      const body = { ...fixture('shopify/orders-create.json'), name: '#DUP-1' };
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => shopify('orders/create', body, { id: 'wh-dup-1' })),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(7);
      expect(await count(`SELECT count(*)::int AS n FROM orders WHERE ref = '#DUP-1'`)).toBe(1);
    });

    it('other topics: 200, ignored', async () => {
      const res = await shopify('products/create', { id: 1, title: 'Shirt' }).expect(200);
      expect(res.body).toMatchObject({ topic: 'products/create', ignored: true });
    });

    it('orders/cancelled opens a buyer_cancellation case only when the settings ask for it', async () => {
      const body = {
        ...fixture('shopify/orders-create.json'),
        id: 4001,
        name: '#CANCEL-1',
        cancel_reason: 'customer',
      };
      const off = await shopify('orders/cancelled', body).expect(200);
      expect(off.body.autoOpen).toEqual({ opened: false, reason: 'switched_off' });

      await api
        .put(`/v1/merchants/${shop.id}/settings`, shop.key, {
          autoOpen: { buyer_cancellation: true },
        })
        .expect(200);
      const on = await shopify('orders/cancelled', { ...body, name: '#CANCEL-2', id: 4002 }).expect(
        200,
      );
      expect(on.body.autoOpen.opened).toBe(true);
      const opened = await api.get(`/v1/cases/${on.body.autoOpen.caseId}`, shop.key).expect(200);
      expect(opened.body).toMatchObject({
        type: 'buyer_cancellation',
        order: { ref: '#CANCEL-2' },
      });
      const timeline = await api.timeline(shop.key, opened.body.id).expect(200);
      expect(timeline.body.events[0]).toMatchObject({
        type: 'CASE_OPENED',
        actor: { kind: 'system', id: 'intake' },
      });
      const { rows } = await t.db.pool.query<{ body: Record<string, unknown> }>(
        `SELECT body FROM notifications WHERE case_id = $1 AND type = 'merchant.case_opened'`,
        [opened.body.id],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].body).toMatchObject({
        openedBy: 'system',
        reason: 'Cancelled in Shopify (customer)',
      });
    });
  });

  describe('AfterShip', () => {
    let orderId: string;
    const TN = 'TRK-AS-1';

    beforeAll(async () => {
      const created = await api
        .post('/v1/orders', shop.key, {
          ...order(),
          ref: 'AS-1',
          supplierId: supplier.id,
          shipments: [{ trackingNumber: TN, carrier: 'ups', shippedAt: '2026-11-03T08:00:00Z' }],
        })
        .expect(201);
      orderId = created.body.id;
    });

    it('records each update on the order; an InTransit after Delivered changes nothing', async () => {
      const first = await aftership(tracking(TN, 'InTransit', '2026-11-04T09:00:00Z')).expect(200);
      expect(first.body).toMatchObject({ orderId, recorded: true });
      await aftership(tracking(TN, 'Delivered', '2026-11-06T09:00:00Z')).expect(200);
      const late = await aftership(tracking(TN, 'InTransit', '2026-11-05T09:00:00Z')).expect(200);
      expect(late.body).toMatchObject({ recorded: false });
      const after = await aftership(tracking(TN, 'InTransit', '2026-11-07T09:00:00Z')).expect(200);
      expect(after.body).toMatchObject({ recorded: false });
      const read = await api.get(`/v1/orders/${orderId}`, shop.key).expect(200);
      expect(read.body.tracking.map((u: { tag: string }) => u.tag)).toEqual([
        'InTransit',
        'Delivered',
      ]);
      expect(read.body.tracking[0]).toMatchObject({
        at: '2026-11-04T09:00:00.000Z',
        subtag: 'InTransit_001',
      });
      expect(read.body.shipments[0].lastTag).toBe('Delivered');
    });

    it('event_id seen before: {duplicate: true}; bad signature: 401, nothing recorded', async () => {
      const body = tracking(TN, 'Delivered', '2026-11-08T09:00:00Z');
      await aftership(body).expect(200);
      const again = await aftership(body).expect(200);
      expect(again.body).toEqual({ duplicate: true });
      // The same delivery 8 times in parallel: recorded once.
      const parallel = tracking(TN, 'Delivered', '2026-11-08T10:00:00Z');
      const answers = await Promise.all(Array.from({ length: 8 }, () => aftership(parallel)));
      expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(7);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM order_tracking WHERE at = '2026-11-08T10:00:00Z'`,
        ),
      ).toBe(1);
      const before = await count(`SELECT count(*)::int AS n FROM order_tracking`);
      const bad = tracking(TN, 'Delivered', '2026-11-09T09:00:00Z');
      await aftership(bad, { secret: 'wrong-secret-wrong-secret' }).expect(401);
      await aftership(bad, { unsigned: true }).expect(401);
      await aftership(bad, { merchantId: other.id }).expect(401);
      expect(await count(`SELECT count(*)::int AS n FROM order_tracking`)).toBe(before);
      expect(
        await count(`SELECT count(*)::int AS n FROM integration_receipts WHERE delivery_id = $1`, [
          bad.event_id,
        ]),
      ).toBe(0);
    });

    it('an unknown tracking number: 202, kept 30 days, applied when an order names it', async () => {
      const early = tracking('TRK-LATER', 'InTransit', '2026-11-04T09:00:00Z');
      const res = await aftership(early).expect(202);
      expect(res.body).toEqual({ trackingNumber: 'TRK-LATER', unknownTracking: true });
      const { rows } = await t.db.pool.query<{ received_at: Date; expires_at: Date }>(
        `SELECT received_at, expires_at FROM unmatched_tracking WHERE tracking_number = 'TRK-LATER'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].expires_at.getTime() - rows[0].received_at.getTime()).toBe(30 * 86_400_000);

      const later = await api
        .post('/v1/orders', shop.key, {
          ...order(),
          supplierId: supplier.id,
          shipments: [{ trackingNumber: 'TRK-LATER', shippedAt: '2026-11-03T08:00:00Z' }],
        })
        .expect(201);
      const read = await api.get(`/v1/orders/${later.body.id}`, shop.key).expect(200);
      expect(read.body.tracking).toEqual([
        expect.objectContaining({ tag: 'InTransit', trackingNumber: 'TRK-LATER' }),
      ]);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM unmatched_tracking WHERE tracking_number = 'TRK-LATER'`,
        ),
      ).toBe(0);
    });

    it('a customs Exception opens customs_delay (settings on); Delivered closes it as delivered', async () => {
      await api
        .put(`/v1/merchants/${shop.id}/settings`, shop.key, { autoOpen: { customs_delay: true } })
        .expect(200);
      const settings = await api.get(`/v1/merchants/${shop.id}/settings`, shop.key).expect(200);
      expect(settings.body).toEqual({
        autoOpen: {
          late_shipment: false,
          customs_delay: true,
          lost_parcel: false,
          buyer_cancellation: true,
        },
        lostAfterDays: { domestic: 10, international: 30 },
      });
      const placed = await api
        .post('/v1/orders', shop.key, {
          ...order(),
          ref: 'CUSTOMS-1',
          supplierId: supplier.id,
          shipments: [{ trackingNumber: 'TRK-CUSTOMS', shippedAt: '2026-11-03T08:00:00Z' }],
        })
        .expect(201);
      const held = tracking('TRK-CUSTOMS', 'Exception', '2026-11-05T09:00:00Z', {
        subtag: 'Exception_011',
        subtag_message: 'Held by customs',
      });
      const res = await aftership(held).expect(200);
      expect(res.body.opened).toEqual(expect.any(String));
      const opened = await api.get(`/v1/cases/${res.body.opened}`, shop.key).expect(200);
      expect(opened.body).toMatchObject({
        type: 'customs_delay',
        state: 'awaiting_clearance',
        order: { ref: 'CUSTOMS-1' },
      });
      expect(placed.body.id).toBe(res.body.orderId);

      // A second customs exception: CUSTOMS_HELD to the open case, no second case.
      const again = await aftership(
        tracking('TRK-CUSTOMS', 'Exception', '2026-11-06T09:00:00Z', {
          subtag_message: 'Customs clearance delay',
        }),
      ).expect(200);
      expect(again.body.events).toEqual([`CUSTOMS_HELD:${res.body.opened}`]);
      expect(
        await count(
          `SELECT count(*)::int AS n FROM cases WHERE order_snapshot->>'ref' = 'CUSTOMS-1'`,
        ),
      ).toBe(1);

      const delivered = await aftership(
        tracking('TRK-CUSTOMS', 'Delivered', '2026-11-09T09:00:00Z'),
      ).expect(200);
      expect(delivered.body.events).toEqual([`DELIVERED:${res.body.opened}`]);
      const closed = await api.get(`/v1/cases/${res.body.opened}`, shop.key).expect(200);
      expect(closed.body).toMatchObject({ status: 'closed', outcome: 'delivered' });
      const timeline = await api.timeline(shop.key, res.body.opened).expect(200);
      expect(timeline.body.events.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['CASE_OPENED', 'CUSTOMS_HELD', 'DELIVERED']),
      );
    });
  });

  describe('late_shipment on the scheduler', () => {
    it('an unshipped order past promisedShipBy + 1 day gets a case opened by system, once', async () => {
      const clock = t.app.get(Clock);
      const scheduler = t.app.get(TimerScheduler);
      const lateRef = `LATE-${Date.now()}`;
      await api
        .post('/v1/orders', shop.key, {
          ...order({ promisedShipBy: '2026-01-05' }),
          ref: lateRef,
          supplierId: supplier.id,
        })
        .expect(201);
      const shippedRef = `SHIPPED-${Date.now()}`;
      await api
        .post('/v1/orders', shop.key, {
          ...order({ promisedShipBy: '2026-01-05' }),
          ref: shippedRef,
          supplierId: supplier.id,
          shipments: [{ trackingNumber: `T-${shippedRef}`, shippedAt: '2026-01-04T08:00:00Z' }],
        })
        .expect(201);
      const timers = await count(
        `SELECT count(*)::int AS n FROM order_timers t JOIN orders o ON o.id = t.order_id
         WHERE o.ref = ANY($1) AND t.kind = 'late_shipment' AND t.fired_at IS NULL
           AND t.cancelled_at IS NULL`,
        [[lateRef, shippedRef]],
      );
      expect(timers).toBe(1);

      // Switched off: the timer fires and opens nothing.
      await scheduler.drainDue(clock.now());
      expect(
        await count(`SELECT count(*)::int AS n FROM cases WHERE order_snapshot->>'ref' = $1`, [
          lateRef,
        ]),
      ).toBe(0);

      await api
        .put(`/v1/merchants/${shop.id}/settings`, shop.key, { autoOpen: { late_shipment: true } })
        .expect(200);
      const lateRef2 = `LATE2-${Date.now()}`;
      await api
        .post('/v1/orders', shop.key, {
          ...order({ promisedShipBy: '2026-01-05' }),
          ref: lateRef2,
          supplierId: supplier.id,
        })
        .expect(201);
      await scheduler.drainDue(clock.now());
      await scheduler.drainDue(clock.now());
      const { rows } = await t.db.pool.query<{ id: string; type: string }>(
        `SELECT id, type FROM cases WHERE order_snapshot->>'ref' = $1`,
        [lateRef2],
      );
      expect(rows).toEqual([{ id: expect.any(String), type: 'late_shipment' }]);
      const timeline = await api.timeline(shop.key, rows[0].id).expect(200);
      expect(timeline.body.events[0].actor).toEqual({ kind: 'system', id: 'intake' });
      const notice = await t.db.pool.query<{ body: Record<string, unknown> }>(
        `SELECT body FROM notifications WHERE case_id = $1 AND type = 'merchant.case_opened'`,
        [rows[0].id],
      );
      expect(notice.rows[0].body).toMatchObject({
        openedBy: 'system',
        reason: expect.stringContaining('2026-01-05'),
      });
    });
  });
});
