import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import request from 'supertest';
import { launchBrowser } from '../support/browser';
import { phoneJpeg } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

/** collaboration.md: `GET /s/<token>`, the supplier's page, in a real browser at phone width. */
describe('GET /s/<token> (the supplier page, in a real browser)', () => {
  let t: TestApp;
  let api: Api;
  let browser: Browser;
  let base: string;
  let shop: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    shop = await api.merchant('Page shop');
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A damaged_item case awaiting the supplier's verification, and a link to it. */
  async function caseWithLink(language: string | null) {
    const factory = await api.supplier('Page factory', language ? { language } : {});
    const opened = await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true }), {
      description: 'Cracked <b>base</b>',
    });
    // A photo uploaded (stored here, served to the link by its content route), so the page can
    // show it; a photo given by URL elsewhere would be another origin, which the page never loads.
    await request(t.server)
      .post(`/v1/cases/${opened.id}/evidence`)
      .set('authorization', `Bearer ${shop.key}`)
      .field('kind', 'photo')
      .field('description', 'The cracked base')
      .attach('file', await phoneJpeg(), { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' })
      .expect(201);
    await api.event(shop.key, opened.id, 'SUBMIT_EVIDENCE').expect(200);
    const made = await api.post(`/v1/cases/${opened.id}/supplier-link`, shop.key, {}).expect(201);
    return { caseId: opened.id as string, url: made.body.url as string };
  }

  /** A phone-sized page that records script errors and any request leaving this server. */
  async function phonePage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(base)) problems.push(`outside request: ${req.url()}`);
    });
    return { page, problems };
  }

  it('shows the order and the problem, confirms the verification by its form, fits 390 px', async () => {
    const { caseId, url } = await caseWithLink(null);
    const { page, problems } = await phonePage();
    await page.goto(base + url);
    await page.waitForSelector('#case:not([hidden])');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#items')).toContain('SKU-1');
    expect(await page.textContent('#items tbody td:nth-child(2)')).toBe('2');
    expect(await page.textContent('#ship-to')).toContain('FR');
    expect(await page.textContent('#problem-type')).toBe('Damaged item');
    // Text, never markup.
    expect(await page.textContent('#problem-text')).toBe('Cracked <b>base</b>');
    expect(await page.locator('#case b').count()).toBe(0);
    expect(await page.locator('#deadlines li').count()).toBeGreaterThan(0);
    // The photo itself, drawn from the link's content route (a decoded image has a width).
    const photo = page.locator('#evidence img');
    await photo.scrollIntoViewIfNeeded();
    await page.waitForFunction(
      "(() => { const i = document.querySelector('#evidence img'); return !!i && i.complete && i.naturalWidth > 0; })()",
      undefined,
      { timeout: 10_000 },
    );
    expect(await photo.getAttribute('alt')).toBe('The cracked base');

    // Every control has a label; nothing is wider than the phone.
    const unlabelled = await page.$$eval(
      'input, textarea, select',
      (nodes) =>
        nodes.filter((n) => (n as unknown as { labels: { length: number } }).labels.length === 0)
          .length,
    );
    expect(unlabelled).toBe(0);
    const width = await page.$eval('html', (html) => html.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);

    // A message, then the thread shows it.
    await page.fill('#message-text', 'We will check the batch');
    await page.click('#message-send');
    await page.locator('#messages li', { hasText: 'We will check the batch' }).waitFor();
    expect(await page.inputValue('#message-text')).toBe('');

    // The rejection form asks for its reason; the confirmation needs nothing.
    expect(
      await page.locator('form[data-event=VERIFICATION_REJECTED] input[name=reason]').count(),
    ).toBe(1);
    await page.click('form[data-event=VERIFICATION_CONFIRMED] button[type=submit]');
    await page.locator('#state', { hasText: 'resolution_pending' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('form[data-event=VERIFICATION_CONFIRMED]').count()).toBe(0);
    expect(await page.locator('form.event input[name=onBehalfOfSupplier]').count()).toBe(0);
    const refunded = page.locator('form[data-event=REFUNDED]');
    expect(await refunded.locator('input[name=amount]').count()).toBe(1);
    const last = (await api.timeline(OPS_KEY, caseId)).body.events.pop();
    expect(last).toMatchObject({ type: 'VERIFICATION_CONFIRMED', actor: { via: 'link' } });

    // A refusal is shown, not swallowed: a refund without its currency.
    await refunded.locator('input[name=amount]').fill('12.50');
    await refunded.locator('input[name=currency]').evaluate((n) => n.removeAttribute('required'));
    await refunded.locator('button[type=submit]').click();
    await page.locator('#error', { hasText: 'currency' }).waitFor({ timeout: 10_000 });

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'supplier-en.png'), fullPage: true });
    // The one failed load is the refused refund (400), on purpose.
    expect(problems.filter((p) => !/status of 400 .*\/events$/.test(p))).toEqual([]);
    expect(problems).toHaveLength(1);
    await page.close();
  });

  it('speaks the supplier’s language (zh)', async () => {
    const { url } = await caseWithLink('zh');
    const { page, problems } = await phonePage();
    await page.goto(base + url);
    await page.waitForSelector('#case:not([hidden])');
    expect(await page.getAttribute('html', 'lang')).toBe('zh');
    expect(await page.textContent('#title')).toBe('售后案件');
    expect(await page.textContent('#problem-type')).toBe('商品损坏');
    expect(await page.textContent('#order-title')).toBe('订单');
    expect(
      await page.textContent('form[data-event=VERIFICATION_CONFIRMED] button[type=submit]'),
    ).toBe('确认问题属实');
    await page.screenshot({ path: join(ARTIFACTS, 'supplier-zh.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('an unknown or revoked link gets the 404 page', async () => {
    const { caseId, url } = await caseWithLink(null);
    await api.post(`/v1/cases/${caseId}/supplier-link`, shop.key, {}).expect(201);
    const { page } = await phonePage();
    const revoked = await page.request.delete(`${base}/v1/cases/${caseId}/supplier-link`, {
      headers: { authorization: `Bearer ${shop.key}` },
    });
    expect(revoked.status()).toBe(204);
    for (const path of [url, '/s/unknown-token']) {
      const res = await page.goto(base + path);
      expect(res?.status()).toBe(404);
      expect(await page.textContent('h1')).toBe('This link does not work');
    }
    await page.close();
  });
});
