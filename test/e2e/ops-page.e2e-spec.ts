import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import request from 'supertest';
import { launchBrowser } from '../support/browser';
import { Api, OPS_KEY } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const ARTIFACTS = join(__dirname, '..', 'artifacts');

describe('GET /ops (the ops page, in a real browser)', () => {
  let t: TestApp;
  let api: Api;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
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

  it('serves the shell, its script and style from the app, under the CSP', async () => {
    const page = await request(t.server).get('/ops').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('<script src="/ops/ops.js" defer></script>');
    expect(page.text).not.toMatch(/<script>[^<]/); // no inline script
    const js = await request(t.server).get('/ops/ops.js').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    await request(t.server)
      .get('/ops/ops.css')
      .expect('content-type', /^text\/css/);
  });

  it('serves only the built files: anything else under /ops is the API 404, pages revalidate', async () => {
    for (const path of ['/ops/nope.js', '/ops/..%2f..%2fpackage.json', '/ops/../package.json']) {
      const missing = await request(t.server).get(path).expect(404);
      expect(missing.body).toMatchObject({ statusCode: 404 });
    }
    const page = await request(t.server).get('/ops/').expect(200);
    expect(page.text).toContain('<script src="/ops/ops.js" defer></script>');
    expect(page.headers['cache-control']).toBe('no-cache');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    await request(t.server).get('/ops/').set('if-none-match', page.headers.etag).expect(304);
  });

  it('signs in with an ops key, finds the breached case and shows its timeline intact', async () => {
    const shop = await api.merchant('Ops page shop');
    const factory = await api.supplier('Ops page factory');
    const breached = await api.open(shop.key, factory.id, 'oversize');
    await api.evidence(shop.key, breached.id).expect(201);
    await api.event(shop.key, breached.id, 'NOTE', { text: 'buyer <b>called</b>' }).expect(200);
    const fine = await api.open(shop.key, factory.id, 'oversize');
    await api.event(OPS_KEY, fine.id, 'REFUNDED', { amount: '39.98', currency: 'EUR' }).expect(200);
    // The test clock moves 25 h on: the open case misses its supplier_response deadline.
    const now = new Date((await api.get('/v1/test-clock', OPS_KEY).expect(200)).body.now);
    await api
      .post('/v1/test-clock', OPS_KEY, { now: new Date(now.getTime() + 25 * 3600_000) })
      .expect(200);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`${message.text()} ${message.location().url}`);
    });
    page.on('request', (req) => {
      if (!req.url().startsWith(base)) problems.push(`outside request: ${req.url()}`);
    });

    await page.goto(`${base}/ops`);
    await page.fill('#key', OPS_KEY);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app:not([hidden])');
    expect(await page.evaluate("sessionStorage.getItem('redress.opsKey')")).toBe(OPS_KEY);

    await page.selectOption('#filters select[name=breached]', 'true');
    await page.locator(`#filters select[name=merchantId] option[value="${shop.id}"]`).waitFor({
      state: 'attached',
    });
    await page.selectOption('#filters select[name=merchantId]', shop.id);
    await page.click('#filters button[type=submit]');
    await page.locator('#count', { hasText: 'of 1' }).waitFor();
    await page.waitForSelector(`#cases tbody tr[data-case="${breached.id}"]`);
    expect(await page.locator('#cases tbody tr').count()).toBe(1);

    await page.click(`#cases tbody tr[data-case="${breached.id}"] a`);
    await page.waitForSelector('#integrity');
    expect(await page.textContent('#integrity')).toContain('intact');
    expect(await page.getAttribute('#integrity', 'class')).toContain('valid');
    const types = await page.locator('#timeline li.entry .type').allTextContents();
    expect(types).toEqual(
      expect.arrayContaining([
        'CASE_OPENED',
        'EVIDENCE_ADDED',
        'NOTE',
        'TIMER_FIRED',
        'SLA_BREACHED',
      ]),
    );
    // Payloads are text, never markup.
    expect(await page.locator('#case b').count()).toBe(0);
    expect(await page.textContent('#case')).toContain('buyer <b>called</b>');
    // The workflow diagram marks the current state.
    expect(await page.getAttribute('.diagram g.current', 'data-state')).toBe('refund_pending');
    expect(await page.textContent('#case')).toContain('supplier_response');
    expect(await page.locator('#case a[href^="https://cdn.example.com/"]').count()).toBe(1);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ops.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a merchant key', async () => {
    const shop = await api.merchant('Not ops');
    const page = await browser.newPage();
    await page.goto(`${base}/ops`);
    await page.fill('#key', shop.key);
    await page.click('#login-form button[type=submit]');
    // A locator wait, not waitForFunction: the page's CSP (script-src 'self') forbids eval.
    await page.locator('#login-error', { hasText: '403' }).waitFor({ timeout: 10_000 });
    expect(await page.textContent('#login-error')).toContain('403');
    expect(await page.isHidden('#app')).toBe(true);
    await page.close();
  });
});
