import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { axeViolations, scrollWidth, watchPage } from '../support/page-checks';
import { startTestApp, TestApp } from '../support/test-app';

/**
 * The ops console in a real browser on the real app and database: find a case by its order,
 * act on it with the buttons (escalate, liability, note, message, force refund), follow its
 * address across a reload, manage API keys; every screen without serious accessibility
 * problems, console errors, or sideways scrolling at 390 px.
 */
describe('The ops console (/ops) acts on cases and keys', () => {
  let t: TestApp;
  let api: Api;
  let browser: Browser;
  let base: string;
  let shop: { id: string; key: string };
  let factory: { id: string };
  let target: { id: string; ref: string };
  let other: { id: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY });
    api = new Api(t.server);
    const server = t.app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    shop = await api.merchant('Boutique Lumière');
    factory = await api.supplier('Usine Shenzhen');
    const ref = `SO-${Date.now()}`;
    const opened = await api.open(shop.key, factory.id, 'oversize', { ...order(), ref });
    target = { id: opened.id, ref };
    await api.event(shop.key, target.id, 'NOTE', { text: 'buyer <b>called</b>' }).expect(200);
    other = await api.open(shop.key, factory.id, 'oversize'); // one the search leaves out
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${base}/ops`);
    await page.fill('#key', OPS_KEY);
    await page.click('#login-form button[type=submit]');
    await page.waitForSelector('#app:not([hidden])');
  }

  /** Opens the action's form, fills its fields, sends it and waits for the case to show again. */
  async function act(page: Page, action: string, fields: Record<string, string> = {}) {
    const version = await page.textContent('#case-status');
    await page.click(`[data-action=${action}]`);
    const form = page.locator(`form[data-event=${action}]`);
    for (const [name, value] of Object.entries(fields)) {
      const input = form.locator(`[name=${name}]`);
      if ((await input.evaluate((n) => n.tagName)) === 'SELECT') await input.selectOption(value);
      else await input.fill(value);
    }
    await form.locator('button[type=submit]').click();
    await page.locator(`#timeline li.entry[data-type=${action}]`).last().waitFor();
    await page.locator('form.action-form').waitFor({ state: 'detached' });
    return version;
  }

  const entryText = (page: Page, type: string) =>
    page.locator(`#timeline li.entry[data-type=${type}]`).last().textContent();

  it('finds the case by its order, acts with the buttons, and keeps its address on reload', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page, base);
    await page.goto(`${base}/ops`);
    expect(await axeViolations(page)).toEqual([]); // the sign-in screen
    await signIn(page);

    await page.fill('#filters input[name=q]', target.ref);
    await page.click('#filters button[type=submit]');
    await page.locator('#count', { hasText: 'of 1' }).waitFor();
    expect(await page.locator('#cases tbody tr').count()).toBe(1);
    const row = page.locator(`#cases tbody tr[data-case="${target.id}"]`);
    // Parties by name, not by id.
    await row.locator('td', { hasText: 'Boutique Lumière' }).waitFor();
    expect(await row.textContent()).toContain('Usine Shenzhen');
    expect(await row.textContent()).toContain(target.ref);
    expect(await axeViolations(page)).toEqual([]); // the list

    await row.locator('a').click();
    await page.waitForSelector('#case-state');
    expect(new URL(page.url()).pathname).toBe(`/ops/cases/${target.id}`);
    await page.locator('#case-merchant', { hasText: 'Boutique Lumière' }).waitFor();
    expect(await page.textContent('#case-supplier')).toBe('Usine Shenzhen');
    // Payloads are fields, and text stays text.
    const note = page.locator('#timeline li.entry[data-type=NOTE]');
    expect(await note.locator('dt').allTextContents()).toEqual(['text']);
    expect(await note.locator('dd').textContent()).toBe('buyer <b>called</b>');
    expect(await page.locator('#case b').count()).toBe(0);
    const opening = page.locator('#timeline li.entry[data-type=CASE_OPENED] dl.payload');
    await opening.locator('dd', { hasText: 'Usine Shenzhen' }).waitFor();
    expect(await opening.textContent()).toContain('Boutique Lumière');
    expect(await opening.textContent()).not.toContain(shop.id);
    // Only what the state allows: no force refund before the case is escalated.
    expect(await page.locator('[data-action=FORCE_REFUND]').count()).toBe(0);
    expect(await page.locator('#deadlines tr.deadline.pending').count()).toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]); // a case
    // The diagram's exits name events and their conditions in words, not the guards' code names.
    const exits = await page.locator('.diagram ul li').allTextContents();
    expect(exits.length).toBeGreaterThan(0);
    for (const exit of exits) expect(exit).not.toMatch(/\[[a-z]+[A-Z]/);
    expect(exits.join(' ')).toMatch(/\[[a-z ]+\]/);

    await act(page, 'ESCALATE', { reason: 'Supplier silent for a week' });
    await page.locator('#case-state', { hasText: 'escalated' }).waitFor();
    expect(await entryText(page, 'ESCALATE')).toContain('Supplier silent for a week');
    // Escalated: ops' closing buttons appear, escalating again is not offered.
    const actions = await page
      .locator('[data-action]')
      .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-action')));
    expect(actions).toEqual(expect.arrayContaining(['FORCE_REFUND', 'FORCE_CLOSE', 'NOTE']));
    expect(actions).not.toContain('ESCALATE');

    await act(page, 'SET_LIABILITY', { liability: 'carrier', reason: 'Carrier scan shows loss' });
    await page.locator('#case-liability', { hasText: 'carrier' }).waitFor();
    expect(await entryText(page, 'SET_LIABILITY')).toContain('Carrier scan shows loss');

    // By keyboard alone: the button opens its form with the focus in its first field.
    await page.focus('[data-action=NOTE]');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('f-NOTE-text');
    await page.keyboard.type('Called the carrier');
    await page.keyboard.press('Tab'); // to the form's submit button
    await page.keyboard.press('Enter');
    await page.locator('#timeline li.entry[data-type=NOTE]', { hasText: 'carrier' }).waitFor();
    expect(await page.evaluate('document.activeElement.id')).toBe('case-title');
    expect(await entryText(page, 'NOTE')).toContain('Called the carrier');
    await act(page, 'MESSAGE', { text: 'We are refunding the buyer' });
    expect(await entryText(page, 'MESSAGE')).toContain('We are refunding the buyer');
    const thread = await api.get(`/v1/cases/${target.id}/messages`, shop.key).expect(200);
    expect(thread.body.items.map((m: { text: string }) => m.text)).toContain(
      'We are refunding the buyer',
    );

    // Someone else changes the case meanwhile: the form's If-Match is refused, readably.
    await page.click('[data-action=NOTE]');
    await page.fill('form[data-event=NOTE] [name=text]', 'Too late');
    await api.event(shop.key, target.id, 'NOTE', { text: 'Merchant got there first' });
    await page.click('form[data-event=NOTE] button[type=submit]');
    await page.locator('#action-error', { hasText: '409' }).waitFor();
    expect(await page.textContent('#action-error')).toMatch(/^409 \w+: .+/);
    const refused = problems.findIndex((p) => p.includes('status of 409'));
    expect(refused).toBeGreaterThanOrEqual(0);
    problems.splice(refused, 1); // the browser logs the refused request: expected here

    await page.click('#reload-case'); // the case as it is now, the merchant's note included
    await page.locator('form.action-form').waitFor({ state: 'detached' });
    expect(await entryText(page, 'NOTE')).toContain('Merchant got there first');
    await act(page, 'FORCE_REFUND', { reason: 'Goodwill' });
    // A forced refund moves no supplier money: the case closes as written off (money.md).
    await page.locator('#case-status', { hasText: 'closed (written_off)' }).waitFor();
    expect(await page.textContent('#closed-note')).toContain('Closed (written_off)');
    expect(await page.locator('#deadlines tr.deadline.cancelled').count()).toBeGreaterThan(0);
    expect(await page.locator('#deadlines tr.deadline.pending').count()).toBe(0);
    expect(await page.textContent('#actions')).toContain('closed');
    expect(await page.locator('[data-action]').count()).toBe(0);

    // The address is the case's: a reload opens it again.
    await page.reload();
    await page.locator('#case-status', { hasText: 'closed (written_off)' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/ops/cases/${target.id}`);
    await page.goBack();
    await page.goForward();
    await page.locator('#case-status', { hasText: 'closed (written_off)' }).waitFor();
    await page.click('#back');
    expect(new URL(page.url()).pathname).toBe('/ops');
    expect(await page.isHidden('#case')).toBe(true);

    // A case id in the search box opens that case.
    await page.fill('#filters input[name=q]', target.id);
    await page.click('#filters button[type=submit]');
    await page.locator('#case-status', { hasText: 'closed (written_off)' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('pages through the list with its counts', async () => {
    const busy = await api.merchant('Maison Pagination');
    for (let i = 0; i < 11; i++) await api.open(busy.key, factory.id, 'oversize');
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page, base);
    await signIn(page);
    const option = `#filters select[name=merchantId] option[value="${busy.id}"]`;
    await page.locator(option).waitFor({ state: 'attached' });
    await page.selectOption('#filters select[name=merchantId]', busy.id);
    await page.selectOption('#filters select[name=limit]', '10');
    await page.click('#filters button[type=submit]');
    await page.locator('#count', { hasText: 'Cases 1–10 of 11' }).waitFor();
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(10);
    expect(await page.isDisabled('#prev')).toBe(true);
    const firstPage = await page
      .locator('#cases tbody tr[data-case]')
      .first()
      .getAttribute('data-case');

    await page.click('#next');
    await page.locator('#count', { hasText: 'Cases 11–11 of 11' }).waitFor();
    expect(await page.locator('#cases tbody tr[data-case]').count()).toBe(1);
    expect(await page.isDisabled('#next')).toBe(true);
    await page.click('#prev');
    await page.locator('#count', { hasText: 'Cases 1–10 of 11' }).waitFor();
    expect(await page.locator('#cases tbody tr[data-case]').first().getAttribute('data-case')).toBe(
      firstPage,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('creates merchant and supplier keys, shows each once, and revokes one', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = watchPage(page, base);
    await signIn(page);
    await page.click('#tabs button[data-tab=keys]');
    await page
      .locator('#keys-form select[name=owner] option', { hasText: 'Boutique Lumière' })
      .waitFor({ state: 'attached' });
    await page.selectOption('#keys-form select[name=owner]', shop.id);
    await page.locator('#key-list tr[data-key]').first().waitFor(); // the fixture's key
    const before = await page.locator('#key-list tr[data-key]').count();
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#keys-form button[type=submit]');
    await page.waitForSelector('#new-key:not([hidden]) #new-key-value');
    const key = await page.inputValue('#new-key-value');
    expect(key).toMatch(/^rk_live_/);
    await page.locator('#key-list tr[data-key]').nth(before).waitFor();
    expect(await page.textContent('#key-list')).not.toContain(key); // listed by prefix only
    await api.get('/v1/cases', key).expect(200);
    expect(await axeViolations(page)).toEqual([]);

    const prefix = key.slice(0, 12);
    const row = page.locator('#key-list tr[data-key]', { hasText: prefix });
    await row.locator('button.revoke').click();
    await page.locator('#keys-status', { hasText: 'revoked' }).waitFor();
    await row.locator('.badge.bad', { hasText: 'revoked' }).waitFor();
    await api.get('/v1/cases', key).expect(401);

    // A supplier key: the role and the scope follow the owner.
    await page.selectOption('#keys-form select[name=kind]', 'supplier');
    await page.locator(`#keys-form select[name=owner] option[value="${factory.id}"]`).waitFor({
      state: 'attached',
    });
    await page.selectOption('#keys-form select[name=owner]', factory.id);
    await page.click('#keys-form button[type=submit]');
    await page.locator('#new-key label', { hasText: 'New supplier key' }).waitFor();
    const supplierKey = await page.inputValue('#new-key-value');
    const seen = await api.get('/v1/cases', supplierKey).expect(200);
    expect(seen.body.items.length).toBeGreaterThan(0);
    expect(seen.body.items.every((c: { supplierId: string }) => c.supplierId === factory.id)).toBe(
      true,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a 390 px screen: no sideways scrolling, the list as cards, every screen accessible', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const problems = watchPage(page, base);
    await page.goto(`${base}/ops`);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await signIn(page);
    await page.locator('#cases tbody tr[data-case]').first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await page.locator('#cases thead').boundingBox()).toMatchObject({ height: 1 });
    expect(await axeViolations(page)).toEqual([]);

    // Straight to the case by its address, with the key kept in the tab.
    await page.goto(`${base}/ops/cases/${target.id}`);
    await page.locator('#timeline li.entry').first().waitFor();
    expect(await page.isHidden('#cases')).toBe(true); // the case alone, the list a link away
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);

    // An open case with an action's form open.
    await page.goto(`${base}/ops/cases/${other.id}`);
    await page.click('[data-action=ESCALATE]');
    await page.locator('form[data-event=ESCALATE] textarea').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#tabs button[data-tab=keys]');
    await page.locator('#key-list tr[data-key], #key-list p').first().waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    expect(await axeViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
