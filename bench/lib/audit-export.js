// @ts-check
// The audit export as bench/growth.bench.js measures it: the whole of GET /v1/audit/events streamed
// and counted as it arrives (never buffered), with the app's resident memory sampled meanwhile.
'use strict';
const fs = require('node:fs');
const http = require('node:http');

/**
 * @typedef {import('./results').ExportRun} ExportRun
 * @typedef {{ url: string, pid?: number }} App
 */

/**
 * The app's resident set (VmRSS), MiB; null once the process is gone.
 * @param {number | undefined} pid
 */
function rssMiB(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round((kb / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}

/**
 * Streams the whole audit export, counting lines; samples the app's RSS every 100 ms.
 * @param {App} app
 * @param {string} opsKey
 * @returns {Promise<ExportRun>}
 */
function exportAll(app, opsKey) {
  return new Promise((resolve, reject) => {
    const rssBefore = rssMiB(app.pid);
    let peak = rssBefore ?? 0;
    const sampler = setInterval(() => {
      const v = rssMiB(app.pid);
      if (v !== null && v > peak) peak = v;
    }, 100);
    const started = process.hrtime.bigint();
    let lines = 0;
    let bytes = 0;
    /** @type {number | null} */
    let firstByteSec = null;
    /** @param {Error} error */
    const fail = (error) => {
      clearInterval(sampler);
      reject(error);
    };
    const req = http.get(
      `${app.url}/v1/audit/events`,
      { headers: { authorization: `Bearer ${opsKey}` }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          fail(new Error(`GET /v1/audit/events: ${res.statusCode}`));
          return;
        }
        res.on('data', (/** @type {Buffer} */ chunk) => {
          if (firstByteSec === null) {
            firstByteSec = Number(process.hrtime.bigint() - started) / 1e9;
          }
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        });
        res.on('error', fail);
        res.on('end', () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          clearInterval(sampler);
          const after = rssMiB(app.pid);
          if (after !== null && after > peak) peak = after;
          resolve({
            entries: lines,
            bytes,
            seconds: Math.round(seconds * 100) / 100,
            firstByteSec: Math.round((firstByteSec ?? seconds) * 1000) / 1000,
            entriesPerSec: Math.round(lines / seconds),
            mibPerSec: Math.round((bytes / 2 ** 20 / seconds) * 10) / 10,
            rssBeforeMiB: rssBefore,
            rssPeakMiB: peak,
            rssAfterMiB: after,
          });
        });
      },
    );
    req.on('error', fail);
  });
}

module.exports = { exportAll, rssMiB };
