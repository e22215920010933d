import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { sendWebhook } from './webhook-helpers';

const DAY = 86_400_000;
const WEEK = 7 * DAY;

function lastMondayUtc(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return new Date(midnight - ((new Date(midnight).getUTCDay() + 6) % 7) * DAY);
}

describe('measures: supplier scorecard and merchant service rating', () => {
  let t: TestApp;
  let api: Api;
  let shop: { id: string; key: string };
  let other: { id: string; key: string };

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
    shop = await api.merchant('Rated shop');
    other = await api.merchant('Other shop');
  });
  afterAll(() => t.close());

  const clockNow = async () =>
    new Date((await api.get('/v1/test-clock', OPS_KEY).expect(200)).body.now as string);
  const hook = async (supplier: { id: string; secret: string }, payload: object) => {
    const timestamp = Math.floor((await clockNow()).getTime() / 1000);
    return sendWebhook(t.server, supplier.id, supplier.secret, payload, { timestamp }).expect(200);
  };

  it('scores a supplier per workflows.md "Measures"', async () => {
    const factory = await api.supplier('Scored factory');
    const shipped = order({ shipped: true });

    const damaged = await api.open(shop.key, factory.id, 'damaged_item', shipped);
    await api.evidence(shop.key, damaged.id).expect(201);
    await api.event(shop.key, damaged.id, 'SUBMIT_EVIDENCE').expect(200);
    await hook(factory, { type: 'verification.confirmed', caseId: damaged.id, data: {} });
    await hook(factory, {
      type: 'reshipment.created',
      caseId: damaged.id,
      data: { trackingNumber: 'TRK-2' },
    });

    const wrong = await api.open(shop.key, factory.id, 'wrong_item', shipped);
    await api.evidence(shop.key, wrong.id).expect(201);
    await api.event(shop.key, wrong.id, 'SUBMIT_EVIDENCE').expect(200);
    await hook(factory, {
      type: 'verification.rejected',
      caseId: wrong.id,
      data: { reason: 'no defect' },
    });
    await api.event(shop.key, wrong.id, 'ACCEPT_REJECTION').expect(200);

    const stock = await api.open(shop.key, factory.id, 'out_of_stock');
    await api.event(shop.key, stock.id, 'REQUEST_REFUND').expect(200);
    await hook(factory, {
      type: 'refund.completed',
      caseId: stock.id,
      data: { amount: '39.98', currency: 'EUR' },
    });

    const late = await api.open(shop.key, factory.id, 'late_shipment');
    const withdrawn = await api.open(shop.key, factory.id, 'oversize');
    await api.event(shop.key, withdrawn.id, 'WITHDRAW').expect(200);

    const url = `/v1/suppliers/${factory.id}/scorecard`;
    const card = (await api.get(url, OPS_KEY).expect(200)).body;
    const today = (await clockNow()).toISOString().slice(0, 10);
    expect(card).toMatchObject({
      supplierId: factory.id,
      to: today,
      cases: 4,
      byType: { damaged_item: 1, wrong_item: 1, out_of_stock: 1, late_shipment: 1 },
      supplierResponseBreachRate: 0, // 3 cleared by the supplier; the 4th still running
      resolutionBreachRate: 0, // resolution_due and refund_due met
      verificationConfirmRate: 0.5,
      refunds: 1,
      reships: 1,
      lateShipmentRate: 0.25,
      messagesPerClosedCase: 0, // three closed, no messages
      relayedShare: 0, // every outcome came from the supplier itself
      firstResponse: { within24hShare: 1 }, // three answered at once; the 4th still inside its 24 h
      // money.md: four claims of the whole order; the refund came the day the case opened.
      money: [
        {
          currency: 'EUR',
          claimed: '159.92',
          refunded: '39.98',
          outstanding: '39.98',
          writtenOff: '0.00',
          medianBusinessDaysToFullRefund: 0,
        },
      ],
    });
    expect(card.firstResponse.medianHours).toBeCloseTo(card.firstResponseMedianSeconds / 3600, 9);
    expect(Date.parse(`${card.to}T00:00:00Z`) - Date.parse(`${card.from}T00:00:00Z`)).toBe(
      27 * DAY,
    );
    expect(card.firstResponseMedianSeconds).toEqual(expect.any(Number));
    expect(card.firstResponseMedianSeconds).toBeGreaterThanOrEqual(0);

    // 25 hours later the late_shipment case's supplier_response deadline has been missed.
    const later = new Date((await clockNow()).getTime() + 25 * 3600_000);
    await api.post('/v1/test-clock', OPS_KEY, { now: later.toISOString() }).expect(200);
    expect((await api.get(`/v1/cases/${late.id}`, OPS_KEY).expect(200)).body.breached).toBe(true);
    const after = (await api.get(`${url}?from=${card.from}&to=${card.to}`, OPS_KEY).expect(200))
      .body;
    expect(after.supplierResponseBreachRate).toBe(0.25);
    expect(after.firstResponse.within24hShare).toBe(0.75);

    // A window without cases: rates have no denominator.
    const empty = (await api.get(`${url}?from=2020-01-01&to=2020-01-31`, OPS_KEY).expect(200)).body;
    expect(empty).toEqual({
      supplierId: factory.id,
      from: '2020-01-01',
      to: '2020-01-31',
      cases: 0,
      byType: {},
      firstResponseMedianSeconds: null,
      firstResponse: { medianHours: null, within24hShare: null },
      supplierResponseBreachRate: null,
      resolutionBreachRate: null,
      verificationConfirmRate: null,
      refunds: 0,
      reships: 0,
      lateShipmentRate: null,
      messagesPerClosedCase: null,
      relayedShare: null,
      money: [],
    });

    await api.get(url, shop.key).expect(403);
    await api.get(`${url}?from=2026-02-30`, OPS_KEY).expect(400);
    await api.get(`${url}?from=2026-03-02&to=2026-03-01`, OPS_KEY).expect(400);
    await api.get(`/v1/suppliers/${shop.id}/scorecard`, OPS_KEY).expect(404);
  });

  it('rates a merchant weekly from 40 answered cases, last answer per case', async () => {
    const factory = await api.supplier('Rating factory');
    const now = await clockNow();
    const ratingUrl = (merchantId: string, at: Date) =>
      `/v1/merchants/${merchantId}/service-rating?at=${encodeURIComponent(at.toISOString())}`;
    const feedback = (caseId: string, resolved: boolean) =>
      api.post(`/v1/cases/${caseId}/feedback`, shop.key, { resolved }).expect(201);

    // Only cases the merchant is liable for count (lost-and-disputed.md): an address error from
    // its own data; an oversize item is the supplier's, and its answers are left out.
    const merchants = () =>
      api.open(shop.key, factory.id, 'address_error', undefined, { source: 'merchant' });
    const ids: string[] = [];
    for (let i = 0; i < 39; i++) ids.push((await merchants()).id);
    await feedback((await api.open(shop.key, factory.id, 'oversize')).id, false);
    for (let i = 0; i < 39; i++) await feedback(ids[i], i < 30);
    // Answered twice: only the last answer counts.
    await feedback(ids[0], false);
    await feedback(ids[35], true);

    const monday = lastMondayUtc(now);
    const nextWeek = new Date(monday.getTime() + WEEK + 3600_000);
    const short = (await api.get(ratingUrl(shop.id, nextWeek), shop.key).expect(200)).body;
    expect(short).toMatchObject({ rating: null, band: null, answeredCases: 39 });

    const fortieth = (await merchants()).id;
    await feedback(fortieth, true);
    const rated = (await api.get(ratingUrl(shop.id, nextWeek), shop.key).expect(200)).body;
    // 30 true, case 0 turned false, case 35 turned true, the 40th true: 31 of 40.
    expect(rated).toEqual({
      merchantId: shop.id,
      rating: 7.75,
      band: 'yellow',
      answeredCases: 40,
      windowStart: new Date(monday.getTime() + WEEK - 28 * DAY).toISOString(),
      windowEnd: new Date(monday.getTime() + WEEK).toISOString(),
      computedAt: new Date(monday.getTime() + WEEK).toISOString(),
    });

    // This week's computation predates the answers: none had enough, no rating.
    const before = (await api.get(ratingUrl(shop.id, now), OPS_KEY).expect(200)).body;
    expect(before).toMatchObject({ rating: null, band: null, answeredCases: 0 });
    expect(before.computedAt).toBe(monday.toISOString());

    // Five weeks on, the answers left the window: the latest computation with enough stands.
    const fiveWeeks = new Date(monday.getTime() + 5 * WEEK + 3600_000);
    const fallback = (await api.get(ratingUrl(shop.id, fiveWeeks), OPS_KEY).expect(200)).body;
    expect(fallback).toMatchObject({ rating: 7.75, band: 'yellow', answeredCases: 40 });
    expect(fallback.computedAt).toBe(new Date(monday.getTime() + 4 * WEEK).toISOString());

    // A merchant key reads its own rating only; another's is 404, as for cases.
    await api.get(ratingUrl(shop.id, nextWeek), other.key).expect(404);
    await api.get(ratingUrl(other.id, nextWeek), other.key).expect(200);
    await api.get(`/v1/merchants/${factory.id}/service-rating`, OPS_KEY).expect(404);
    await api.get(`/v1/merchants/${shop.id}/service-rating?at=soon`, OPS_KEY).expect(400);
    await request(t.server).get(`/v1/merchants/${shop.id}/service-rating`).expect(401);
  });
});
