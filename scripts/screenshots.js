#!/usr/bin/env node
// @ts-check
// Regenerates the consoles' screenshots in docs/screenshots/ (README, "Merchant console" and
// "Operations"): the built app (`npm run build` first) on a fresh test database, seeded through the
// API as a merchant would, shot with the page tests' own browser (test/support/browser.ts).
// Needs PostgreSQL as the tests do (TEST_DATABASE_URL, default postgres@127.0.0.1:5432).
//   node scripts/screenshots.js
const fs = require('node:fs');
const path = require('node:path');
require('ts-node').register({
  transpileOnly: true,
  project: path.join(__dirname, '..', 'tsconfig.json'),
});
const sharp = require('sharp');

/**
 * The test helpers this script shares with the page tests, compiled on the fly by ts-node; typed
 * here by hand (the scripts' type-check does not read the tests' TypeScript).
 * @typedef {{ baseUrl: string, stop: () => Promise<number | null> }} AppProcess
 * @typedef {{
 *   launchBrowser: () => Promise<import('playwright-core').Browser>,
 *   startAppProcess: (env: Record<string, string>) => Promise<AppProcess>,
 *   createTestDatabase: () => Promise<{ url: string, drop: () => Promise<void> }>,
 * }} Support
 */
/**
 * @param {string} name
 * @returns {Support}
 */
function support(name) {
  /** @type {unknown} */
  const loaded = require(path.join(__dirname, '..', 'test', 'support', name));
  return /** @type {Support} */ (loaded);
}
const { launchBrowser } = support('browser.ts');
const { startAppProcess } = support('app-process.ts');
const { createTestDatabase } = support('test-database.ts');

const OUT = path.join(__dirname, '..', 'docs', 'screenshots');
const OPS_KEY = 'rk_screenshots_ops_key_0123456789abcdef';
const DAY = 86_400_000;

/**
 * @param {string} base
 * @param {string} method
 * @param {string} route
 * @param {string} key
 * @param {unknown} [body]
 * @returns {Promise<Record<string, string>>} the JSON answer (its ids and keys are what is read)
 */
async function call(base, method, route, key, body) {
  const form = body instanceof FormData;
  const res = await fetch(base + route, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined || form ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : form ? body : JSON.stringify(body),
  });
  const answer = /** @type {Record<string, string>} */ (await res.json().catch(() => ({})));
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

/** @param {string} ref @param {{sku: string, quantity: number, unitPrice: string}[]} items */
function order(ref, items, shipped = false) {
  const total = items.reduce((sum, i) => sum + Number(i.unitPrice) * i.quantity, 0);
  return {
    ref,
    placedAt: new Date(Date.now() - 4 * DAY).toISOString(),
    shippedAt: shipped ? new Date(Date.now() - 2 * DAY).toISOString() : null,
    trackingNumber: shipped ? 'LX123456789CN' : null,
    originCountry: 'CN',
    destinationCountry: 'FR',
    items,
    total: { amount: total.toFixed(2), currency: 'EUR' },
  };
}

/** @param {string} base */
async function seed(base) {
  const shop = await call(base, 'POST', '/v1/merchants', OPS_KEY, {
    name: 'Boutique Lumière',
    country: 'FR',
  });
  const { key } = await call(base, 'POST', `/v1/merchants/${shop.id}/api-keys`, OPS_KEY, {});
  const factory = await call(base, 'POST', '/v1/suppliers', OPS_KEY, {
    name: 'Usine Shenzhen Lighting',
    country: 'CN',
  });
  const other = await call(base, 'POST', '/v1/suppliers', OPS_KEY, {
    name: 'Atelier Ningbo',
    country: 'CN',
  });
  const lamp = { sku: 'LAMPE-01', quantity: 2, unitPrice: '25.00' };
  const shade = { sku: 'ABAT-JOUR', quantity: 1, unitPrice: '15.50' };
  await call(base, 'POST', '/v1/orders', key, {
    ...order('CMD-1001', [lamp, shade]),
    supplierId: factory.id,
  });
  const open = (
    /** @type {string} */ type,
    /** @type {string} */ supplierId,
    /** @type {unknown} */ o,
    extra = {},
  ) => call(base, 'POST', '/v1/cases', key, { type, supplierId, order: o, ...extra });
  const main = await call(base, 'POST', '/v1/cases', key, {
    type: 'oversize',
    orderRef: 'CMD-1001',
    description: 'Le transporteur refuse le colis : trop grand pour un point relais.',
    claim: { items: [{ sku: 'LAMPE-01', quantity: 2 }] },
  });
  await open('out_of_stock', factory.id, order('CMD-1002', [shade]));
  await open(
    'out_of_stock',
    other.id,
    order('CMD-1003', [{ sku: 'APPLIQUE', quantity: 1, unitPrice: '42.00' }]),
  );
  const refunded = await open('oversize', other.id, order('CMD-0998', [lamp]));
  await call(base, 'POST', `/v1/cases/${refunded.id}/events`, OPS_KEY, {
    type: 'REFUNDED',
    payload: { amount: '50.00', currency: 'EUR' },
  });
  await open('oversize', factory.id, order('CMD-1004', [lamp]));
  const photo = await sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: 196, g: 160, b: 112 } },
  })
    .composite([
      {
        input: Buffer.from(
          '<svg width="320" height="240"><rect x="60" y="50" width="200" height="140" fill="#8d6e4a"/><path d="M60 50 L160 120 L260 50" stroke="#5d4630" stroke-width="6" fill="none"/></svg>',
        ),
      },
    ])
    .jpeg()
    .toBuffer();
  const form = new FormData();
  form.append('kind', 'photo');
  form.append('description', 'Carton à la livraison');
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'colis.jpg');
  await call(base, 'POST', `/v1/cases/${main.id}/evidence`, key, form);
  await call(base, 'POST', `/v1/cases/${main.id}/messages`, key, {
    text: 'Bonjour, pouvez-vous rembourser les deux lampes ? Le colis dépasse 150 cm.',
  });
  await call(base, 'POST', `/v1/cases/${main.id}/events`, key, {
    type: 'NOTE',
    payload: { text: 'Cliente prévenue par téléphone.' },
  });
  return { key, caseId: main.id };
}

/**
 * @param {import('playwright-core').Page} page
 * @param {string} name
 */
async function shoot(page, name) {
  const png = await page.screenshot({ fullPage: false });
  // A palette of 128 colours: a flat UI keeps its look at a fraction of the bytes.
  const small = await sharp(png)
    .png({ palette: true, colours: 128, compressionLevel: 9 })
    .toBuffer();
  fs.writeFileSync(path.join(OUT, `${name}.png`), small);
  process.stdout.write(`screenshots: ${name}.png ${Math.round(small.length / 1024)} KiB\n`);
}

/**
 * The ops console: the case list, a case with its actions, the same case on a phone.
 * @param {import('playwright-core').Browser} browser
 * @param {string} base
 * @param {string} caseId
 */
async function shootOps(browser, base, caseId) {
  const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  await page.goto(`${base}/ops`);
  await page.fill('#key', OPS_KEY);
  await page.click('#login-form button[type=submit]');
  await page.waitForSelector('#cases tbody tr[data-case] >> nth=4');
  await page.waitForSelector('#cases tbody tr td:has-text("Boutique Lumière")');
  await shoot(page, 'ops-cases');
  await page.goto(`${base}/ops/cases/${caseId}`);
  await page.waitForSelector('#timeline li.entry');
  await page.click('[data-action=ESCALATE]');
  await page.setViewportSize({ width: 1000, height: 1300 });
  await page.locator('#case').scrollIntoViewIfNeeded();
  await shoot(page, 'ops-case');
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${base}/ops`);
  await phone.fill('#key', OPS_KEY);
  await phone.click('#login-form button[type=submit]');
  await phone.waitForSelector('#app:not([hidden])');
  await phone.goto(`${base}/ops/cases/${caseId}`);
  await phone.waitForSelector('#timeline li.entry');
  await shoot(phone, 'ops-case-phone');
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const db = await createTestDatabase();
  const app = await startAppProcess({
    DATABASE_URL: db.url,
    REDRESS_BOOTSTRAP_OPS_KEY: OPS_KEY,
    REDRESS_SCHEDULER: '0',
    REDRESS_DISPATCHER: '0',
    LOG_LEVEL: 'warn',
  });
  const browser = await launchBrowser();
  try {
    const { key, caseId } = await seed(app.baseUrl);
    /** @param {number} width @param {number} height @param {string} locale */
    const signedIn = async (width, height, locale) => {
      const page = await browser.newPage({ viewport: { width, height }, locale });
      await page.goto(`${app.baseUrl}/app`);
      await page.fill('#key', key);
      await page.click('#login-submit');
      await page.waitForSelector('#cases tbody tr');
      return page;
    };
    const page = await signedIn(1000, 640, 'fr-FR');
    await page.click('[data-queue=all]');
    await page.waitForSelector('#cases tbody tr[data-case] >> nth=4');
    await shoot(page, 'app-queues');
    await page.goto(`${app.baseUrl}/app/cases/${caseId}`);
    await page.waitForSelector('#evidence img.thumb[src^="data:"]');
    await page.setViewportSize({ width: 1000, height: 1500 });
    await shoot(page, 'app-case');
    await page.goto(`${app.baseUrl}/app/new`);
    await page.fill('input[name=orderRef]', 'CMD-1001');
    await page.click('#find-order');
    await page.waitForSelector('.claim-lines');
    await page.setViewportSize({ width: 1000, height: 760 });
    await shoot(page, 'app-new-case');
    await page.selectOption('#lang', 'en');
    await page.goto(`${app.baseUrl}/app/money`);
    await page.waitForSelector('#receivables');
    await page.setViewportSize({ width: 1000, height: 360 });
    await shoot(page, 'app-money-en');
    const phone = await signedIn(390, 844, 'fr-FR');
    await phone.goto(`${app.baseUrl}/app/cases/${caseId}`);
    await phone.waitForSelector('#evidence img.thumb[src^="data:"]');
    await shoot(phone, 'app-case-phone');
    await shootOps(browser, app.baseUrl, caseId);
  } finally {
    await browser.close();
    await app.stop();
    await db.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
