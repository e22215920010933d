#!/usr/bin/env node
// @ts-check
/**
 * Evidence: photo uploads per second and the time of a case's packet. Plain Node;
 * `npm run bench -- --only=evidence` runs it, or by hand against an empty database:
 *
 *   BENCH_DATABASE_URL=postgres://.../redress_bench_x node bench/evidence.bench.js
 *
 * It starts the built app (dist/src/main.js) as its own process with the file store in a fresh
 * temporary data directory, then:
 * 1. uploads: autocannon, BENCH_CONNECTIONS (8) connections for BENCH_DURATION (15) s, each
 *    request a `multipart/form-data` upload of one ~2 MiB JPEG as a `photo` to one of 8 cases
 *    (each upload locks its case's row while its entry is written, as every write does); every
 *    upload is read, typed, decoded, re-encoded without metadata by libvips, hashed and stored.
 *    The same photo every time: its stored file is written once and then found there (the
 *    temporary files are written for every upload all the same). BENCH_RUNS (3) runs;
 * 2. packet: a case with BENCH_PHOTOS (20) distinct ~2 MiB photos; GET its packet as a PDF (each
 *    photo decoded and drawn small) and as a ZIP (the stored files as they are), BENCH_RUNS times
 *    each, timed to the last byte;
 * 3. the disk's own write speed on the same file system as the data directory:
 *    `dd if=/dev/zero of=<data dir>/dd.bin bs=1M count=512 oflag=direct`.
 * Prints one JSON object.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const autocannon = require('autocannon');
const sharp = require('sharp');
const { api } = require('./events.bench');
const { startApp } = require('./app-process');
const { envOr: env } = require('./lib/args');
const { BENCH_OPS_KEY } = require('./lib/database');

/** @param {string} message */
const log = (message) => process.stderr.write(`[evidence] ${message}\n`);

const BOUNDARY = 'redress-bench-boundary';

/**
 * A JPEG of noise of about 2 MiB (noise: a phone photo's size, which a smooth picture would not
 * have at this resolution), unique by `seed`.
 * @param {number} seed
 */
async function photo(seed) {
  const width = 1850;
  const height = 1390;
  const raw = Buffer.alloc(width * height * 3);
  let x = 12345 + seed * 7919;
  for (let i = 0; i < raw.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    raw[i] = (x >> 8) & 255;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * The multipart body of a photo upload.
 * @param {Buffer} file
 */
function form(file) {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nphoto\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\n` +
        `Content-Type: image/jpeg\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

/**
 * @param {number[]} values
 */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * One autocannon run of uploads.
 * @param {string} url
 * @param {string} key
 * @param {string[]} cases
 * @param {Buffer} body
 * @param {number} connections
 * @param {number} duration
 * @returns {Promise<import('autocannon').Result>}
 */
function uploads(url, key, cases, body, connections, duration) {
  let next = 0;
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        connections,
        duration,
        pipelining: 1,
        timeout: 60,
        requests: [
          {
            setupRequest: (req) => ({
              ...req,
              method: 'POST',
              path: `/v1/cases/${cases[next++ % cases.length]}/evidence`,
              headers: {
                authorization: `Bearer ${key}`,
                'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
              },
              body,
            }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * Reads a packet to its last byte; its size and milliseconds.
 * @param {string} url
 * @param {string} key
 */
async function timedGet(url, key) {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  let bytes = 0;
  for await (const chunk of /** @type {AsyncIterable<Uint8Array>} */ (
    /** @type {unknown} */ (res.body)
  )) {
    bytes += chunk.length;
  }
  return { bytes, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/**
 * `dd`'s write speed with O_DIRECT (no page cache) into `dir`, in MB/s as dd prints it.
 * @param {string} dir
 */
function diskWrite(dir) {
  const file = path.join(dir, 'dd.bin');
  const run = spawnSync(
    'dd',
    ['if=/dev/zero', `of=${file}`, 'bs=1M', 'count=512', 'oflag=direct'],
    { encoding: 'utf8' },
  );
  fs.rmSync(file, { force: true });
  const line = run.stderr.trim().split('\n').pop() ?? '';
  const match = /,\s*([\d.]+)\s*([kMG]B)\/s/.exec(line);
  const factor = { kB: 0.001, MB: 1, GB: 1000 };
  const mbPerSec = match
    ? Number(match[1]) * factor[/** @type {'kB' | 'MB' | 'GB'} */ (match[2])]
    : null;
  return { mbPerSec, line };
}

async function main() {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  if (!databaseUrl) {
    process.stderr.write('set BENCH_DATABASE_URL (an empty database; the app migrates it)\n');
    process.exit(2);
  }
  const runs = Number(env('BENCH_RUNS', 3));
  const duration = Number(env('BENCH_DURATION', 15));
  const connections = Number(env('BENCH_CONNECTIONS', 8));
  const photos = Number(env('BENCH_PHOTOS', 20));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'redress-bench-evidence-'));
  const app = await startApp({
    databaseUrl,
    opsKey: BENCH_OPS_KEY,
    env: { REDRESS_DATA_DIR: dataDir, REDRESS_REQUEST_TIMEOUT_MS: '120000' },
  });
  try {
    const client = api(app.url);
    const shop = await client.merchant(BENCH_OPS_KEY, 'Evidence bench shop');
    const factory = await client.supplier(BENCH_OPS_KEY, 'Evidence bench factory');
    /** @type {string[]} */
    const cases = [];
    for (let i = 0; i < 8; i++) cases.push(await openShipped(client, shop.key, factory.id));
    const sample = await photo(0);
    const body = form(sample);
    log(`photo ${(sample.length / 1048576).toFixed(2)} MiB; warm-up`);
    await uploads(app.url, shop.key, cases, body, connections, 3);
    /** @type {{ perSec: number, mibPerSec: number, p50: number, p99: number, non2xx: number, errors: number }[]} */
    const uploadRuns = [];
    for (let r = 0; r < runs; r++) {
      const result = await uploads(app.url, shop.key, cases, body, connections, duration);
      const perSec = result.requests.total / result.duration;
      uploadRuns.push({
        perSec,
        mibPerSec: (perSec * body.length) / 1048576,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
      log(`uploads run ${r + 1}: ${perSec.toFixed(1)}/s, p99 ${result.latency.p99} ms`);
    }

    const packetCase = await openShipped(client, shop.key, factory.id);
    for (let i = 0; i < photos; i++) {
      const res = await fetch(`${app.url}/v1/cases/${packetCase}/evidence`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${shop.key}`,
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        },
        body: form(await photo(i + 1)),
      });
      if (res.status !== 201) throw new Error(`upload: ${res.status} ${await res.text()}`);
    }
    /** @type {Record<'pdf' | 'zip', { ms: number[], bytes: number }>} */
    const packet = { pdf: { ms: [], bytes: 0 }, zip: { ms: [], bytes: 0 } };
    for (const format of /** @type {const} */ (['pdf', 'zip'])) {
      const url = `${app.url}/v1/cases/${packetCase}/packet?format=${format}`;
      await timedGet(url, shop.key); // warm-up
      for (let r = 0; r < runs; r++) {
        const { bytes, ms } = await timedGet(url, shop.key);
        packet[format].ms.push(ms);
        packet[format].bytes = bytes;
      }
      log(`packet ${format}: ${packet[format].ms.map((m) => m.toFixed(0)).join(' / ')} ms`);
    }
    const disk = diskWrite(dataDir);
    log(`disk: ${disk.line}`);
    const result = {
      photoBytes: sample.length,
      connections,
      durationSec: duration,
      uploads: uploadRuns,
      uploadsPerSec: median(uploadRuns.map((u) => u.perSec)),
      photos,
      packet,
      disk,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await app.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * A damaged_item case on a shipped order (evidence fits it).
 * @param {ReturnType<typeof api>} client
 * @param {string} key
 * @param {string} supplierId
 * @returns {Promise<string>}
 */
async function openShipped(client, key, supplierId) {
  const day = 86_400_000;
  const res = await client.post('/v1/cases', key, {
    type: 'damaged_item',
    supplierId,
    order: {
      ref: `ORD-EV-${Math.random().toString(36).slice(2, 10)}`,
      placedAt: new Date(Date.now() - 5 * day).toISOString(),
      shippedAt: new Date(Date.now() - 2 * day).toISOString(),
      trackingNumber: 'TRK-1',
      originCountry: 'CN',
      destinationCountry: 'FR',
      items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.99' }],
      total: { amount: '19.99', currency: 'EUR' },
    },
  });
  if (res.status !== 201) throw new Error(`open: ${res.status} ${JSON.stringify(res.body)}`);
  return /** @type {{ id: string }} */ (res.body).id;
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(
      `evidence bench failed: ${error instanceof Error ? error.stack : error}\n`,
    );
    process.exit(1);
  });
}
