import request from 'supertest';
import { startTestApp, TestApp } from '../support/test-app';
import { Api, OPS_KEY, order } from '../support/fixtures';

/** Orders as a resource, cases opened by `orderRef`, one open case per order and type (intake.md). */
describe('orders (intake.md)', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let other: { id: string; key: string };
  let supplier: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Shop');
    other = await api.merchant('Other');
    supplier = await api.supplier('Factory');
  });
  afterAll(() => t.close());

  const newOrder = (extra: Record<string, unknown> = {}) => ({
    ...order(),
    supplierId: supplier.id,
    ...extra,
  });
  /** The order shape of workflows.md alone (a case's inline `order`). */
  const inlineOf = ({ supplierId: _s, ...rest }: Record<string, unknown>) => rest;

  it('creates (201) then updates (200) an order by ref; GET by id and by ref, in scope only', async () => {
    const body = newOrder();
    const created = await api.post('/v1/orders', shop.key, body).expect(201);
    expect(created.body).toMatchObject({
      ref: body.ref,
      merchantId: shop.id,
      supplierId: supplier.id,
      items: body.items,
      total: body.total,
      shipments: [],
      tracking: [],
    });
    expect(created.headers.location).toBe(`/v1/orders/${created.body.id}`);

    const shipments = [
      { trackingNumber: 'LX1', carrier: 'china-post', shippedAt: '2026-11-03T08:00:00Z' },
    ];
    const updated = await api
      .post('/v1/orders', shop.key, {
        ...body,
        total: { amount: '10.00', currency: 'EUR' },
        shipments,
      })
      .expect(200);
    expect(updated.body).toMatchObject({
      id: created.body.id,
      total: { amount: '10.00', currency: 'EUR' },
      shippedAt: '2026-11-03T08:00:00.000Z',
      trackingNumber: 'LX1',
      shipments: [
        { trackingNumber: 'LX1', carrier: 'china-post', shippedAt: '2026-11-03T08:00:00.000Z' },
      ],
    });

    const byId = await api.get(`/v1/orders/${created.body.id}`, shop.key).expect(200);
    expect(byId.body.ref).toBe(body.ref);
    const byRef = await api
      .get(`/v1/orders?ref=${encodeURIComponent(body.ref)}`, shop.key)
      .expect(200);
    expect(byRef.body.items.map((o: { id: string }) => o.id)).toEqual([created.body.id]);

    // Another merchant: 404 by id, nothing by ref; ops sees it.
    await api.get(`/v1/orders/${created.body.id}`, other.key).expect(404);
    const hidden = await api
      .get(`/v1/orders?ref=${encodeURIComponent(body.ref)}`, other.key)
      .expect(200);
    expect(hidden.body.items).toEqual([]);
    await api.get(`/v1/orders/${created.body.id}`, OPS_KEY).expect(200);
    await api.get('/v1/orders/not-a-uuid', shop.key).expect(404);
  });

  it('refuses bad orders with 400 and an unknown supplier by name; ops must name the merchant', async () => {
    const bad = await api.post('/v1/orders', shop.key, { ...newOrder(), items: [] }).expect(400);
    expect(bad.body.error).toBe('validation_failed');
    const unknown = await api
      .post(
        '/v1/orders',
        shop.key,
        newOrder({ supplierId: '00000000-0000-4000-8000-000000000000' }),
      )
      .expect(400);
    expect(unknown.body.details).toEqual([{ field: 'supplierId', problem: 'names no supplier' }]);
    await api.post('/v1/orders', OPS_KEY, newOrder()).expect(400);
    await api.post('/v1/orders', OPS_KEY, newOrder({ merchantId: shop.id })).expect(201);
    await api.post('/v1/orders', null, newOrder()).expect(401);
  });

  it('opens a case by orderRef with a copy of the order and its supplier; unknown ref: 422', async () => {
    const body = newOrder();
    await api.post('/v1/orders', shop.key, body).expect(201);
    const opened = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref })
      .expect(201);
    expect(opened.body).toMatchObject({
      supplierId: supplier.id,
      order: { ref: body.ref, items: body.items },
    });

    // The case keeps the order as it was at opening.
    await api
      .post('/v1/orders', shop.key, { ...body, total: { amount: '1.00', currency: 'EUR' } })
      .expect(200);
    const read = await api.get(`/v1/cases/${opened.body.id}`, shop.key).expect(200);
    expect(read.body.order.total).toEqual(body.total);

    // The cases of one order, found by its ref (the consoles' search), in the caller's scope.
    const found = await api
      .get(`/v1/cases?orderRef=${encodeURIComponent(body.ref)}`, shop.key)
      .expect(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([opened.body.id]);
    const notTheirs = await api
      .get(`/v1/cases?orderRef=${encodeURIComponent(body.ref)}`, other.key)
      .expect(200);
    expect(notTheirs.body.items).toEqual([]);
    await api.get(`/v1/cases?orderRef=${'x'.repeat(201)}`, shop.key).expect(400);

    const unknown = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: 'NOPE-1' })
      .expect(422);
    expect(unknown.body.error).toBe('unknown_order');
    // Another merchant's order is unknown to this one.
    const foreign = await api
      .post('/v1/cases', other.key, { type: 'out_of_stock', orderRef: body.ref })
      .expect(422);
    expect(foreign.body.error).toBe('unknown_order');
    const both = await api
      .post('/v1/cases', shop.key, {
        type: 'out_of_stock',
        orderRef: body.ref,
        order: inlineOf(body),
        supplierId: supplier.id,
      })
      .expect(400);
    expect(both.body.details[0].field).toBe('orderRef');
    await api.post('/v1/cases', shop.key, { type: 'out_of_stock' }).expect(400);
  });

  it('409 case_exists with the open case id; another type or a closed case leaves room', async () => {
    const body = newOrder();
    await api.post('/v1/orders', shop.key, body).expect(201);
    const first = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref })
      .expect(201);
    const second = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref })
      .expect(409);
    expect(second.body).toMatchObject({ error: 'case_exists', caseId: first.body.id });
    // The same order given inline counts too.
    const inline = await api
      .post('/v1/cases', shop.key, {
        type: 'out_of_stock',
        order: inlineOf(body),
        supplierId: supplier.id,
      })
      .expect(409);
    expect(inline.body.caseId).toBe(first.body.id);
    await api
      .post('/v1/cases', shop.key, { type: 'late_shipment', orderRef: body.ref })
      .expect(201);

    await api.event(shop.key, first.body.id, 'WITHDRAW').expect(200);
    await api.post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref }).expect(201);
  });

  it('an Idempotency-Key replay answers the first 201, not case_exists', async () => {
    const body = newOrder();
    await api.post('/v1/orders', shop.key, body).expect(201);
    const headers = { 'idempotency-key': `k-${body.ref}` };
    const first = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref }, headers)
      .expect(201);
    const replay = await api
      .post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref }, headers)
      .expect(201);
    expect(replay.body.id).toBe(first.body.id);
  });

  it('of 20 concurrent openings of one order and type, one wins and the others get case_exists', async () => {
    const body = newOrder();
    await api.post('/v1/orders', shop.key, body).expect(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        api.post('/v1/cases', shop.key, { type: 'out_of_stock', orderRef: body.ref }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(won).toHaveLength(1);
    const lost = answers.filter((a) => a.status === 409);
    expect(lost).toHaveLength(19);
    for (const a of lost)
      expect(a.body).toMatchObject({ error: 'case_exists', caseId: won[0].body.id });
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cases WHERE order_snapshot->>'ref' = $1`,
      [body.ref],
    );
    expect(rows[0].n).toBe(1);
  });

  describe('CSV import', () => {
    const header =
      'ref,placedAt,promisedShipBy,shippedAt,trackingNumber,originCountry,destinationCountry,sku,quantity,unitPrice,currency,supplierId';
    const csv = (lines: string[]) => [header, ...lines].join('\n');
    const post = (body: string, key = shop.key) =>
      request(t.server)
        .post('/v1/orders/import')
        .set('authorization', `Bearer ${key}`)
        .set('content-type', 'text/csv')
        .send(body);

    it('imports rows of one ref as one order and reports each bad row by its line number', async () => {
      const res = await post(
        csv([
          `CSV-A,2026-11-01T10:00:00Z,2026-11-05,,,CN,FR,SKU-1,2,19.99,EUR,${supplier.id}`,
          `CSV-A,2026-11-01T10:00:00Z,2026-11-05,,,CN,FR,SKU-2,1,5.50,EUR,${supplier.id}`,
          `CSV-B,2026-11-01T10:00:00Z,,2026-11-02T10:00:00Z,TRK-CSV-B,CN,DE,SKU-3,1,10,EUR,`,
          `CSV-C,not-a-date,,,,CN,FR,SKU-4,1,1.00,EUR,`,
          `CSV-D,2026-11-01,,,,CN,FR,SKU-5,0,1.00,EUR,`,
        ]),
      ).expect(200);
      expect(res.body).toEqual({
        created: 2,
        updated: 0,
        failed: [
          { row: 5, field: 'placedAt', problem: expect.any(String) },
          { row: 6, field: 'quantity', problem: expect.any(String) },
        ],
      });
      const a = await api.get('/v1/orders?ref=CSV-A', shop.key).expect(200);
      expect(a.body.items[0]).toMatchObject({
        items: [
          { sku: 'SKU-1', quantity: 2, unitPrice: '19.99' },
          { sku: 'SKU-2', quantity: 1, unitPrice: '5.50' },
        ],
        total: { amount: '45.48', currency: 'EUR' },
        promisedShipBy: '2026-11-05',
        supplierId: supplier.id,
      });
      const b = await api.get('/v1/orders?ref=CSV-B', shop.key).expect(200);
      expect(b.body.items[0].shipments).toEqual([
        expect.objectContaining({ trackingNumber: 'TRK-CSV-B' }),
      ]);
      const again = await post(csv([`CSV-B,2026-11-01T10:00:00Z,,,,CN,DE,SKU-3,1,11,EUR,`])).expect(
        200,
      );
      expect(again.body).toEqual({ created: 0, updated: 1, failed: [] });
    });

    it('refuses a file without the header (400) and other routes refuse text/csv (415)', async () => {
      const res = await post('ref,sku\nA,B').expect(400);
      expect(res.body.error).toBe('validation_failed');
      await request(t.server)
        .post('/v1/orders')
        .set('authorization', `Bearer ${shop.key}`)
        .set('content-type', 'text/csv')
        .send(csv([]))
        .expect(415);
    });

    it('imports 10,000 order lines in under 10 s with one bad row reported by number', async () => {
      const lines: string[] = [];
      for (let i = 0; i < 10_000; i++) {
        const ref = `BULK-${Math.floor(i / 2)}`;
        const quantity = i === 4_321 ? 'many' : String(1 + (i % 3));
        lines.push(
          `${ref},2026-11-01T10:00:00Z,2026-11-20,,,CN,FR,SKU-${i % 2},${quantity},9.99,EUR,${supplier.id}`,
        );
      }
      const started = performance.now();
      const res = await post(csv(lines)).expect(200);
      const seconds = (performance.now() - started) / 1000;
      expect(res.body.failed).toEqual([
        { row: 4_321 + 2, field: 'quantity', problem: expect.any(String) },
      ]);
      expect(res.body.created).toBe(5_000);
      expect(seconds).toBeLessThan(10);
      const { rows } = await t.db.pool.query<{ n: number; timers: number }>(
        `SELECT count(*)::int AS n,
           (SELECT count(*)::int FROM order_timers t JOIN orders o2 ON o2.id = t.order_id
            WHERE o2.ref LIKE 'BULK-%' AND t.fired_at IS NULL AND t.cancelled_at IS NULL) AS timers
         FROM orders WHERE ref LIKE 'BULK-%'`,
      );
      expect(rows[0]).toEqual({ n: 5_000, timers: 5_000 });
      console.log(`CSV import of 10,000 lines: ${seconds.toFixed(2)} s`);
    });
  });
});
