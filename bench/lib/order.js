// @ts-check
// The order a bench case is opened with (POST /v1/cases): placed 3 days ago, promised to ship in
// 10, two items shipped from CN to FR; as test/support/fixtures.ts opens them.
'use strict';

const DAY = 86_400_000;

/**
 * @param {string} ref the merchant's order reference
 */
function order(ref) {
  return {
    ref,
    placedAt: new Date(Date.now() - 3 * DAY).toISOString(),
    promisedShipBy: new Date(Date.now() + 10 * DAY).toISOString().slice(0, 10),
    shippedAt: null,
    trackingNumber: null,
    originCountry: 'CN',
    destinationCountry: 'FR',
    items: [{ sku: 'SKU-1', quantity: 2, unitPrice: '19.99' }],
    total: { amount: '39.98', currency: 'EUR' },
  };
}

module.exports = { order };
