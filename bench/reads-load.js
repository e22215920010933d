#!/usr/bin/env node
// @ts-check
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
const { figures, readPlan, runLoad } = require('./lib/load');

const plan =
  /** @type {{ url: string, key: string, connections: number, duration: number, ids: string[], kind: 'case' | 'timeline' }} */ (
    readPlan()
  );
const suffix = plan.kind === 'timeline' ? '/timeline' : '';
const headers = { authorization: `Bearer ${plan.key}` };
/** @type {Record<number, number>} */
const statuses = {};

runLoad(
  plan,
  {
    setupRequest(req) {
      const id = plan.ids[Math.floor(Math.random() * plan.ids.length)];
      return { ...req, method: 'GET', path: `/v1/cases/${id}${suffix}`, headers };
    },
    onResponse(status) {
      statuses[status] = (statuses[status] || 0) + 1;
    },
  },
  (result) => ({
    kind: plan.kind,
    requestsPerSec: Math.round(result.requests.total / result.duration),
    ...figures(result),
    statuses,
    durationSec: result.duration,
  }),
);
