#!/usr/bin/env node
/**
 * Read load for bench/growth.bench.js, run as its own process (so that it does not share an event
 * loop with the driver or the app): `node bench/reads-load.js plan.json`.
 *
 * The plan: { url, key, connections, duration, ids, kind } with kind `case` (GET /v1/cases/:id)
 * or `timeline` (GET /v1/cases/:id/timeline). autocannon with `connections` keep-alive
 * connections for `duration` seconds, each request on an id drawn at random from `ids`, with the
 * bearer `key`. Prints one JSON object: requests/s, latency percentiles, non-2xx.
 */
'use strict';
const fs = require('node:fs');
const autocannon = require('autocannon');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const suffix = plan.kind === 'timeline' ? '/timeline' : '';
const headers = { authorization: `Bearer ${plan.key}` };
const statuses = {};

autocannon(
  {
    url: plan.url,
    connections: plan.connections,
    duration: plan.duration,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        setupRequest(req) {
          const id = plan.ids[Math.floor(Math.random() * plan.ids.length)];
          return { ...req, method: 'GET', path: `/v1/cases/${id}${suffix}`, headers };
        },
        onResponse(status) {
          statuses[status] = (statuses[status] || 0) + 1;
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`autocannon: ${error.stack || error}\n`);
      process.exit(1);
    }
    process.stdout.write(
      `${JSON.stringify({
        kind: plan.kind,
        requestsPerSec: Math.round(result.requests.total / result.duration),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
          mean: result.latency.average,
        },
        requests: result.requests.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses,
        durationSec: result.duration,
      })}\n`,
    );
  },
);
