#!/usr/bin/env node
// @ts-check
/**
 * The load generator of bench/events.bench.js, run as its own process (so that it does not share
 * an event loop with the seeding or the app): `node bench/events-load.js plan.json`.
 *
 * autocannon with `connections` keep-alive connections for `duration` seconds. Each request is
 * chosen when it is sent: every `openEvery`-th one (offset by 5) opens a case (POST /v1/cases, a merchant key,
 * when the plan has `openers`), every `transitionEvery`-th one is a real transition while fresh
 * cases last (REFUNDED on an out_of_stock case only after its REQUEST_REFUND was answered 200, so
 * the two never race), the others NOTE on a random NOTE target with the case's merchant key, one in
 * four of them a MESSAGE instead (POST /v1/cases/:id/messages: a MESSAGE entry and a notification
 * to the supplier, collaboration.md).
 * Prints one JSON object.
 */
'use strict';
const { figures, readPlan, runLoad } = require('./lib/load');
const { order } = require('./lib/order');
const { parseJson } = require('./lib/untyped');

/**
 * @typedef {{ id: string, key: string, type: string }} Target a case and the key that may write it
 * @typedef {'OPEN' | 'NOTE' | 'MESSAGE' | 'REQUEST_REFUND' | 'REFUNDED'} Kind
 * @typedef {{ kind: Kind, key: string, c?: Target, path?: string, body?: string }} Next
 * @typedef {object} Plan
 * @property {string} url
 * @property {string} opsKey
 * @property {number} connections
 * @property {number} duration
 * @property {number} transitionEvery
 * @property {number} [openEvery]
 * @property {{ key: string, supplierId: string }[]} [openers]
 * @property {Target[]} notes
 * @property {Target[]} fresh
 */

const plan = /** @type {Plan} */ (readPlan());
const fresh = plan.fresh.slice();
/** @type {Target[]} out_of_stock cases whose REQUEST_REFUND was accepted: REFUNDED may follow. */
const ready = [];
const sent = { OPEN: 0, NOTE: 0, MESSAGE: 0, REQUEST_REFUND: 0, REFUNDED: 0 };
const accepted = { OPEN: 0, NOTE: 0, MESSAGE: 0, REQUEST_REFUND: 0, REFUNDED: 0 };
/** One in this many of the NOTE-target requests is a MESSAGE. */
const MESSAGE_EVERY = 4;
const openers = plan.openers ?? [];
/** @type {Record<number, number>} */
const statuses = {};
/** @type {Record<string, number>} */
const refusals = {};
let counter = 0;

const BODIES = {
  NOTE: JSON.stringify({ type: 'NOTE', payload: { text: 'bench note' } }),
  MESSAGE: JSON.stringify({ text: 'bench message' }),
  REQUEST_REFUND: JSON.stringify({ type: 'REQUEST_REFUND' }),
  REFUNDED: JSON.stringify({ type: 'REFUNDED', payload: { amount: '39.98', currency: 'EUR' } }),
};

/** This load's own orders: one open case per order and type (intake.md), across runs too. */
const RUN = Math.random().toString(36).slice(2, 8);

/** @param {string} supplierId */
function openBody(supplierId) {
  return JSON.stringify({
    type: 'out_of_stock',
    supplierId,
    order: order(`ORD-LOAD-${RUN}-${counter}`),
  });
}

/** @returns {Next} */
function pick() {
  counter += 1;
  // Openings fall between the transitions (every 20th request from the 15th: 15, 35, ...).
  if (openers.length && plan.openEvery && (counter + 5) % plan.openEvery === 0) {
    const o = openers[counter % openers.length];
    return { kind: 'OPEN', key: o.key, path: '/v1/cases', body: openBody(o.supplierId) };
  }
  if (counter % plan.transitionEvery === 0) {
    const r = ready.shift();
    if (r) return { kind: 'REFUNDED', c: r, key: plan.opsKey };
    const c = fresh.shift();
    if (c && c.type === 'out_of_stock') return { kind: 'REQUEST_REFUND', c, key: c.key };
    if (c) return { kind: 'REFUNDED', c, key: plan.opsKey };
  }
  const c = plan.notes[Math.floor(Math.random() * plan.notes.length)];
  if (counter % MESSAGE_EVERY === 1)
    return { kind: 'MESSAGE', c, key: c.key, path: `/v1/cases/${c.id}/messages` };
  return { kind: 'NOTE', c, key: c.key };
}

/**
 * The refusal's error code from a JSON answer, or '?'.
 * @param {string} body
 * @returns {string}
 */
function errorCode(body) {
  try {
    const parsed = /** @type {{ error?: { code?: string }, code?: string }} */ (parseJson(body));
    return parsed.error?.code ?? parsed.code ?? '?';
  } catch {
    return '?';
  }
}

runLoad(
  plan,
  /** @type {import('autocannon').RequestSpec<{ next: Next }>} */ ({
    setupRequest(req, context) {
      const next = pick();
      context.next = next;
      sent[next.kind] += 1;
      return {
        ...req,
        method: 'POST',
        path: next.path ?? `/v1/cases/${next.c?.id}/events`,
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${next.key}`,
        },
        body: next.body ?? BODIES[/** @type {Exclude<Kind, 'OPEN'>} */ (next.kind)],
      };
    },
    onResponse(status, body, context) {
      const next = context.next;
      statuses[status] = (statuses[status] || 0) + 1;
      if (status === 200 || ((next.kind === 'OPEN' || next.kind === 'MESSAGE') && status === 201)) {
        accepted[next.kind] += 1;
        if (next.kind === 'REQUEST_REFUND' && next.c) ready.push(next.c);
      } else {
        const k = `${next.kind} ${status} ${errorCode(body)}`;
        refusals[k] = (refusals[k] || 0) + 1;
      }
    },
  }),
  (result) => {
    const seconds = result.duration;
    return {
      eventsPerSec: Math.round(result.requests.total / seconds),
      acceptedPerSec: Math.round(
        (accepted.OPEN +
          accepted.NOTE +
          accepted.MESSAGE +
          accepted.REQUEST_REFUND +
          accepted.REFUNDED) /
          seconds,
      ),
      ...figures(result),
      statuses,
      refusals,
      sent,
      accepted,
      transitions: accepted.REQUEST_REFUND + accepted.REFUNDED,
      durationSec: seconds,
    };
  },
);
