#!/usr/bin/env node
// @ts-check
// The load of bench/tracking.bench.js: AfterShip tracking webhooks, each a fresh event (its own
// event_id, a later checkpoint) for a random seeded parcel, signed as AfterShip signs them
// (base64 HMAC-SHA256 of the raw body). Each one is a look-up and a recorded update; no case.
'use strict';
const { createHmac, randomUUID } = require('node:crypto');
const { figures, readPlan, runLoad } = require('./lib/load');

/** @type {{ url: string, connections: number, duration: number, merchantId: string, secret: string, parcels: number }} */
const plan = /** @type {any} */ (readPlan());
let tick = Date.parse('2026-11-04T00:00:00Z');

/** @returns {{ body: string, headers: Record<string, string> }} */
function nextDelivery() {
  tick += 1000;
  const trackingNumber = `BENCH-TRK-${Math.floor(Math.random() * plan.parcels)}`;
  const at = new Date(tick).toISOString();
  const body = JSON.stringify({
    ts: Math.floor(tick / 1000),
    event: 'tracking_update',
    event_id: randomUUID(),
    is_tracking_first_tag: false,
    msg: {
      id: randomUUID(),
      tracking_number: trackingNumber,
      slug: 'china-post',
      tag: 'InTransit',
      subtag: 'InTransit_001',
      subtag_message: 'In Transit',
      updated_at: at,
      checkpoints: [
        {
          slug: 'china-post',
          checkpoint_time: at,
          message: 'Departed from facility',
          tag: 'InTransit',
          subtag: 'InTransit_001',
          subtag_message: 'In Transit',
          location: 'Shenzhen, CN',
        },
      ],
    },
  });
  const signature = createHmac('sha256', plan.secret).update(body).digest('base64');
  return {
    body,
    headers: { 'content-type': 'application/json', 'aftership-hmac-sha256': signature },
  };
}

runLoad(
  plan,
  /** @type {import('autocannon').RequestSpec<unknown>} */ ({
    setupRequest: (req) => ({
      ...req,
      method: 'POST',
      path: `/v1/integrations/aftership/${plan.merchantId}`,
      ...nextDelivery(),
    }),
  }),
  (result) => ({ ...figures(result), perSecond: result.requests.average }),
);
