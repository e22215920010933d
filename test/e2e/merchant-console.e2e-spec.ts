import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { phoneJpeg } from '../support/evidence-files';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { axeViolations, scrollWidth, watchPage } from '../support/page-checks';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The merchant console (`/app`) in a real browser, on the real app and database, at a phone's
 * width (390 px): every screen is checked with axe-core and for sideways overflow.
 */
describe('GET /app (the merchant console, in a real browser)', () => {
  let t: TestApp;
  let api: Api;
  let browser: Browser;
  let base: string;
  let shop: { id: string; key: string };
  let factory: { id: string };
  const cases: Record<string, { id: string; order: { ref: string } }> = {};

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchBrowser();
    shop = await api.merchant('Boutique Lumière');
    factory = await api.supplier('Usine Shenzhen');
    // Waits on the merchant, no deadline; waits on the supplier, due in 24 h.
    cases.stock = await api.open(shop.key, factory.id, 'out_of_stock');
    cases.late = await api.open(shop.key, factory.id, 'oversize');
    const ordered = {
      ...order(),
      ref: 'CMD-1001',
      supplierId: factory.id,
      items: [
        { sku: 'LAMPE-01', quantity: 2, unitPrice: '25.00' },
        { sku: 'ABAT-JOUR', quantity: 1, unitPrice: '15.50' },
      ],
      total: { amount: '65.50', currency: 'EUR' },
    };
    await api.post('/v1/orders', shop.key, ordered).expect(201);
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  /** A phone-sized tab in French, signed in on `path`. */
  async function signedIn(
    path = '/app',
    locale = 'fr-FR',
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale });
    const problems = watchPage(page, base);
    await page.goto(base + path);
    await page.fill('#key', shop.key);
    await page.click('#login-submit');
    await page.waitForSelector('#view:not([hidden])');
    return { page, problems };
  }

  /** The checks of every screen: accessible, no sideways scroll at 390 px. */
  async function screenIsSound(page: Page): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
  }

  const rowIds = (page: Page) =>
    page
      .locator('#cases tbody tr[data-case]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case')));

  it('signs in (key in sessionStorage only), orders the queues, searches, speaks French and English', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'fr-FR' });
    const problems = watchPage(page, base);
    await page.goto(`${base}/app`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.textContent('#login-submit')).toBe('Se connecter');
    // The checker itself finds a field without a label (then the probe goes again).
    await page.evaluate(
      "document.body.append(Object.assign(document.createElement('input'), {id: 'probe'}))",
    );
    expect((await axeViolations(page)).join()).toContain('label (critical)');
    await page.evaluate("document.getElementById('probe').remove()");
    await screenIsSound(page);
    // By keyboard alone: the language menu, then the key field; Enter signs in.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('key');
    await page.keyboard.type(shop.key);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#cases tbody tr[data-case]');
    expect(await page.evaluate("sessionStorage.getItem('redress.merchantKey')")).toBe(shop.key);
    expect(await page.evaluate('JSON.stringify(localStorage)')).not.toContain(shop.key);
    expect(await page.textContent('#who')).toBe('Boutique Lumière');
    // "À traiter": the cases waiting on the merchant only.
    expect(await rowIds(page)).toEqual([cases.stock.id]);
    await screenIsSound(page);

    // "Échéance proche": by next deadline, the case due in 24 h first, none last.
    await page.focus('[data-queue=due]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/queue=due/);
    await page.waitForSelector(`#cases tbody tr[data-case="${cases.late.id}"]`);
    expect((await rowIds(page))[0]).toBe(cases.late.id);
    expect(await page.textContent(`tr[data-case="${cases.late.id}"]`)).toContain('reste 23 h');

    // Search by order ref in every case.
    await page.click('[data-queue=all]');
    await page.waitForURL(/queue=all/);
    await page.fill('input[name=orderRef]', cases.stock.order.ref);
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/orderRef=/);
    await page.locator('#cases tbody tr[data-case]').first().waitFor();
    expect(await rowIds(page)).toEqual([cases.stock.id]);

    // English, chosen and remembered across a reload; the queue and its search stay too.
    await page.selectOption('#lang', 'en');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('[data-queue=needs]')).toBe('Needs you');
    await page.reload();
    await page.waitForSelector('#cases tbody tr[data-case]');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.textContent('#nav')).toContain('Open a case');
    expect(await rowIds(page)).toEqual([cases.stock.id]);
    await screenIsSound(page);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a case from an order ref, uploads a photo, writes, acts, and keeps the case on reload', async () => {
    const { page, problems } = await signedIn('/app/new');
    await page.waitForSelector('select[name=type] option[value=oversize]', { state: 'attached' });
    await page.selectOption('select[name=type]', 'oversize');
    await page.fill('input[name=orderRef]', 'CMD-1001');
    await page.click('#find-order');
    await page.waitForSelector('.claim-lines');
    expect(await page.inputValue('input[name=supplierId]')).toBe(factory.id);
    await page.uncheck('input[name=claimSku][value=ABAT-JOUR]');
    await page.fill('input[name="claimQty-LAMPE-01"]', '1');
    await screenIsSound(page);
    await page.click('#open-form button[type=submit]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop()!;
    await page.waitForSelector('#integrity');
    expect(await page.textContent('#view h1')).toBe('Dossier CMD-1001');
    expect(await page.textContent('.case-body')).toContain('25.00 EUR — LAMPE-01 × 1');
    // The deadline it is under, counting down, and the diagram marks its state.
    expect(await page.textContent('#deadline')).toContain('supplier response (fournisseur)');
    const before = await page.textContent('#countdown');
    await page.waitForTimeout(1100);
    expect(await page.textContent('#countdown')).not.toBe(before);
    expect(await page.getAttribute('.diagram g.current', 'data-state')).toBe('refund_pending');

    await page.setInputFiles('#upload-file', {
      name: 'colis.jpg',
      mimeType: 'image/jpeg',
      buffer: await phoneJpeg(),
    });
    await page.fill('#upload-form input[name=description]', 'Carton écrasé');
    await page.click('#upload-form button[type=submit]');
    await page.waitForSelector('#evidence img.thumb[src^="data:image/jpeg"]');
    expect(await page.getAttribute('#evidence img.thumb', 'alt')).toBe('Carton écrasé');

    await page.fill('#message-text', 'Pouvez-vous <b>confirmer</b> le renvoi ?');
    await page.click('#message-form button[type=submit]');
    await page.waitForSelector('#messages li');
    expect(await page.textContent('#messages')).toContain(
      'Pouvez-vous <b>confirmer</b> le renvoi ?',
    );
    expect(await page.locator('#messages b').count()).toBe(0);

    // An allowed event with its payload's form: NOTE asks for its text.
    await page.fill('form[data-event=NOTE] textarea[name=text]', 'Client rappelé');
    expect(await page.textContent('form[data-event=NOTE]')).toContain('Texte (obligatoire)');
    await page.click('form[data-event=NOTE] button[type=submit]');
    await page.locator('#notice', { hasText: 'Fait : Ajouter une note.' }).waitFor();
    const entries = await page.locator('tr.entry td:nth-child(3)').allTextContents();
    expect(entries).toEqual(['CASE_OPENED', 'EVIDENCE_ADDED', 'MESSAGE', 'NOTE']);
    expect(await page.textContent('#integrity')).toContain('intacte');
    expect(await page.textContent('#ledger')).toContain('25.00 EUR');

    const link = await page
      .click('#supplier-link')
      .then(() => page.waitForSelector('#supplier-url'));
    expect(await link.inputValue()).toMatch(new RegExp(`^${base}/s/[A-Za-z0-9_-]{43}$`));
    await screenIsSound(page);

    // A deep link: the reload asks the server for /app/cases/<id> and lands on the same case.
    await page.reload();
    await page.waitForSelector('#integrity');
    expect(page.url()).toBe(`${base}/app/cases/${id}`);
    expect(await page.textContent('#view h1')).toBe('Dossier CMD-1001');
    expect(await page.locator('tr.entry').count()).toBe(4);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('opens a case for an order the API does not know, from the order’s own form', async () => {
    const { page, problems } = await signedIn('/app/new');
    await page.waitForSelector('select[name=type] option[value=out_of_stock]', {
      state: 'attached',
    });
    await page.selectOption('select[name=type]', 'out_of_stock');
    await page.fill('input[name=orderRef]', 'CMD-2001');
    await page.click('#find-order');
    await page.waitForSelector('fieldset.order');
    await page.fill('input[name=placedAt]', '2026-12-01');
    await page.fill('input[name=sku]', 'VASE-9');
    await page.fill('input[name=quantity]', '3');
    await page.fill('input[name=unitPrice]', '12.40');
    await page.fill('input[name=supplierId]', factory.id);
    await screenIsSound(page);
    await page.click('#open-form button[type=submit]');
    await page.waitForURL(/\/app\/cases\/[0-9a-f-]{36}$/);
    await page.waitForSelector('#integrity');
    expect(await page.textContent('#view h1')).toBe('Dossier CMD-2001');
    expect(await page.textContent('.case-body')).toContain('37.20 EUR — VASE-9 × 3');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a closed case says so and its outcome; the money screen lists receivables and gives the CSV', async () => {
    // 25 h on: the supplier missed its answer on the oversize case, which is now breached.
    const now = new Date((await api.get('/v1/test-clock', OPS_KEY).expect(200)).body.now);
    await api
      .post('/v1/test-clock', OPS_KEY, { now: new Date(now.getTime() + 25 * 3600_000) })
      .expect(200);
    const queue = await signedIn('/app?queue=breached');
    await queue.page.waitForSelector('#cases tbody tr[data-case]');
    // Both oversize cases (this one and CMD-1001's), never the out_of_stock case (no deadline).
    const breached = await rowIds(queue.page);
    expect(breached).toHaveLength(2);
    expect(breached).toContain(cases.late.id);
    expect(breached).not.toContain(cases.stock.id);
    await screenIsSound(queue.page);
    expect(queue.problems).toEqual([]);
    await queue.page.close();

    await api
      .event(OPS_KEY, cases.late.id, 'REFUNDED', { amount: '39.98', currency: 'EUR' })
      .expect(200);
    const { page, problems } = await signedIn(`/app/cases/${cases.late.id}`, 'en-GB');
    await page.selectOption('#lang', 'en');
    await page.waitForSelector('#integrity');
    expect(await page.textContent('#deadline')).toContain('Case closed: refunded.');
    expect(await page.textContent('#deadline')).not.toContain('No deadline');
    expect(await page.textContent('#h-actions + *')).toBe('No action in this state.');
    expect(await page.textContent('#ledger')).toContain('39.98 EUR');
    await screenIsSound(page);

    await page.click('#nav a[href="/app/money"]');
    await page.waitForSelector('#receivables');
    const row = page.locator(`#receivables tr[data-supplier="${factory.id}"]`);
    expect(await row.textContent()).toContain('Usine Shenzhen');
    expect(await row.textContent()).toContain('39.98');
    await screenIsSound(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    const csv = readFileSync(path, 'utf8');
    expect(csv.split('\n')[0]).toContain('supplierName');
    expect(csv).toContain('Usine Shenzhen');
    expect(problems).toEqual([]);
    await page.close();
  });
});
