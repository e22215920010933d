import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * Requests at the edges of what a client can send: answered in the contract's error shape with a
 * 4xx, never a 500, and leaving nothing behind.
 */
describe('input at the edges', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let factory: { id: string };
  const ops = { authorization: `Bearer ${OPS_KEY}` };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Edge shop');
    factory = await api.supplier('Edge factory');
  });
  afterAll(() => t.close());

  /** POST /v1/cases by the shop, with the fixture order changed by `changes`. */
  const openWithOrder = (type: string, changes: Record<string, unknown>) =>
    api.post('/v1/cases', shop.key, {
      type,
      supplierId: factory.id,
      order: { ...order(), ...changes },
    });

  const count = async (table: string) =>
    Number((await t.db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

  describe('bodies are JSON only', () => {
    it.each([
      ['application/x-www-form-urlencoded', 'name=Form&country=FR'],
      ['text/plain', '{"name":"Plain","country":"FR"}'],
      ['application/xml', '<merchant><name>X</name></merchant>'],
    ])('%s is 415 unsupported_media_type and creates nothing', async (type, body) => {
      const before = await count('merchants');
      const res = await request(t.server)
        .post('/v1/merchants')
        .set(ops)
        .set('content-type', type)
        .send(body)
        .expect(415);
      expect(res.body).toMatchObject({ statusCode: 415, error: 'unsupported_media_type' });
      expect(await count('merchants')).toBe(before);
    });

    it('still takes a POST with no body at all where the route needs none', async () => {
      await request(t.server)
        .post(`/v1/suppliers/${factory.id}/rotate-secret`)
        .set(ops)
        .expect(201);
    });
  });

  describe('text PostgreSQL cannot store (NUL, a lone surrogate) is 400, not 500', () => {
    it.each([
      [
        'a NUL in a payload string',
        { type: 'NOTE', payload: { text: 'nul\u0000byte' } },
        'payload.text',
      ],
      [
        'a lone high surrogate',
        { type: 'NOTE', payload: { text: 'lone \ud800 surrogate' } },
        'payload.text',
      ],
      ['a lone low surrogate', { type: 'NOTE', payload: { text: 'x\udc00' } }, 'payload.text'],
      [
        'a NUL in a key',
        { type: 'NOTE', payload: { text: 'ok', 'k\u0000': 1 } },
        'payload.k\u0000',
      ],
    ])('%s', async (_name, body, field) => {
      const opened = await api.open(shop.key, factory.id, 'out_of_stock');
      const res = await api.post(`/v1/cases/${opened.id}/events`, shop.key, body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      expect(res.body.details).toEqual([expect.objectContaining({ field })]);
      const after = (await api.get(`/v1/cases/${opened.id}`, shop.key)).body;
      expect(after.version).toBe(opened.version);
    });

    it('on every body: a merchant name, an order ref', async () => {
      const before = await count('merchants');
      const named = await api
        .post('/v1/merchants', OPS_KEY, { name: 'A\u0000', country: 'FR' })
        .expect(400);
      expect(named.body.details[0].field).toBe('name');
      expect(await count('merchants')).toBe(before);
      const opened = await openWithOrder('out_of_stock', { ref: 'A\u0000' }).expect(400);
      expect(opened.body.details[0].field).toBe('order.ref');
    });

    it('a paired surrogate (an emoji) and an escaped backslash-u are ordinary text', async () => {
      const opened = await api.open(shop.key, factory.id, 'out_of_stock');
      const text = 'parcel \ud83d\udce6 and a literal \\u0000';
      const res = await api.event(shop.key, opened.id, 'NOTE', { text }).expect(200);
      expect(res.body.version).toBe(opened.version + 1);
      const entries = (await api.timeline(shop.key, opened.id).expect(200)).body.events;
      expect(entries[entries.length - 1].payload.text).toBe(text);
    });
  });

  describe('routes without a body refuse unknown fields like every other', () => {
    it('api-keys and rotate-secret with a field are 400 validation_failed and do nothing', async () => {
      const keys = await count('api_keys');
      const keyed = await api
        .post(`/v1/merchants/${shop.id}/api-keys`, OPS_KEY, { role: 'ops' })
        .expect(400);
      expect(keyed.body.details).toEqual([expect.objectContaining({ field: 'role' })]);
      expect(await count('api_keys')).toBe(keys);
      const rotated = await api
        .post(`/v1/suppliers/${factory.id}/rotate-secret`, OPS_KEY, { foo: 1 })
        .expect(400);
      expect(rotated.body.details).toEqual([expect.objectContaining({ field: 'foo' })]);
      await api.post(`/v1/merchants/${shop.id}/api-keys`, OPS_KEY, {}).expect(201);
    });
  });

  it('refuses unknown query parameters on the workflow routes too', async () => {
    for (const path of ['/v1/workflows?foo=1', '/v1/workflows/out_of_stock?foo=1']) {
      const res = await api.get(path, shop.key).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'foo' })]);
    }
    await api.get('/v1/workflows', shop.key).expect(200);
  });

  it('answers a creation with the Location of what it created, a replay included', async () => {
    const body = { type: 'out_of_stock', supplierId: factory.id, order: order() };
    const headers = { 'idempotency-key': `loc-${Date.now()}` };
    const created = await api.post('/v1/cases', shop.key, body, headers).expect(201);
    expect(created.headers.location).toBe(`/v1/cases/${created.body.id}`);
    await api.get(created.headers.location, shop.key).expect(200);
    const replayed = await api.post('/v1/cases', shop.key, body, headers).expect(201);
    expect(replayed.headers.location).toBe(created.headers.location);
    const merchant = await api.post('/v1/merchants', OPS_KEY, { name: 'L', country: 'FR' });
    expect(merchant.headers.location).toBe(`/v1/merchants/${merchant.body.id}`);
    const supplier = await api.post('/v1/suppliers', OPS_KEY, { name: 'L', country: 'CN' });
    expect(supplier.headers.location).toBe(`/v1/suppliers/${supplier.body.id}`);
    const evidence = await api.evidence(shop.key, created.body.id as string);
    expect(evidence.status).toBe(201);
    expect(evidence.headers.location).toBeUndefined();
  });

  it("gives a case's version as its ETag, which If-Match takes back", async () => {
    const opened = await api.open(shop.key, factory.id, 'out_of_stock');
    const read = await api.get(`/v1/cases/${opened.id}`, shop.key).expect(200);
    expect(read.headers.etag).toBe(`"${opened.version}"`);
    await api
      .event(shop.key, opened.id, 'NOTE', { text: 'ok' }, { 'if-match': read.headers.etag })
      .expect(200);
    const stale = await api
      .event(shop.key, opened.id, 'NOTE', { text: 'late' }, { 'if-match': read.headers.etag })
      .expect(409);
    expect(stale.body.error).toBe('version_conflict');
  });

  describe('paths and headers Fastify answers itself', () => {
    it('a malformed % escape is 400 validation_failed in the contract shape', async () => {
      const res = await api.get('/v1/cases/%E0%A4%A', shop.key).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'validation_failed' });
      expect(res.body.details[0].field).toBe('path');
    });

    it('an id longer than any of ours is 404 not_found', async () => {
      for (const path of [
        `/v1/cases/${'a'.repeat(101)}`,
        `/v1/webhooks/suppliers/${'b'.repeat(300)}`,
      ]) {
        const res = await api.get(path, shop.key).expect(404);
        expect(res.body).toMatchObject({ statusCode: 404, error: 'not_found' });
      }
    });

    it('headers over the size limit are 431 headers_too_large in the contract shape', async () => {
      const server = t.server;
      if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(
            `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(64 * 1024)}\r\n\r\n`,
          );
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', (error) => (data ? resolve(data) : reject(error)));
      });
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      const body = JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
      expect(body).toMatchObject({ statusCode: 431, error: 'headers_too_large' });
      expect(typeof body.message).toBe('string');
    });
  });

  describe('dates and times', () => {
    it('stores and answers order times in UTC; a date-time without an offset is refused', async () => {
      const opened = await api.open(shop.key, factory.id, 'out_of_stock', {
        ...order(),
        placedAt: '2026-11-10T12:00:00+02:00',
      });
      expect(opened.order.placedAt).toBe('2026-11-10T10:00:00.000Z');
      const dated = await api.open(shop.key, factory.id, 'damaged_item', {
        ...order({ shipped: true }),
        placedAt: '2026-11-10',
        shippedAt: '2026-11-12T08:30:00-05:00',
      });
      expect(dated.order).toMatchObject({
        placedAt: '2026-11-10T00:00:00.000Z',
        shippedAt: '2026-11-12T13:30:00.000Z',
      });
      for (const placedAt of ['2026-11-10T10:00:00', '2026-11-10T10:00', '10/11/2026']) {
        const res = await openWithOrder('out_of_stock', { placedAt }).expect(400);
        expect(res.body.details).toEqual([expect.objectContaining({ field: 'order.placedAt' })]);
      }
    });

    it('refuses years past 2999, where deadlines could not be counted', async () => {
      const late = await openWithOrder('late_shipment', { promisedShipBy: '9999-12-28' }).expect(
        400,
      );
      expect(late.body.details[0].field).toBe('order.promisedShipBy');
      const calendar = await api
        .get('/v1/calendar/add-business-days?country=FR&from=9999-12-31&days=1', shop.key)
        .expect(400);
      expect(calendar.body.details[0].field).toBe('from');
      const clock = await api
        .post('/v1/test-clock', OPS_KEY, { now: '9999-12-30T00:00:00Z' })
        .expect(400);
      expect(clock.body.details[0].field).toBe('now');
    });

    it('refuses a supplier closure longer than a year or past 2999, and keeps the supplier usable', async () => {
      for (const closure of [
        { from: '2027-01-04', to: '9999-12-31', reason: 'forever' },
        { from: '2027-01-04', to: '2028-01-05', reason: '367 days' },
      ]) {
        const res = await api
          .post(`/v1/suppliers/${factory.id}/closures`, OPS_KEY, closure)
          .expect(400);
        expect(res.body.details[0].field).toBe('to');
      }
      await api
        .post(`/v1/suppliers/${factory.id}/closures`, OPS_KEY, {
          from: '2027-01-04',
          to: '2028-01-04',
          reason: '366 days, the most a closure may last',
        })
        .expect(201);
      const opened = await api.open(shop.key, factory.id, 'oversize');
      expect(opened.deadlines.length).toBeGreaterThan(0);
    });
  });
});
