#!/usr/bin/env node
// @ts-check
/**
 * Tracking webhooks per second against a running Redress (intake.md, QUALITY.md: at least 2x the
 * event rate, as most updates change no case). `scripts/bench.js --only=tracking` runs it beside
 * bench/events.bench.js on the same app; by hand:
 *
 *   BENCH_URL=http://127.0.0.1:3000 BENCH_OPS_KEY=rk_... node bench/tracking.bench.js
 *
 * 1. Seeds one merchant with an AfterShip secret and BENCH_PARCELS (10,000) orders, each with a
 *    parcel `BENCH-TRK-<n>`, through the CSV import.
 * 2. Runs autocannon in a separate process (bench/tracking-load.js), BENCH_CONNECTIONS (16)
 *    connections for BENCH_DURATION (15) seconds: signed `tracking_update` webhooks, each a new
 *    event_id and a later checkpoint for a random parcel (so each is looked up and recorded).
 * Prints one JSON object: webhooks/s, latency, non-2xx.
 */
'use strict';
const { envOr: env } = require('./lib/args');
const { runGenerator } = require('./lib/child');
const { parseJson } = require('./lib/untyped');

const URL_ = process.env.BENCH_URL ?? 'http://127.0.0.1:3000';
const OPS = process.env.BENCH_OPS_KEY ?? '';
const SECRET = 'bench-aftership-webhook-secret';

/**
 * @param {string} method
 * @param {string} pathname
 * @param {string} key
 * @param {string} body
 * @param {string} [type]
 */
async function call(method, pathname, key, body, type = 'application/json') {
  const res = await fetch(URL_ + pathname, {
    method,
    headers: { 'content-type': type, authorization: `Bearer ${key}` },
    body,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return /** @type {{ id: string, key: string, failed: unknown[], [k: string]: unknown }} */ (
    parseJson(text)
  );
}

async function main() {
  const parcels = Number(env('BENCH_PARCELS', '10000'));
  const merchant = await call(
    'POST',
    '/v1/merchants',
    OPS,
    JSON.stringify({ name: 'Tracking', country: 'FR' }),
  );
  const key = (await call('POST', `/v1/merchants/${merchant.id}/api-keys`, OPS, '{}')).key;
  const supplier = await call(
    'POST',
    '/v1/suppliers',
    OPS,
    JSON.stringify({ name: 'Factory', country: 'CN' }),
  );
  await call(
    'PUT',
    `/v1/merchants/${merchant.id}/integrations/aftership`,
    key,
    JSON.stringify({ secret: SECRET }),
  );
  const lines = [
    'ref,placedAt,promisedShipBy,shippedAt,trackingNumber,originCountry,destinationCountry,sku,quantity,unitPrice,currency,supplierId',
  ];
  for (let i = 0; i < parcels; i++) {
    lines.push(
      `BENCH-${i},2026-11-01T10:00:00Z,,2026-11-03T10:00:00Z,BENCH-TRK-${i},CN,FR,SKU-1,1,9.99,EUR,${supplier.id}`,
    );
  }
  const imported = await call('POST', '/v1/orders/import', key, lines.join('\n'), 'text/csv');
  if (imported.failed.length > 0)
    throw new Error(`import: ${JSON.stringify(imported.failed.slice(0, 3))}`);
  const plan = {
    url: URL_,
    connections: Number(env('BENCH_CONNECTIONS', '16')),
    duration: Number(env('BENCH_DURATION', '15')),
    merchantId: merchant.id,
    secret: SECRET,
    parcels,
  };
  // Warm-up: the app's JIT and pool, on the same kind of request.
  await runGenerator('tracking-load.js', { ...plan, duration: 2 });
  const load = /** @type {Record<string, unknown>} */ (
    await runGenerator('tracking-load.js', plan)
  );
  process.stdout.write(`${JSON.stringify({ parcels, ...load })}\n`);
}

main().catch((error) => {
  process.stderr.write(
    `tracking bench failed: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
