import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { sendWebhook } from './webhook-helpers';

/**
 * hardening.md, "Input limits": each finding of the probe (issue 16) as a request on the real
 * app. Each is refused with a 4xx in the contract's shape, names the field, and changes nothing.
 */
describe('input limits', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let factory: { id: string; secret: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    shop = await api.merchant('Limits shop');
    factory = await api.supplier('Limits factory');
  });
  afterAll(() => t.close());

  /** An open case, its version and timeline length, to check that a refusal changed nothing. */
  async function openCase(type = 'out_of_stock') {
    const opened = await api.open(shop.key, factory.id, type);
    return { id: opened.id as string, version: opened.version as number };
  }
  async function expectUnchanged(c: { id: string; version: number }) {
    const read = await api.get(`/v1/cases/${c.id}`, shop.key).expect(200);
    expect(read.body.version).toBe(c.version);
    expect(read.body.status).toBe('open');
    const timeline = await api.timeline(shop.key, c.id).expect(200);
    expect(timeline.body.events).toHaveLength(c.version);
    expect(timeline.body.integrity.valid).toBe(true);
  }
  /** POSTs bytes as they are, JSON content type unless told otherwise. */
  const postRaw = (path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
    request(t.server)
      .post(path)
      .set({ authorization: `Bearer ${shop.key}`, 'content-type': 'application/json', ...headers })
      // Bytes as they are: superagent would otherwise serialize a Buffer as JSON.
      .serialize((bytes: unknown) => bytes as string)
      .send(body);
  const expectValidation = (res: request.Response, field: string | RegExp, problem: RegExp) => {
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'validation_failed',
      message: expect.any(String),
      details: [{ field: expect.stringMatching(field), problem: expect.stringMatching(problem) }],
    });
  };
  const countCases = async () =>
    Number((await t.db.pool.query('SELECT count(*) AS n FROM cases')).rows[0].n);

  describe('JSON bodies', () => {
    it('refuses nesting 1,500 levels deep (it was a 500), naming the field', async () => {
      const c = await openCase();
      const deep = '{"a":'.repeat(1500) + '1' + '}'.repeat(1500);
      const res = await postRaw(
        `/v1/cases/${c.id}/events`,
        `{"type":"NOTE","payload":{"text":"deep","more":${deep}}}`,
      );
      expectValidation(res, /^payload\.more\.a\.a/, /deeper than 32 levels/);
      await expectUnchanged(c);
      // 32 levels are fine as JSON (the payload rules then refuse the unknown field).
      const ok = '{"a":'.repeat(29) + '1' + '}'.repeat(29);
      const shallow = await postRaw(
        `/v1/cases/${c.id}/events`,
        `{"type":"NOTE","payload":{"text":"x","more":${ok}}}`,
      );
      expectValidation(shallow, 'payload.more', /is not a field of NOTE/);
    });

    it('refuses 1e400 (not finite once parsed; it was a 500)', async () => {
      const c = await openCase();
      const res = await postRaw(
        `/v1/cases/${c.id}/events`,
        '{"type":"NOTE","payload":{"text":"big","n":1e400}}',
      );
      expectValidation(res, 'payload.n', /too large/);
      await expectUnchanged(c);
      const before = await countCases();
      const body = JSON.stringify({ type: 'out_of_stock', supplierId: factory.id, order: order() });
      const opened = await postRaw('/v1/cases', body.replace('"quantity":2', '"quantity":1e400'));
      expectValidation(opened, 'order.items.0.quantity', /too large/);
      expect(await countCases()).toBe(before);
    });

    it('refuses 1e-400 instead of storing 0', async () => {
      const before = await countCases();
      const body = JSON.stringify({ type: 'out_of_stock', supplierId: factory.id, order: order() });
      const res = await postRaw('/v1/cases', body.replace('"quantity":2', '"quantity":1e-400'));
      expectValidation(res, 'order.items.0.quantity', /too small/);
      expect(await countCases()).toBe(before);
    });

    it('refuses bytes that are not UTF-8 instead of storing U+FFFD', async () => {
      const c = await openCase();
      const body = Buffer.concat([
        Buffer.from('{"type":"NOTE","payload":{"text":"caf'),
        Buffer.from([0xe9]), // é in Latin-1: not UTF-8
        Buffer.from('"}}'),
      ]);
      const res = await postRaw(`/v1/cases/${c.id}/events`, body);
      expectValidation(res, 'body', /not valid UTF-8/);
      await expectUnchanged(c);
    });

    it('refuses a duplicated key instead of letting the last win (WITHDRAW then NOTE)', async () => {
      const c = await openCase();
      const res = await postRaw(
        `/v1/cases/${c.id}/events`,
        '{"type":"WITHDRAW","type":"NOTE","payload":{"text":"x"}}',
      );
      expectValidation(res, 'type', /given twice/);
      const nested = await postRaw(
        `/v1/cases/${c.id}/events`,
        '{"type":"NOTE","payload":{"text":"a","\\u0074ext":"b"}}',
      );
      expectValidation(nested, 'payload.text', /given twice/);
      await expectUnchanged(c);
    });

    it('refuses a duplicated key in a signed supplier webhook too', async () => {
      const c = await openCase('late_shipment');
      const body =
        `{"type":"message.created","caseId":"${c.id}","data":{"text":"shipping"},` +
        `"type":"shipment.created"}`;
      const res = await sendWebhook(t.server, factory.id, factory.secret, body);
      expectValidation(res, 'type', /given twice/);
      await expectUnchanged(c);
    });

    it('refuses a body under a Content-Encoding (gzip): 415, nothing read', async () => {
      const c = await openCase();
      const body = gzipSync(JSON.stringify({ type: 'NOTE', payload: { text: 'zipped' } }));
      const res = await postRaw(`/v1/cases/${c.id}/events`, body, { 'content-encoding': 'gzip' });
      expect(res.status).toBe(415);
      expect(res.body).toEqual({
        statusCode: 415,
        error: 'unsupported_media_type',
        message: expect.stringContaining('Content-Encoding'),
      });
      await expectUnchanged(c);
      // identity is no encoding at all.
      await postRaw(`/v1/cases/${c.id}/events`, '{"type":"NOTE","payload":{"text":"plain"}}', {
        'content-encoding': 'identity',
      }).expect(200);
    });

    it('refuses JSON in another charset (415) and keeps 413 over 1 MiB', async () => {
      const c = await openCase();
      const latin = await postRaw(`/v1/cases/${c.id}/events`, '{"type":"NOTE"}', {
        'content-type': 'application/json; charset=iso-8859-1',
      });
      expect(latin.status).toBe(415);
      expect(latin.body.error).toBe('unsupported_media_type');
      const huge = await postRaw(
        `/v1/cases/${c.id}/events`,
        JSON.stringify({ type: 'NOTE', payload: { text: 'x'.repeat(1024 * 1024) } }),
      );
      expect(huge.status).toBe(413);
      expect(huge.body.error).toBe('payload_too_large');
      await expectUnchanged(c);
      await postRaw(`/v1/cases/${c.id}/events`, '{"type":"NOTE","payload":{"text":"é"}}', {
        'content-type': 'application/json; charset=UTF-8',
      }).expect(200);
    });
  });

  describe('event payloads', () => {
    it('takes text of 10,000 characters and refuses 10,001', async () => {
      const c = await openCase();
      const res = await api.event(shop.key, c.id, 'NOTE', { text: 'x'.repeat(10_001) });
      expectValidation(res, 'payload.text', /at most 10,000 characters/);
      await expectUnchanged(c);
      const ok = await api.event(shop.key, c.id, 'NOTE', { text: 'y'.repeat(10_000) }).expect(200);
      expect(ok.body.version).toBe(c.version + 1);
    });

    it('refuses a payload over 64 KiB as JSON even when each field is short enough', async () => {
      const c = await openCase();
      const heavy = '\u0001'.repeat(10_000); // 6 bytes each as JSON (\u0001)
      const res = await api.event(shop.key, c.id, 'SWITCH_SUPPLIER', {
        supplierId: heavy,
        orderRef: heavy,
      });
      expectValidation(res, 'payload', /at most 64 KiB/);
      await expectUnchanged(c);
    });

    it('refuses a field the event does not define (it was kept)', async () => {
      const c = await openCase();
      const res = await api.event(shop.key, c.id, 'NOTE', { text: 'hello', visibleTo: 'all' });
      expectValidation(res, 'payload.visibleTo', /is not a field of NOTE/);
      const withdraw = await api.event(shop.key, c.id, 'WITHDRAW', { outcome: 'refunded' });
      expectValidation(withdraw, 'payload.outcome', /is not a field of WITHDRAW/);
      await expectUnchanged(c);
    });

    it('refuses an unknown field in a supplier webhook`s data the same way', async () => {
      const c = await openCase('late_shipment');
      const res = await sendWebhook(t.server, factory.id, factory.secret, {
        type: 'shipment.created',
        caseId: c.id,
        data: { trackingNumber: 'TRK-1', trackingUrl: 'https://t.example/1' },
      });
      expectValidation(res, 'data.trackingUrl', /is not a field of SHIPPED/);
      await expectUnchanged(c);
    });
  });

  describe('cursors the server did not issue', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    const forged = [
      ['not base64url', 'not a cursor!'],
      ['undecodable', b64('garbage')],
      [
        'an id that is not a uuid (it reached PostgreSQL)',
        b64('2026-01-01T00:00:00.000Z|' + '-'.repeat(36)),
      ],
      [
        'a time PostgreSQL cannot store',
        b64('-100000-01-01T00:00:00.000Z|' + '0'.repeat(8) + '-0000-0000-0000-' + '0'.repeat(12)),
      ],
      ['a year 0', b64('0000-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000')],
      [
        'a time that does not exist',
        b64('2026-02-30T00:00:00.000Z|00000000-0000-0000-0000-000000000000'),
      ],
      [
        'one value too many',
        b64('2026-01-01T00:00:00.000Z|00000000-0000-0000-0000-000000000000|1'),
      ],
    ];

    it.each(forged)('%s: 400 on cursor, no database error', async (_name, cursor) => {
      const res = await api
        .get(`/v1/cases?cursor=${encodeURIComponent(cursor)}`, shop.key)
        .expect(400);
      expectValidation(res, 'cursor', /not a cursor this API returned/);
    });

    it('still pages with the cursors it issues', async () => {
      await openCase();
      await openCase();
      const first = await api.get('/v1/cases?limit=1', shop.key).expect(200);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const next = await api
        .get(`/v1/cases?limit=1&cursor=${first.body.nextCursor}`, shop.key)
        .expect(200);
      expect(next.body.items).toHaveLength(1);
      expect(next.body.items[0].id).not.toBe(first.body.items[0].id);
    });
  });
});
