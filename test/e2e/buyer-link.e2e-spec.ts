import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { BuyerLinks, type UploadAdmission } from '../../src/collaboration/buyer-links.service';
import { CaseService } from '../../src/cases/case.service';
import type { Actor } from '../../src/cases/case.types';
import { ApiError } from '../../src/common/errors/api-error';
import { launchBrowser } from '../support/browser';
import { phoneJpeg } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const DAY = 86_400_000;

/** evidence.md "The buyer's link": made by the merchant or ops, the buyer's page and its API. */
describe("the buyer's link", () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let otherShop: { id: string; key: string };
  let factory: { id: string };
  let supplierKey: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Buyer shop');
    otherShop = await api.merchant('Other buyer shop');
    factory = await api.supplier('Buyer factory');
    supplierKey = (await api.post(`/v1/suppliers/${factory.id}/api-keys`, OPS_KEY, {})).body.key;
  });
  afterAll(async () => {
    await t.close();
  });

  const buyerOrder = () => ({
    ...order({ shipped: true }),
    items: [
      { sku: 'LAMP-1', quantity: 1, unitPrice: '49.00' },
      { sku: 'BULB-2', quantity: 3, unitPrice: '4.00' },
    ],
  });
  async function openCase(buyerLanguage = 'fr') {
    const opened = await api.open(shop.key, factory.id, 'damaged_item', buyerOrder(), {
      buyerLanguage,
    });
    return opened.id as string;
  }
  const link = (caseId: string, key: string) => api.post(`/v1/cases/${caseId}/buyer-link`, key, {});
  const statement = (token: string, body: object) =>
    api.post(`/v1/buyer/${token}/statement`, null, body);

  it('the case’s merchant or ops makes one: {url: /b/<token>, token, expiresAt in 14 days}', async () => {
    const id = await openCase();
    const made = await link(id, shop.key).expect(201);
    expect(made.body.url).toBe(`/b/${made.body.token}`);
    expect(made.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const now = new Date((await api.get('/v1/test-clock', OPS_KEY)).body.now).getTime();
    expect(new Date(made.body.expiresAt).getTime() - now).toBeGreaterThan(14 * DAY - 60_000);
    expect(new Date(made.body.expiresAt).getTime() - now).toBeLessThanOrEqual(14 * DAY);
    expect((await link(id, OPS_KEY)).status).toBe(201);
    expect((await link(id, otherShop.key)).status).toBe(404);
    expect((await link(id, supplierKey)).status).toBe(403);
    expect((await api.post(`/v1/cases/${id}/buyer-link`, null, {})).status).toBe(401);
    const { rows } = await t.db.pool.query(
      `SELECT row_to_json(l)::text AS whole FROM case_links l WHERE case_id = $1`,
      [id],
    );
    for (const row of rows) expect(row.whole).not.toContain(made.body.token);
  });

  it("shows the buyer only the order's items and what the buyer sent, in buyerLanguage", async () => {
    const id = await openCase('fr-CA');
    await api.event(shop.key, id, 'NOTE', { text: 'merchant only' }).expect(200);
    const { token } = (await link(id, shop.key)).body;
    const view = await api.get(`/v1/buyer/${token}`, null).expect(200);
    expect(view.body).toMatchObject({
      language: 'fr',
      type: 'damaged_item',
      status: 'open',
      items: [
        { sku: 'LAMP-1', quantity: 1 },
        { sku: 'BULB-2', quantity: 3 },
      ],
      sent: [],
      uploadsLeft: 20,
    });
    const text = JSON.stringify(view.body);
    for (const secret of [shop.id, factory.id, id, '49.00', 'merchant only', 'ORD-']) {
      expect(text).not.toContain(secret);
    }
  });

  it('takes a statement {text, items?}: a BUYER_STATEMENT by the buyer, and tells the merchant', async () => {
    const id = await openCase();
    const { token } = (await link(id, shop.key)).body;
    const sent = await statement(token, {
      text: 'La lampe est arrivée cassée',
      items: ['LAMP-1'],
    }).expect(201);
    expect(sent.body).toMatchObject({ text: 'La lampe est arrivée cassée', items: ['LAMP-1'] });
    const timeline = await api.timeline(OPS_KEY, id).expect(200);
    const entry = timeline.body.events[timeline.body.events.length - 1];
    expect(entry).toMatchObject({
      seq: sent.body.seq,
      type: 'BUYER_STATEMENT',
      actor: { kind: 'buyer', id: null, via: 'link' },
      fromState: 'awaiting_evidence',
      toState: 'awaiting_evidence',
      payload: { text: 'La lampe est arrivée cassée', items: ['LAMP-1'] },
    });
    expect(timeline.body.integrity.valid).toBe(true);
    const read = await api.get(`/v1/cases/${id}`, shop.key).expect(200);
    expect(read.body.version).toBe(sent.body.seq);
    const notes = await api.get(`/v1/cases/${id}/notifications`, shop.key).expect(200);
    const told = notes.body.items.filter(
      (n: { type: string }) => n.type === 'merchant.buyer_evidence',
    );
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ party: 'merchant' });
    expect(told[0].body).toMatchObject({ caseId: id, version: sent.body.seq });

    // Without items, too; the view lists both, oldest first.
    await statement(token, { text: 'Et une ampoule aussi' }).expect(201);
    const view = await api.get(`/v1/buyer/${token}`, null).expect(200);
    expect(view.body.sent).toMatchObject([
      { kind: 'statement', text: 'La lampe est arrivée cassée', items: ['LAMP-1'] },
      { kind: 'statement', text: 'Et une ampoule aussi', items: null },
    ]);
  });

  it('refuses a bad statement (400), one on a closed case (409), and changes nothing', async () => {
    const id = await openCase();
    const { token } = (await link(id, shop.key)).body;
    const unknownItem = await statement(token, { text: 'x', items: ['NOPE-9'] }).expect(400);
    expect(unknownItem.body.details).toEqual([
      { field: 'items[0]', problem: 'NOPE-9 is not a line of the order' },
    ]);
    expect((await statement(token, { text: '   ' })).status).toBe(400);
    expect((await statement(token, { text: 'x'.repeat(10_001) })).status).toBe(400);
    expect((await statement(token, { text: 'x', extra: 1 })).status).toBe(400);
    expect((await statement(token, { text: 'x', items: ['LAMP-1', 'LAMP-1'] })).status).toBe(400);
    const before = (await api.get(`/v1/cases/${id}`, OPS_KEY)).body.version;
    await api.event(shop.key, id, 'WITHDRAW').expect(200);
    const closed = await statement(token, { text: 'too late' }).expect(409);
    expect(closed.body.error).toBe('invalid_transition');
    expect((await api.get(`/v1/cases/${id}`, OPS_KEY)).body.version).toBe(before + 1);
  });

  it('takes a photo from the buyer: the evidence upload, by the buyer, the merchant told', async () => {
    const id = await openCase();
    const { token } = (await link(id, shop.key)).body;
    const photo = await phoneJpeg();
    const res = await request(t.server)
      .post(`/v1/buyer/${token}/evidence`)
      .field('kind', 'photo')
      .attach('file', photo, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' })
      .expect(201);
    expect(res.body).toMatchObject({
      kind: 'photo',
      contentType: 'image/jpeg',
      uploadedBy: { kind: 'buyer', id: null },
    });
    const entries = (await api.timeline(OPS_KEY, id)).body.events;
    expect(entries[entries.length - 1]).toMatchObject({
      type: 'EVIDENCE_ADDED',
      actor: { kind: 'buyer', id: null, via: 'link' },
      payload: { evidenceId: res.body.id, sha256: res.body.sha256 },
    });
    const view = await api.get(`/v1/buyer/${token}`, null).expect(200);
    expect(view.body.uploadsLeft).toBe(19);
    expect(view.body.sent).toMatchObject([{ kind: 'evidence', evidenceId: res.body.id }]);
    const notes = await api.get(`/v1/cases/${id}/notifications`, shop.key).expect(200);
    expect(notes.body.items.map((n: { type: string }) => n.type)).toContain(
      'merchant.buyer_evidence',
    );
    // Refused bytes take no slot.
    await request(t.server)
      .post(`/v1/buyer/${token}/evidence`)
      .field('kind', 'photo')
      .attach('file', Buffer.from('not an image'), 'x.jpg')
      .expect(415);
    expect((await api.get(`/v1/buyer/${token}`, null)).body.uploadsLeft).toBe(19);
  });

  it('takes at most 20 files per link: refused uploads take no slot, concurrent ones never pass', async () => {
    const id = await openCase();
    const { token } = (await link(id, shop.key)).body;
    const buyer = t.app.get(BuyerLinks);
    const cases = t.app.get(CaseService);
    // Stands in for the evidence service's upload: one EVIDENCE_ADDED entry by the given actor,
    // admitted by the link's hook under the case's lock.
    const stored = (caseId: string, actor: Actor, admit: UploadAdmission) =>
      cases.appendFact(caseId, {}, async (tx, row) => {
        await admit(tx, row);
        return {
          type: 'EVIDENCE_ADDED',
          actor,
          payload: { evidenceId: `ev-${row.version}`, kind: 'photo', contentType: 'image/jpeg' },
          counts: { evidence_count: row.evidence_count + 1 },
          result: row.version + 1,
        };
      });
    const refused = () => Promise.reject(new ApiError('unsupported_media_type', 'not a photo'));
    for (let i = 0; i < 3; i++) {
      await expect(buyer.uploadEvidence(token, refused)).rejects.toMatchObject({
        code: 'unsupported_media_type',
      });
    }
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, () => buyer.uploadEvidence(token, stored)),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const over = results.filter(
      (r) => r.status === 'rejected' && (r.reason as ApiError).code === 'conflict',
    );
    expect([ok.length, over.length]).toEqual([20, 5]);

    const view = await api.get(`/v1/buyer/${token}`, null).expect(200);
    expect(view.body.uploadsLeft).toBe(0);
    expect(view.body.sent).toHaveLength(20);
    const entries = (await api.timeline(OPS_KEY, id)).body.events.filter(
      (e: { type: string }) => e.type === 'EVIDENCE_ADDED',
    );
    expect(entries).toHaveLength(20);
    for (const e of entries) expect(e.actor).toEqual({ kind: 'buyer', id: null, via: 'link' });
    const notes = await api.get(`/v1/cases/${id}/notifications`, OPS_KEY).expect(200);
    expect(
      notes.body.items.filter((n: { type: string }) => n.type === 'merchant.buyer_evidence'),
    ).toHaveLength(20);
    // The 21st over HTTP is refused before its body is read; a new link has its own 20.
    const full = await request(t.server)
      .post(`/v1/buyer/${token}/evidence`)
      .field('kind', 'photo')
      .attach('file', await phoneJpeg(), 'a.jpg')
      .expect(409);
    expect(full.body.error).toBe('conflict');
    const fresh = (await link(id, shop.key)).body.token;
    expect((await api.get(`/v1/buyer/${fresh}`, null)).body.uploadsLeft).toBe(20);
  });

  it('tokens: unknown, revoked, expired (14 days) and the other audience’s are the same 404', async () => {
    const id = await openCase();
    const buyer = (await link(id, shop.key)).body.token;
    const supplier = (await api.post(`/v1/cases/${id}/supplier-link`, shop.key, {})).body.token;
    await api.get(`/v1/buyer/${buyer}`, null).expect(200);
    await request(t.server).get(`/b/${buyer}`).expect(200);
    // A supplier link opens no buyer route, and a buyer link no supplier route.
    await api.get(`/v1/buyer/${supplier}`, null).expect(404);
    await api.get(`/v1/portal/${buyer}`, null).expect(404);
    await request(t.server).get(`/b/${supplier}`).expect(404);
    await request(t.server).get(`/s/${buyer}`).expect(404);
    await api.get(`/v1/buyer/${'C'.repeat(43)}`, null).expect(404);

    const revokedCase = await openCase();
    const revoked = (await link(revokedCase, shop.key)).body.token;
    await request(t.server)
      .delete(`/v1/cases/${revokedCase}/buyer-link`)
      .set('authorization', `Bearer ${otherShop.key}`)
      .expect(404);
    await request(t.server)
      .delete(`/v1/cases/${revokedCase}/buyer-link`)
      .set('authorization', `Bearer ${shop.key}`)
      .expect(204);
    const gone = await api.get(`/v1/buyer/${revoked}`, null).expect(404);
    expect(gone.body).toEqual({ statusCode: 404, error: 'not_found', message: 'Link not found' });
    expect((await statement(revoked, { text: 'x' })).status).toBe(404);
    const page = await request(t.server)
      .get(`/b/${revoked}`)
      .set('accept', 'text/html')
      .expect(404);
    expect(page.text).toContain('This link does not work');

    const now = new Date((await api.get('/v1/test-clock', OPS_KEY)).body.now).getTime();
    await api
      .post('/v1/test-clock', OPS_KEY, { now: new Date(now + 14 * DAY + 60_000).toISOString() })
      .expect(200);
    await api.get(`/v1/buyer/${buyer}`, null).expect(404);
    // The supplier's link lives 30 days: still working.
    await api.get(`/v1/portal/${supplier}`, null).expect(200);
  });
});

/** `GET /b/<token>` in a real browser, phone-sized, in the buyer's language. */
describe('GET /b/<token> (the buyer page, in a real browser)', () => {
  let t: TestApp;
  let api: Api;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it.each([
    ['de', 'Sagen Sie uns, was schiefgelaufen ist'],
    ['es', 'Cuéntenos qué salió mal'],
    ['zh', '告诉我们出了什么问题'],
    ['pt', 'Tell us what went wrong'],
  ])('speaks %s', async (language, title) => {
    const shop = await api.merchant(`Lang shop ${language}`);
    const factory = await api.supplier(`Lang factory ${language}`);
    const opened = await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true }), {
      buyerLanguage: language,
    });
    const { url } = (await api.post(`/v1/cases/${opened.id}/buyer-link`, shop.key, {})).body;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(base + url);
    await page.waitForSelector('#case:not([hidden])');
    expect(await page.textContent('#title')).toBe(title);
    await page.close();
  });

  it('picks the lines, sends a statement from a phone and lists it; the file input takes the camera', async () => {
    const shop = await api.merchant('Phone shop');
    const factory = await api.supplier('Phone factory');
    const opened = await api.open(
      shop.key,
      factory.id,
      'damaged_item',
      {
        ...order({ shipped: true }),
        items: [
          { sku: 'LAMP-1', quantity: 1, unitPrice: '49.00' },
          { sku: 'BULB-2', quantity: 3, unitPrice: '4.00' },
        ],
      },
      { buyerLanguage: 'fr' },
    );
    const { url } = (await api.post(`/v1/cases/${opened.id}/buyer-link`, shop.key, {})).body;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('request', (req) => {
      if (!req.url().startsWith(base)) problems.push(`outside request: ${req.url()}`);
    });
    await page.goto(base + url);
    await page.waitForSelector('#case:not([hidden])');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('#items')).toContain('BULB-2');
    expect(await page.textContent('body')).not.toContain('49.00');
    const file = page.locator('#upload-file');
    expect(await file.getAttribute('accept')).toBe('image/*,video/*');
    expect(await file.getAttribute('capture')).not.toBeNull();
    const unlabelled = await page.$$eval(
      'input, textarea',
      (nodes) =>
        nodes.filter((n) => (n as unknown as { labels: { length: number } }).labels.length === 0)
          .length,
    );
    expect(unlabelled).toBe(0);
    expect(await page.$eval('html', (html) => html.scrollWidth)).toBeLessThanOrEqual(390);

    await page.check('#items input[value="LAMP-1"]');
    await page.fill('#statement-text', 'Le pied de la lampe est fendu');
    await page.click('#statement-send');
    await page.locator('#sent li', { hasText: 'Le pied de la lampe est fendu' }).waitFor();
    expect(await page.textContent('#notice')).toBe('Merci, nous avons bien reçu votre message.');
    const entries = (await api.timeline(OPS_KEY, opened.id)).body.events;
    expect(entries[entries.length - 1]).toMatchObject({
      type: 'BUYER_STATEMENT',
      payload: { text: 'Le pied de la lampe est fendu', items: ['LAMP-1'] },
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('uploads a photo from the file input and lists it', async () => {
    const shop = await api.merchant('Upload shop');
    const factory = await api.supplier('Upload factory');
    const opened = await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true }), {
      buyerLanguage: 'en',
    });
    const { url } = (await api.post(`/v1/cases/${opened.id}/buyer-link`, shop.key, {})).body;
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await page.goto(base + url);
    await page.waitForSelector('#case:not([hidden])');
    expect(await page.textContent('#sent')).not.toContain('Photo');

    await page.setInputFiles('#upload-file', {
      name: 'IMG_0001.jpg',
      mimeType: 'image/jpeg',
      buffer: await phoneJpeg(),
    });
    await page.click('#upload-send');

    await page.locator('#sent li', { hasText: 'Photo' }).waitFor({ timeout: 10_000 });
    const entries = (await api.timeline(OPS_KEY, opened.id)).body.events;
    expect(entries[entries.length - 1]).toMatchObject({
      type: 'EVIDENCE_ADDED',
      actor: { kind: 'buyer', via: 'link' },
      payload: { kind: 'photo', contentType: 'image/jpeg' },
    });
    await page.close();
  });
});
