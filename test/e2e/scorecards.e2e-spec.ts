import request from 'supertest';
import { Api, OPS_KEY, order } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { sendWebhook } from './webhook-helpers';

const HOUR = 3_600_000;

/**
 * collaboration.md, "Measures": the supplier scorecard's first response, messages and relayed
 * share, and the merchant scorecard, every step through HTTP on the test clock.
 */
describe('scorecards: first response, messages, relayed outcomes; the merchant scorecard', () => {
  let t: TestApp;
  let api: Api;

  beforeAll(async () => {
    t = await startTestApp({ bootstrapOpsKey: OPS_KEY, testClock: true });
    api = new Api(t.server);
  });
  afterAll(() => t.close());

  const clockNow = async () =>
    new Date((await api.get('/v1/test-clock', OPS_KEY).expect(200)).body.now as string);
  const setClock = (at: Date) =>
    api.post('/v1/test-clock', OPS_KEY, { now: at.toISOString() }).expect(200);
  const hook = async (supplier: { id: string; secret: string }, payload: object) => {
    const timestamp = Math.floor((await clockNow()).getTime() / 1000);
    return sendWebhook(t.server, supplier.id, supplier.secret, payload, { timestamp }).expect(200);
  };

  it('scores first responses, messages and relayed outcomes; the merchant sees its own card', async () => {
    const shop = await api.merchant('Scored shop');
    const factory = await api.supplier('Chatty factory');
    const elsewhere = await api.supplier('Second factory');
    const start = await clockNow();
    const at = (hours: number) => new Date(start.getTime() + hours * HOUR);

    // Opened at hour 0: A and B (out of stock: the merchant asks for a refund at once, and the
    // case waits on the supplier from then on), C (late shipment, never answered).
    const a = (await api.open(shop.key, factory.id, 'out_of_stock')).id as string;
    const b = (await api.open(shop.key, factory.id, 'out_of_stock')).id as string;
    for (const id of [a, b]) await api.event(shop.key, id, 'REQUEST_REFUND').expect(200);
    const c = (await api.open(shop.key, factory.id, 'late_shipment')).id as string;
    const proof = (await api.evidence(shop.key, b, 'document').expect(201)).body.id as string;
    // Withdrawn cases count in no metric; another supplier's case counts for the merchant only.
    const gone = (await api.open(shop.key, factory.id, 'oversize')).id as string;
    await api.event(shop.key, gone, 'WITHDRAW').expect(200);
    const elsewhereCase = (await api.open(shop.key, elsewhere.id, 'oversize')).id as string;

    // Hour 1: the merchant records B's acknowledgement for the supplier, with proof.
    await setClock(at(1));
    const onBehalf = { onBehalfOfSupplier: true, proofEvidenceId: proof };
    await api.event(shop.key, b, 'ACKNOWLEDGED', onBehalf).expect(200);

    // Hour 2: the supplier writes on A, the merchant answers, the supplier refunds: A closes
    // with two messages.
    await setClock(at(2));
    await hook(factory, { type: 'message.created', caseId: a, data: { text: 'Refund today.' } });
    await api.post(`/v1/cases/${a}/messages`, shop.key, { text: 'Thank you.' }).expect(201);
    const refund = { amount: '39.98', currency: 'EUR' };
    await hook(factory, { type: 'refund.completed', caseId: a, data: refund });

    // Hour 3: B is refunded by the supplier itself, after the relayed acknowledgement: B's
    // response cannot be timed (the supplier answered somewhere, some time before hour 1).
    await setClock(at(3));
    await hook(factory, { type: 'refund.completed', caseId: b, data: refund });
    // D opens at hour 3 and is acknowledged by the supplier 25 hours later.
    const d = (await api.open(shop.key, factory.id, 'late_shipment')).id as string;

    // Hour 28: C's and D's 24 hours have run out (both breached), then D is acknowledged.
    await setClock(at(28));
    await hook(factory, { type: 'case.acknowledged', caseId: d, data: {} });

    const url = `/v1/suppliers/${factory.id}/scorecard`;
    const card = (await api.get(url, OPS_KEY).expect(200)).body;
    // HTTP steps run on the moving clock: seconds hold to 50 s, hours to 0.005 (18 s).
    expect(card).toEqual({
      supplierId: factory.id,
      from: expect.any(String),
      to: (await clockNow()).toISOString().slice(0, 10),
      cases: 4,
      byType: { late_shipment: 2, out_of_stock: 2 },
      // A's 2 h and D's 25 h; C never answered; B's first answer on record was relayed.
      firstResponseMedianSeconds: expect.closeTo(13.5 * 3600, -2),
      firstResponse: {
        medianHours: expect.closeTo(13.5, 2),
        within24hShare: 1 / 3, // A within; C and D not; B left out
      },
      supplierResponseBreachRate: 0.5, // C and D of A, B, C, D
      resolutionBreachRate: 0, // A's and B's refund_due met
      verificationConfirmRate: null,
      refunds: 2,
      reships: 0,
      lateShipmentRate: 0.5,
      messagesPerClosedCase: 1, // A: 2, B: 0
      // B's relayed ACKNOWLEDGED, of it, A's and B's REFUNDED and D's ACKNOWLEDGED.
      relayedShare: 0.25,
      // money.md: four whole orders claimed; A and B refunded in full on their opening's day.
      money: [
        {
          currency: 'EUR',
          claimed: '159.92',
          refunded: '79.96',
          outstanding: '79.96',
          writtenOff: '0.00',
          medianBusinessDaysToFullRefund: 0,
        },
      ],
    });

    const mine = `/v1/merchants/${shop.id}/scorecard`;
    const merchantCard = (await api.get(mine, shop.key).expect(200)).body;
    expect(merchantCard).toEqual({
      merchantId: shop.id,
      from: card.from,
      to: card.to,
      cases: 5, // the withdrawn case left out
      byType: { late_shipment: 2, out_of_stock: 2, oversize: 1 },
      byOutcome: { refunded: 2 },
      medianHoursToClose: expect.closeTo(2.5, 2), // A at 2 h, B at 3 h
      messagesPerClosedCase: 1,
      // The supplier_response breaches of C, D and the other supplier's case are the suppliers':
      // not held against the merchant (lost-and-disputed.md).
      breachesByKind: {},
      buyerResponse: { within24hShare: null, medianHours: null },
    });
    expect((await api.get(mine, OPS_KEY).expect(200)).body).toEqual(merchantCard);

    // The breaches the cards count are the cases' own: C and the other supplier's case, unanswered.
    for (const id of [c, elsewhereCase]) {
      expect((await api.get(`/v1/cases/${id}`, shop.key).expect(200)).body.breached).toBe(true);
    }
  });

  it('through HTTP: messages, acknowledgements and outcomes relayed by the merchant', async () => {
    const shop = await api.merchant('Relaying shop');
    const factory = await api.supplier('Offline factory');
    const start = await clockNow();
    const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
    const message = (caseId: string, text: string) =>
      api.post(`/v1/cases/${caseId}/messages`, shop.key, { text }).expect(201);

    // X waits on the merchant's evidence for 5 hours before it waits on the supplier.
    const x = (await api.open(shop.key, factory.id, 'damaged_item', order({ shipped: true })))
      .id as string;
    await api.evidence(shop.key, x).expect(201);
    // Y waits on the supplier's refund at once; Z (late shipment) waits on the supplier too.
    const y = (await api.open(shop.key, factory.id, 'out_of_stock')).id as string;
    const proof = (await api.evidence(shop.key, y, 'document').expect(201)).body.id as string;
    await api.event(shop.key, y, 'REQUEST_REFUND').expect(200);
    const z = (await api.open(shop.key, factory.id, 'late_shipment')).id as string;

    // Hour 1: the supplier answered Y in a chat; the merchant records it, with the screenshot.
    await setClock(at(1));
    const onBehalf = { onBehalfOfSupplier: true, proofEvidenceId: proof };
    await api.event(shop.key, y, 'ACKNOWLEDGED', onBehalf).expect(200);
    await message(y, 'Screenshot of the refund promise attached.');
    // Hour 2: the refund, recorded by the merchant too: Y closes.
    await setClock(at(2));
    const refunded = { ...onBehalf, amount: '39.98', currency: 'EUR' };
    expect((await api.event(shop.key, y, 'REFUNDED', refunded).expect(200)).body.outcome).toBe(
      'refunded',
    );
    // Hour 3: Z is acknowledged by the supplier itself.
    await setClock(at(3));
    await hook(factory, { type: 'case.acknowledged', caseId: z, data: {} });
    // Hour 5: X's evidence goes to the supplier, which writes back 2 hours later.
    await setClock(at(5));
    await api.event(shop.key, x, 'SUBMIT_EVIDENCE').expect(200);
    await setClock(at(7));
    await hook(factory, { type: 'message.created', caseId: x, data: { text: 'Checking.' } });
    await message(x, 'Thank you.');
    await hook(factory, { type: 'verification.confirmed', caseId: x, data: {} });

    const card = (await api.get(`/v1/suppliers/${factory.id}/scorecard`, OPS_KEY).expect(200)).body;
    expect(card).toMatchObject({
      cases: 3,
      // X timed from hour 5 (2 h), Z 3 h; Y's first answer on record was the merchant's.
      firstResponse: { medianHours: expect.closeTo(2.5, 2), within24hShare: 1 },
      verificationConfirmRate: 1,
      refunds: 1,
      messagesPerClosedCase: 1, // Y's one message
      // Y's ACKNOWLEDGED and REFUNDED relayed, of those, Z's ACKNOWLEDGED, X's confirmation.
      relayedShare: 0.5,
    });
    // The case view's first answer counts the relayed one (the supplier did answer by then).
    const yView = (await api.get(`/v1/cases/${y}`, shop.key).expect(200)).body;
    expect(yView.firstSupplierResponseAt).toBe(
      (await api.timeline(shop.key, y).expect(200)).body.events.find(
        (e: { type: string }) => e.type === 'ACKNOWLEDGED',
      ).at,
    );

    const merchantCard = (await api.get(`/v1/merchants/${shop.id}/scorecard`, shop.key).expect(200))
      .body;
    expect(merchantCard).toMatchObject({
      cases: 3,
      byType: { damaged_item: 1, late_shipment: 1, out_of_stock: 1 },
      byOutcome: { refunded: 1 },
      medianHoursToClose: expect.closeTo(2, 2),
      messagesPerClosedCase: 1,
      breachesByKind: {},
    });
  });

  it('answers the merchant scorecard to ops and its own merchant only; checks the window', async () => {
    const shop = await api.merchant('Private shop');
    const other = await api.merchant('Nosy shop');
    const factory = await api.supplier('Quiet factory');
    const mine = `/v1/merchants/${shop.id}/scorecard`;

    const empty = (await api.get(`${mine}?from=2020-01-01&to=2020-01-31`, shop.key).expect(200))
      .body;
    expect(empty).toEqual({
      merchantId: shop.id,
      from: '2020-01-01',
      to: '2020-01-31',
      cases: 0,
      byType: {},
      byOutcome: {},
      medianHoursToClose: null,
      messagesPerClosedCase: null,
      breachesByKind: {},
      buyerResponse: { within24hShare: null, medianHours: null },
    });
    const today = (await clockNow()).toISOString().slice(0, 10);
    const byDefault = (await api.get(mine, shop.key).expect(200)).body;
    expect(byDefault.to).toBe(today);
    expect(Date.parse(`${today}T00:00:00Z`) - Date.parse(`${byDefault.from}T00:00:00Z`)).toBe(
      27 * 24 * HOUR,
    );

    // Another merchant's card is 404, as every merchant route answers for another tenant.
    const refused = (await api.get(mine, other.key).expect(404)).body;
    expect(refused.error).toBe('not_found');
    await api.get(`/v1/merchants/${other.id}/scorecard`, other.key).expect(200);
    await api.get(`/v1/merchants/${factory.id}/scorecard`, OPS_KEY).expect(404);
    await api.get(`/v1/merchants/not-a-uuid/scorecard`, OPS_KEY).expect(404);
    await api.get(`${mine}?from=2026-02-30`, OPS_KEY).expect(400);
    await api.get(`${mine}?from=2026-03-02&to=2026-03-01`, OPS_KEY).expect(400);
    await api.get(`${mine}?from=2020-01-01&to=2026-01-01`, OPS_KEY).expect(400);
    await api.get(`${mine}?limit=3`, OPS_KEY).expect(400);
    await request(t.server).get(mine).expect(401);
  });

  it('describes both scorecards in the OpenAPI document', async () => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    const ok = (path: string) => doc.paths[path].get.responses['200'].content['application/json'];
    expect(ok('/v1/suppliers/{id}/scorecard').schema.$ref).toBe(
      '#/components/schemas/SupplierScorecardDto',
    );
    expect(ok('/v1/merchants/{id}/scorecard').schema.$ref).toBe(
      '#/components/schemas/MerchantScorecardDto',
    );
    const { SupplierScorecardDto, MerchantScorecardDto, FirstResponseDto } = doc.components.schemas;
    expect(Object.keys(SupplierScorecardDto.properties)).toEqual(
      expect.arrayContaining(['firstResponse', 'messagesPerClosedCase', 'relayedShare']),
    );
    expect(Object.keys(FirstResponseDto.properties).sort()).toEqual([
      'medianHours',
      'within24hShare',
    ]);
    expect(Object.keys(MerchantScorecardDto.properties).sort()).toEqual([
      'breachesByKind',
      'buyerResponse',
      'byOutcome',
      'byType',
      'cases',
      'from',
      'medianHoursToClose',
      'merchantId',
      'messagesPerClosedCase',
      'to',
    ]);
  });
});
