import { createHash } from 'node:crypto';
import request from 'supertest';
import { CaseLinks } from '../../src/collaboration/case-links.service';
import { Clock } from '../../src/common/clock/clock.service';
import { startAppProcess } from '../support/app-process';
import { phoneJpeg } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { createTestDatabase } from '../support/test-database';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** collaboration.md "Supplier link": made by the merchant or ops, the page's API, its expiry. */
describe('supplier links', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let otherShop: { id: string; key: string };
  let factory: { id: string };
  let supplierKey: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Link shop');
    otherShop = await api.merchant('Other shop');
    factory = await api.supplier('Link factory', { language: 'zh-CN' });
    supplierKey = (await api.post(`/v1/suppliers/${factory.id}/api-keys`, OPS_KEY, {})).body.key;
  });
  afterAll(async () => {
    await t.close();
  });

  const now = () => t.app.get(Clock).now();
  const link = (caseId: string, key: string) =>
    api.post(`/v1/cases/${caseId}/supplier-link`, key, {});
  const revoke = (caseId: string, key: string) =>
    request(t.server)
      .delete(`/v1/cases/${caseId}/supplier-link`)
      .set('authorization', `Bearer ${key}`);
  const portal = (token: string) => api.get(`/v1/portal/${token}`, null);
  const portalEvent = (token: string, type: string, payload?: Record<string, unknown>) =>
    api.post(`/v1/portal/${token}/events`, null, payload ? { type, payload } : { type });

  async function awaitingVerification() {
    const opened = await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true }), {
      description: 'The lamp arrived with a cracked base',
    });
    expect((await api.evidence(shop.key, opened.id, 'photo')).status).toBe(201);
    expect((await api.event(shop.key, opened.id, 'SUBMIT_EVIDENCE')).status).toBe(200);
    return opened.id as string;
  }

  it('the case’s merchant or ops makes one: {url: /s/<token>, token, expiresAt in 30 days}', async () => {
    const id = await awaitingVerification();
    const before = now().getTime();
    const made = await link(id, shop.key).expect(201);
    expect(Object.keys(made.body).sort()).toEqual(['expiresAt', 'token', 'url']);
    expect(made.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.body.url).toBe(`/s/${made.body.token}`);
    const expires = new Date(made.body.expiresAt).getTime();
    expect(expires - before).toBeGreaterThanOrEqual(30 * DAY);
    expect(expires - before).toBeLessThan(30 * DAY + 60_000);
    expect((await link(id, OPS_KEY)).status).toBe(201);

    // At rest: its SHA-256 and a sealed copy; the token itself nowhere.
    const { rows } = await t.db.pool.query(
      `SELECT token_hash, token_sealed, row_to_json(l)::text AS whole FROM case_links l
       WHERE case_id = $1 ORDER BY created_at`,
      [id],
    );
    expect(rows).toHaveLength(2);
    expect(rows[0].token_hash).toEqual(createHash('sha256').update(made.body.token).digest());
    expect(rows[0].token_sealed).toMatch(/^sb1\./);
    for (const row of rows) expect(row.whole).not.toContain(made.body.token);
  });

  it('another merchant gets 404, a supplier key 403, no key 401, an unknown case 404', async () => {
    const id = await awaitingVerification();
    expect((await link(id, otherShop.key)).status).toBe(404);
    expect((await link(id, supplierKey)).status).toBe(403);
    expect((await api.post(`/v1/cases/${id}/supplier-link`, null, {})).status).toBe(401);
    expect((await link('00000000-0000-4000-8000-000000000000', OPS_KEY)).status).toBe(404);
    expect((await revoke(id, otherShop.key)).status).toBe(404);
    expect((await revoke(id, supplierKey)).status).toBe(403);
    expect((await link(id, shop.key).send({ extra: 1 })).status).toBe(400);
  });

  it("the page's API shows the supplier's view of the case, in the supplier's language", async () => {
    const id = await awaitingVerification();
    expect((await api.event(shop.key, id, 'NOTE', { text: 'internal only' })).status).toBe(200);
    const { token } = (await link(id, shop.key)).body;
    const view = await portal(token).expect(200);
    expect(view.body).toMatchObject({
      caseId: id,
      language: 'zh',
      type: 'damaged_item',
      state: 'awaiting_verification',
      status: 'open',
      problem: { type: 'damaged_item', description: 'The lamp arrived with a cracked base' },
      order: { items: [{ sku: 'SKU-1', quantity: 2 }], shipToCountry: 'FR' },
    });
    expect(view.body.allowedEvents).toEqual(
      expect.arrayContaining(['VERIFICATION_CONFIRMED', 'VERIFICATION_REJECTED']),
    );
    expect(view.body.allowedEvents).not.toContain('WITHDRAW');
    expect(view.body.forms).toEqual(
      expect.arrayContaining([
        { type: 'VERIFICATION_CONFIRMED', required: [], optional: [] },
        { type: 'VERIFICATION_REJECTED', required: ['reason'], optional: [] },
      ]),
    );
    expect(view.body.forms.map((f: { type: string }) => f.type)).not.toContain('NOTE');
    expect(view.body.evidence).toHaveLength(1);
    expect(view.body.deadlines.length).toBeGreaterThan(0);
    expect(JSON.stringify(view.body)).not.toContain('internal only');
  });

  it('acts as the case’s supplier through the one door, written with via: "link"', async () => {
    const id = await awaitingVerification();
    const { token } = (await link(id, shop.key)).body;
    expect((await portalEvent(token, 'NOPE')).status).toBe(400);
    const forbidden = await portalEvent(token, 'WITHDRAW');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error).toBe('forbidden');
    expect((await portalEvent(token, 'VERIFICATION_REJECTED', {})).status).toBe(400);
    const refused = await portalEvent(token, 'REFUNDED', { amount: '1.00', currency: 'EUR' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('invalid_transition');

    const confirmed = await portalEvent(token, 'VERIFICATION_CONFIRMED').expect(200);
    expect(confirmed.body.state).toBe('resolution_pending');
    const entries = (await api.timeline(OPS_KEY, id)).body.events;
    expect(entries[entries.length - 1]).toMatchObject({
      type: 'VERIFICATION_CONFIRMED',
      actor: { kind: 'supplier', id: factory.id, via: 'link' },
    });
    const integrity = (await api.timeline(OPS_KEY, id)).body.integrity;
    expect(integrity.valid).toBe(true);
  });

  it('takes an Idempotency-Key per link: a retried message is sent once, the answer replayed', async () => {
    const id = await awaitingVerification();
    const { token } = (await link(id, shop.key)).body;
    const send = (to: string, text: string) =>
      request(t.server)
        .post(`/v1/portal/${to}/messages`)
        .set('Idempotency-Key', 'phone-retry-1')
        .send({ text });
    const first = await send(token, 'Expédié demain').expect(201);
    const retry = await send(token, 'Expédié demain').expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    await send(token, 'Another text').expect(409);
    const thread = await api.get(`/v1/cases/${id}/messages`, shop.key).expect(200);
    expect(thread.body.items.map((m: { text: string }) => m.text)).toEqual(['Expédié demain']);
    // The same key on another link is that link's own.
    const other = (await link(await awaitingVerification(), shop.key)).body.token;
    const elsewhere = await send(other, 'Expédié demain').expect(201);
    expect(elsewhere.headers['idempotent-replayed']).toBeUndefined();
    const stored = await t.db.pool.query<{ caller_id: string }>(
      `SELECT caller_id FROM idempotency_keys WHERE key = 'phone-retry-1'`,
    );
    expect(stored.rows).toHaveLength(2);
    expect(JSON.stringify(stored.rows)).not.toContain(token);
  });

  it('sends messages as a MESSAGE by {kind: supplier, via: link}; the merchant reads them', async () => {
    const id = await awaitingVerification();
    const { token } = (await link(id, shop.key)).body;
    await api.post(`/v1/cases/${id}/messages`, shop.key, { text: 'Can you check?' }).expect(201);
    const sent = await api
      .post(`/v1/portal/${token}/messages`, null, { text: '我们正在核实' })
      .expect(201);
    expect(sent.body).toMatchObject({
      text: '我们正在核实',
      from: { kind: 'supplier', id: factory.id, via: 'link' },
    });
    const view = await portal(token).expect(200);
    expect(view.body.messages.map((m: { text: string }) => m.text)).toEqual([
      'Can you check?',
      '我们正在核实',
    ]);
    expect(view.body.firstSupplierResponseAt).toBe(sent.body.at);
    const thread = await api.get(`/v1/cases/${id}/messages`, shop.key).expect(200);
    expect(thread.body.items[1]).toMatchObject({ seq: sent.body.seq, text: '我们正在核实' });
    const notes = await api.get(`/v1/cases/${id}/notifications`, shop.key).expect(200);
    expect(notes.body.items.map((n: { type: string }) => n.type)).toContain('merchant.message');

    expect((await api.post(`/v1/portal/${token}/messages`, null, { text: '  ' })).status).toBe(400);
    expect((await api.post(`/v1/portal/${token}/messages`, null, {})).status).toBe(400);
    await api.event(shop.key, id, 'WITHDRAW').expect(200);
    const closed = await api.post(`/v1/portal/${token}/messages`, null, { text: 'late' });
    expect(closed.status).toBe(409);
    expect(closed.body.error).toBe('invalid_transition');
  });

  it('shows uploaded files through the link (content route), and to the supplier key', async () => {
    const id = await awaitingVerification();
    const photo = await phoneJpeg();
    const up = await request(t.server)
      .post(`/v1/cases/${id}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .field('kind', 'photo')
      .attach('file', photo, { filename: 'a.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const { token } = (await link(id, shop.key)).body;
    const view = await portal(token).expect(200);
    const item = view.body.evidence.find((e: { id: string }) => e.id === up.body.id);
    expect(item.contentUrl).toBe(`/v1/portal/${token}/evidence/${up.body.id}/content`);
    const bytes = await request(t.server).get(item.contentUrl).expect(200);
    expect(bytes.headers.etag).toBe(`"${up.body.sha256}"`);
    await request(t.server)
      .get(`/v1/cases/${id}/evidence/${up.body.id}/content`)
      .set('authorization', `Bearer ${supplierKey}`)
      .expect(200);
    const other = await awaitingVerification();
    const otherToken = (await link(other, shop.key)).body.token;
    await request(t.server)
      .get(`/v1/portal/${otherToken}/evidence/${up.body.id}/content`)
      .expect(404);
  });

  it('unknown, malformed and revoked tokens are the same 404; a new link leaves older ones working', async () => {
    const id = await awaitingVerification();
    const first = (await link(id, shop.key)).body.token;
    const second = (await link(id, OPS_KEY)).body.token;
    await portal(first).expect(200);
    await portal(second).expect(200);
    const links = t.app.get(CaseLinks);
    expect(await links.liveSupplierLink(id, now())).toBe(`/s/${second}`);

    const unknown = await portal('A'.repeat(43)).expect(404);
    const malformed = await portal('not-a-token').expect(404);
    expect((await revoke(id, shop.key)).status).toBe(204);
    const revoked = await portal(first).expect(404);
    await portal(second).expect(404);
    expect((await portalEvent(second, 'VERIFICATION_CONFIRMED')).status).toBe(404);
    expect(await links.liveSupplierLink(id, now())).toBeNull();
    for (const res of [unknown, malformed, revoked]) {
      expect(res.body).toEqual({ statusCode: 404, error: 'not_found', message: 'Link not found' });
    }
    // The page answers alike: 404 pages for all three to a browser, the API's 404 to others.
    for (const token of [first, 'A'.repeat(43), 'x']) {
      const page = await request(t.server)
        .get(`/s/${token}`)
        .set('accept', 'text/html')
        .expect(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('This link does not work');
      const json = await request(t.server).get(`/s/${token}`).expect(404);
      expect(json.body).toEqual(unknown.body);
    }
    const third = (await link(id, shop.key)).body.token;
    const page = await request(t.server).get(`/s/${third}`).expect(200);
    expect(page.text).toContain('<script src="/supplier/supplier.js" defer></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('expires 7 days after the case closes, or 30 days after it was made, whichever first', async () => {
    const closing = await awaitingVerification();
    const lasting = await awaitingVerification();
    const toClose = (await link(closing, shop.key)).body.token;
    const toLast = (await link(lasting, shop.key)).body.token;
    const closed = await api.event(shop.key, closing, 'WITHDRAW').expect(200);
    expect(closed.body.status).toBe('closed');
    const closedAt = new Date(closed.body.closedAt).getTime();
    await portal(toClose).expect(200);
    // A link made now ends with the closing's 7 days, not 30.
    const late = (await link(closing, OPS_KEY)).body;
    expect(new Date(late.expiresAt).getTime()).toBe(closedAt + 7 * DAY);

    const links = t.app.get(CaseLinks);
    const moveTo = (at: number) =>
      api.post('/v1/test-clock', OPS_KEY, { now: new Date(at).toISOString() }).expect(200);
    await moveTo(closedAt + 7 * DAY - 1000);
    await portal(toClose).expect(200);
    await moveTo(closedAt + 7 * DAY + 1000);
    await portal(toClose).expect(404);
    await portal(late.token).expect(404);
    expect(await links.liveSupplierLink(closing, now())).toBeNull();
    expect((await link(closing, shop.key)).status).toBe(409);
    await portal(toLast).expect(200);

    await moveTo(closedAt + 30 * DAY + 60_000);
    await portal(toLast).expect(404);
    expect(await links.liveSupplierLink(lasting, now())).toBeNull();
  });
});

describe('link routes and the per-address rate limit', () => {
  it('counts link requests per client address like any request without a key', async () => {
    const t = await startTestApp({ bootstrapOpsKey: OPS_KEY, rateLimitPerSecond: 5 });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        statuses.push((await request(t.server).get(`/v1/portal/${'D'.repeat(43)}`)).status);
      }
      expect(statuses.filter((s) => s === 404).length).toBeGreaterThan(0);
      expect(statuses).toContain(429);
      expect(statuses.every((s) => s === 404 || s === 429)).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('link tokens in the request log', () => {
  it('are written as … for /s/, /v1/portal/ (and /b/, /v1/buyer/)', async () => {
    const db = await createTestDatabase();
    const app = await startAppProcess({
      DATABASE_URL: db.url,
      REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
      REDRESS_SCHEDULER: '0',
      REDRESS_DISPATCHER: '0',
      LOG_LEVEL: 'info',
    });
    try {
      const api = new Api(app.baseUrl);
      const shop = await api.merchant('Log shop');
      const factory = await api.supplier('Log factory');
      const opened = await api.open(shop.key, factory.id, 'late_shipment');
      const { token } = (await api.post(`/v1/cases/${opened.id}/supplier-link`, shop.key, {})).body;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      await api.get(`/s/${token}`, null).expect(200);
      await api.get(`/v1/portal/${token}`, null).expect(200);
      await api.post(`/v1/portal/${token}/events`, null, { type: 'NOPE' }).expect(400);
      await api.get(`/b/${token}`, null);
      await api.get(`/v1/buyer/${token}`, null);
      await new Promise((r) => setTimeout(r, 300));
      const log = app.output();
      expect(log).not.toContain(token);
      const urls = log
        .split('\n')
        .filter((line) => line.includes('request completed'))
        .map((line) => (JSON.parse(line) as { req: { url: string } }).req.url);
      expect(urls).toEqual(
        expect.arrayContaining([
          '/s/…',
          '/v1/portal/…',
          '/v1/portal/…/events',
          '/b/…',
          '/v1/buyer/…',
        ]),
      );
    } finally {
      await app.stop();
      await db.drop();
    }
  }, 120_000);
});
