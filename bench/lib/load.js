// @ts-check
// What the load generators (bench/events-load.js, bench/reads-load.js) share: the plan file they
// read, one autocannon run with keep-alive connections, and the figures every load reports.
'use strict';
const fs = require('node:fs');
const autocannon = require('autocannon');
const { parseJson } = require('./untyped');

/** The plan a load generator is given as its only argument (a JSON file its caller wrote). */
function readPlan() {
  return parseJson(fs.readFileSync(process.argv[2], 'utf8'));
}

/**
 * The figures of any load, in the order the JSON shows them.
 * @param {import('autocannon').Result} result
 * @returns {import('./results').LoadCounts}
 */
function figures(result) {
  return {
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
  };
}

/**
 * Runs autocannon for the plan's `duration` seconds on `connections` connections with `request`,
 * then prints `summarize(result)` as one JSON line (exits 1 if autocannon fails).
 * @template Context
 * @param {{ url: string, connections: number, duration: number }} plan
 * @param {import('autocannon').RequestSpec<Context>} request
 * @param {(result: import('autocannon').Result) => object} summarize
 */
function runLoad(plan, request, summarize) {
  autocannon(
    {
      url: plan.url,
      connections: plan.connections,
      duration: plan.duration,
      pipelining: 1,
      timeout: 10,
      requests: [request],
    },
    (error, result) => {
      if (error) {
        process.stderr.write(`autocannon: ${error.stack || error}\n`);
        process.exit(1);
      }
      process.stdout.write(`${JSON.stringify(summarize(result))}\n`);
    },
  );
}

module.exports = { figures, readPlan, runLoad };
