import fc from 'fast-check';
import {
  answeredWithin24h,
  CaseFacts,
  HOUR_MS,
  median,
  merchantMeasures,
  supplierMeasures,
  supplierResponse,
} from './scorecard.pure';

const T0 = Date.parse('2026-11-02T08:00:00.000Z');
const h = (hours: number) => T0 + hours * HOUR_MS;

/** An open case opened at T0 and put to the supplier at once, nothing else on it. */
function facts(overrides: Partial<CaseFacts> = {}): CaseFacts {
  return {
    type: 'damaged_item',
    outcome: null,
    createdAt: T0,
    closedAt: null,
    supplierAskedAt: T0,
    firstFromSupplierAt: null,
    firstRelayedAt: null,
    messages: 0,
    supplierOutcomes: 0,
    relayedOutcomes: 0,
    verificationsConfirmed: 0,
    verificationsRejected: 0,
    settledTimers: [],
    breachedTimers: [],
    ...overrides,
  };
}

describe('scorecard: the median', () => {
  it.each([
    [[], null],
    [[7], 7],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
  ])('of %j is %j', (values, expected) => {
    expect(median(values)).toBe(expected);
  });
});

describe("scorecard: the supplier's response to one case", () => {
  it('is timed from when the case first waited on the supplier', () => {
    const c = facts({ supplierAskedAt: h(30), firstFromSupplierAt: h(32) });
    expect(supplierResponse(c)).toEqual({ timed: 2 * HOUR_MS });
  });

  it('is timed from the opening when the case never waited on the supplier', () => {
    const c = facts({ supplierAskedAt: null, firstFromSupplierAt: h(5) });
    expect(supplierResponse(c)).toEqual({ timed: 5 * HOUR_MS });
  });

  it('is 0 when the supplier spoke before it was asked', () => {
    const c = facts({ supplierAskedAt: h(10), firstFromSupplierAt: h(1) });
    expect(supplierResponse(c)).toEqual({ timed: 0 });
  });

  it('is unknown when the first answer on record was relayed by the merchant', () => {
    expect(supplierResponse(facts({ firstRelayedAt: h(3) }))).toBe('unknown');
    expect(supplierResponse(facts({ firstRelayedAt: h(3), firstFromSupplierAt: h(40) }))).toBe(
      'unknown',
    );
  });

  it("keeps the supplier's own answer when it came first (or at the same instant)", () => {
    expect(supplierResponse(facts({ firstFromSupplierAt: h(2), firstRelayedAt: h(3) }))).toEqual({
      timed: 2 * HOUR_MS,
    });
    expect(supplierResponse(facts({ firstFromSupplierAt: h(2), firstRelayedAt: h(2) }))).toEqual({
      timed: 2 * HOUR_MS,
    });
  });

  it('is none when nothing came from or for the supplier', () => {
    expect(supplierResponse(facts())).toBe('none');
  });
});

describe('scorecard: answered within 24 hours', () => {
  it.each<[string, Partial<CaseFacts>, number, boolean | null]>([
    ['answered at 24 h exactly', { firstFromSupplierAt: h(24) }, h(100), true],
    ['answered 1 ms after 24 h', { firstFromSupplierAt: h(24) + 1 }, h(100), false],
    ['no answer, 24 h gone', {}, h(24), false],
    ['no answer, 24 h not yet gone', {}, h(24) - 1, null],
    ['no answer, closed before 24 h', { closedAt: h(23), outcome: 'ineligible' }, h(100), null],
    ['no answer, closed after 24 h', { closedAt: h(30), outcome: 'refunded' }, h(100), false],
    ['never put to the supplier', { supplierAskedAt: null }, h(100), null],
    ['answered only through the merchant', { firstRelayedAt: h(1) }, h(100), null],
    [
      'asked late, answered 20 h after',
      { supplierAskedAt: h(50), firstFromSupplierAt: h(70) },
      h(100),
      true,
    ],
  ])('%s', (_name, overrides, now, expected) => {
    expect(answeredWithin24h(facts(overrides), now)).toBe(expected);
  });
});

describe('scorecard: a supplier', () => {
  it('computes every figure from the facts of its cases', () => {
    const now = h(200);
    const cases: CaseFacts[] = [
      // Answered by itself in 2 h with 4 messages, confirmed, reshipped.
      facts({
        outcome: 'reshipped',
        closedAt: h(50),
        firstFromSupplierAt: h(2),
        messages: 4,
        supplierOutcomes: 3,
        verificationsConfirmed: 1,
        settledTimers: ['supplier_response', 'resolution_due'],
      }),
      // Answered in 30 h (late), rejected then confirmed on appeal, refunded.
      facts({
        type: 'wrong_item',
        outcome: 'refunded',
        closedAt: h(90),
        firstFromSupplierAt: h(30),
        messages: 2,
        supplierOutcomes: 3,
        verificationsConfirmed: 1,
        verificationsRejected: 1,
        settledTimers: ['supplier_response', 'refund_due'],
        breachedTimers: ['supplier_response', 'refund_due'],
      }),
      // Answered only through the merchant (2 relayed outcomes), closed with no messages.
      facts({
        type: 'out_of_stock',
        outcome: 'supplier_switched',
        closedAt: h(10),
        firstRelayedAt: h(5),
        supplierOutcomes: 2,
        relayedOutcomes: 2,
        settledTimers: ['supplier_response'],
      }),
      // Never answered, still open, its clock long run out.
      facts({
        type: 'late_shipment',
        messages: 7,
        settledTimers: ['supplier_response'],
        breachedTimers: ['supplier_response'],
      }),
    ];
    expect(supplierMeasures(cases, now)).toEqual({
      cases: 4,
      byType: { damaged_item: 1, late_shipment: 1, out_of_stock: 1, wrong_item: 1 },
      firstResponseMedianSeconds: 16 * 3600,
      firstResponse: { medianHours: 16, within24hShare: 1 / 3 },
      supplierResponseBreachRate: 0.5,
      resolutionBreachRate: 0.5,
      verificationConfirmRate: 2 / 3,
      refunds: 2,
      reships: 1,
      lateShipmentRate: 0.25,
      messagesPerClosedCase: 2,
      relayedShare: 0.25,
    });
  });

  it('has no rates without cases', () => {
    expect(supplierMeasures([], T0)).toEqual({
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
    });
  });
});

describe('scorecard: a merchant', () => {
  it('counts by type and outcome, times closing, counts messages and breaches', () => {
    const cases: CaseFacts[] = [
      facts({ outcome: 'refunded', closedAt: h(10), messages: 3, breachedTimers: ['refund_due'] }),
      facts({ outcome: 'refunded', closedAt: h(40), messages: 5 }),
      facts({ type: 'late_shipment', outcome: 'shipped', closedAt: h(4), messages: 1 }),
      facts({
        type: 'late_shipment',
        messages: 9,
        breachedTimers: ['supplier_response', 'refund_due'],
      }),
    ];
    expect(merchantMeasures(cases)).toEqual({
      cases: 4,
      byType: { damaged_item: 2, late_shipment: 2 },
      byOutcome: { refunded: 2, shipped: 1 },
      medianHoursToClose: 10,
      messagesPerClosedCase: 3,
      breachesByKind: { refund_due: 2, supplier_response: 1 },
    });
    expect(merchantMeasures([])).toEqual({
      cases: 0,
      byType: {},
      byOutcome: {},
      medianHoursToClose: null,
      messagesPerClosedCase: null,
      breachesByKind: {},
    });
  });
});

describe('scorecard: properties', () => {
  const kinds = fc.constantFrom('supplier_response', 'resolution_due', 'refund_due', 'ops_due');
  const at = fc.integer({ min: 0, max: 200 * HOUR_MS });
  const caseFacts: fc.Arbitrary<CaseFacts> = fc
    .record({
      type: fc.constantFrom('damaged_item', 'late_shipment', 'out_of_stock'),
      closedAfter: fc.option(at),
      outcome: fc.constantFrom('refunded', 'reshipped', 'shipped', 'force_closed'),
      askedAfter: fc.option(at),
      fromSupplierAfter: fc.option(at),
      relayedAfter: fc.option(at),
      messages: fc.nat(20),
      own: fc.nat(5),
      relayed: fc.nat(5),
      confirmed: fc.nat(2),
      rejected: fc.nat(2),
      settled: fc.array(kinds, { maxLength: 4 }),
      breached: fc.array(kinds, { maxLength: 4 }),
    })
    .map((r) => ({
      type: r.type,
      outcome: r.closedAfter === null ? null : r.outcome,
      createdAt: T0,
      closedAt: r.closedAfter === null ? null : T0 + r.closedAfter,
      supplierAskedAt: r.askedAfter === null ? null : T0 + r.askedAfter,
      firstFromSupplierAt: r.fromSupplierAfter === null ? null : T0 + r.fromSupplierAfter,
      firstRelayedAt: r.relayedAfter === null ? null : T0 + r.relayedAfter,
      messages: r.messages,
      supplierOutcomes: r.own + r.relayed,
      relayedOutcomes: r.relayed,
      verificationsConfirmed: r.confirmed,
      verificationsRejected: r.rejected,
      settledTimers: [...r.settled, ...r.breached],
      breachedTimers: r.breached,
    }));
  const shareOrNull = (x: number | null) => x === null || (x >= 0 && x <= 1);

  it('rates are shares, hours and seconds agree, and the order of cases does not matter', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { maxLength: 30 }), at, (cases, later) => {
        const now = T0 + later;
        const card = supplierMeasures(cases, now);
        for (const rate of [
          card.firstResponse.within24hShare,
          card.supplierResponseBreachRate,
          card.resolutionBreachRate,
          card.verificationConfirmRate,
          card.lateShipmentRate,
          card.relayedShare,
        ]) {
          expect(shareOrNull(rate)).toBe(true);
        }
        const { medianHours } = card.firstResponse;
        expect(medianHours === null).toBe(card.firstResponseMedianSeconds === null);
        if (medianHours !== null) {
          expect(medianHours * 3600).toBeCloseTo(card.firstResponseMedianSeconds as number, 6);
        }
        expect(Object.values(card.byType).reduce((a, b) => a + b, 0)).toBe(cases.length);
        expect(supplierMeasures([...cases].reverse(), now)).toEqual(card);
        expect(merchantMeasures([...cases].reverse())).toEqual(merchantMeasures(cases));
      }),
    );
  });

  it('the median response lies within the timed responses; relayed-first cases are not timed', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { minLength: 1, maxLength: 30 }), (cases) => {
        const timed = cases
          .map(supplierResponse)
          .flatMap((r) => (typeof r === 'object' ? [r.timed] : []));
        const { medianHours } = supplierMeasures(cases, T0).firstResponse;
        if (timed.length === 0) {
          expect(medianHours).toBeNull();
          return;
        }
        expect(medianHours).not.toBeNull();
        // Divided, not multiplied back: division rounds monotonically, a round trip may not.
        expect(medianHours).toBeGreaterThanOrEqual(Math.min(...timed) / HOUR_MS);
        expect(medianHours).toBeLessThanOrEqual(Math.max(...timed) / HOUR_MS);
        for (const c of cases) {
          if (c.firstRelayedAt !== null && c.firstRelayedAt < (c.firstFromSupplierAt ?? Infinity)) {
            expect(supplierResponse(c)).toBe('unknown');
          }
        }
      }),
    );
  });

  it('a merchant scorecard accounts for every closed case and every breach', () => {
    fc.assert(
      fc.property(fc.array(caseFacts, { maxLength: 30 }), (cases) => {
        const card = merchantMeasures(cases);
        const sum = (counts: Record<string, number>) =>
          Object.values(counts).reduce((a, b) => a + b, 0);
        expect(sum(card.byOutcome)).toBe(cases.filter((c) => c.closedAt !== null).length);
        expect(sum(card.breachesByKind)).toBe(cases.flatMap((c) => c.breachedTimers).length);
        expect(card.medianHoursToClose === null || card.medianHoursToClose >= 0).toBe(true);
        expect(card.messagesPerClosedCase === null).toBe(sum(card.byOutcome) === 0);
      }),
    );
  });
});
