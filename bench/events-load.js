#!/usr/bin/env node
/**
 * The load generator of bench/events.bench.js, run as its own process (so that it does not share
 * an event loop with the seeding or the app): `node bench/events-load.js plan.json`.
 *
 * autocannon with `connections` keep-alive connections for `duration` seconds. Each request is
 * chosen when it is sent: every `openEvery`-th one (offset by 5) opens a case (POST /v1/cases, a merchant key,
 * when the plan has `openers`), every `transitionEvery`-th one is a real transition while fresh
 * cases last (REFUNDED on an out_of_stock case only after its REQUEST_REFUND was answered 200, so
 * the two never race), the others NOTE on a random NOTE target with the case's merchant key.
 * Prints one JSON object.
 */
'use strict';
const fs = require('node:fs');
const autocannon = require('autocannon');

const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const fresh = plan.fresh.slice();
/** out_of_stock cases whose REQUEST_REFUND was accepted: REFUNDED may follow. */
const ready = [];
const sent = { OPEN: 0, NOTE: 0, REQUEST_REFUND: 0, REFUNDED: 0 };
const accepted = { OPEN: 0, NOTE: 0, REQUEST_REFUND: 0, REFUNDED: 0 };
const openers = plan.openers ?? [];
const statuses = {};
const refusals = {};
let counter = 0;

const NOTE_BODY = JSON.stringify({ type: 'NOTE', payload: { text: 'bench note' } });
const REQUEST_REFUND_BODY = JSON.stringify({ type: 'REQUEST_REFUND' });
const REFUNDED_BODY = JSON.stringify({
  type: 'REFUNDED',
  payload: { amount: '39.98', currency: 'EUR' },
});

function openBody(supplierId) {
  return JSON.stringify({
    type: 'out_of_stock',
    supplierId,
    order: {
      ref: `ORD-LOAD-${counter}`,
      placedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
      promisedShipBy: new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10),
      originCountry: 'CN',
      destinationCountry: 'FR',
      items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '19.99' }],
      total: { amount: '39.98', currency: 'EUR' },
    },
  });
}

function pick() {
  counter += 1;
  // Openings fall between the transitions (every 20th request from the 15th: 15, 35, ...).
  if (openers.length && plan.openEvery && (counter + 5) % plan.openEvery === 0) {
    const o = openers[counter % openers.length];
    return { kind: 'OPEN', key: o.key, path: '/v1/cases', body: openBody(o.supplierId) };
  }
  if (counter % plan.transitionEvery === 0) {
    if (ready.length) return { kind: 'REFUNDED', c: ready.shift(), key: plan.opsKey };
    const c = fresh.shift();
    if (c && c.type === 'out_of_stock') return { kind: 'REQUEST_REFUND', c, key: c.key };
    if (c) return { kind: 'REFUNDED', c, key: plan.opsKey };
  }
  const c = plan.notes[Math.floor(Math.random() * plan.notes.length)];
  return { kind: 'NOTE', c, key: c.key };
}

const BODIES = { NOTE: NOTE_BODY, REQUEST_REFUND: REQUEST_REFUND_BODY, REFUNDED: REFUNDED_BODY };

autocannon(
  {
    url: plan.url,
    connections: plan.connections,
    duration: plan.duration,
    pipelining: 1,
    timeout: 10,
    requests: [
      {
        setupRequest(req, context) {
          const next = pick();
          context.next = next;
          sent[next.kind] += 1;
          return {
            ...req,
            method: 'POST',
            path: next.path ?? `/v1/cases/${next.c.id}/events`,
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${next.key}`,
            },
            body: next.body ?? BODIES[next.kind],
          };
        },
        onResponse(status, body, context) {
          const next = context.next;
          statuses[status] = (statuses[status] || 0) + 1;
          if (status === 200 || (next.kind === 'OPEN' && status === 201)) {
            accepted[next.kind] += 1;
            if (next.kind === 'REQUEST_REFUND') ready.push(next.c);
          } else {
            const code = (() => {
              try {
                return JSON.parse(body).error?.code ?? JSON.parse(body).code ?? '?';
              } catch {
                return '?';
              }
            })();
            const k = `${next.kind} ${status} ${code}`;
            refusals[k] = (refusals[k] || 0) + 1;
          }
        },
      },
    ],
  },
  (error, result) => {
    if (error) {
      process.stderr.write(`autocannon: ${error.stack || error}\n`);
      process.exit(1);
    }
    const total = result.requests.total;
    const seconds = result.duration;
    process.stdout.write(
      `${JSON.stringify({
        eventsPerSec: Math.round(total / seconds),
        acceptedPerSec: Math.round(
          (accepted.OPEN + accepted.NOTE + accepted.REQUEST_REFUND + accepted.REFUNDED) / seconds,
        ),
        latencyMs: {
          p50: result.latency.p50,
          p90: result.latency.p90,
          p99: result.latency.p99,
          max: result.latency.max,
          mean: result.latency.average,
        },
        requests: total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statuses,
        refusals,
        sent,
        accepted,
        transitions: accepted.REQUEST_REFUND + accepted.REFUNDED,
        durationSec: seconds,
      })}\n`,
    );
  },
);
