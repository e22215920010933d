import { breached, CaseDriver, cancelled, notified, scheduled } from '../testing/case-driver';
import { sampleOrder, SHIPPED } from '../workflow.examples';
import { openCase } from '../workflow.engine';

describe('lost_parcel (version 2 on)', () => {
  const open = () => CaseDriver.open('lost_parcel');

  it('opens in awaiting_carrier, waiting on the supplier: its clock, carrier_due (7 days)', () => {
    const c = open();

    expect(c.step).toMatchObject({
      state: 'awaiting_carrier',
      phase: 'post_shipment',
      waitingOn: 'supplier',
    });
    expect(c.effects).toEqual([
      { type: 'notify', party: 'supplier', notification: 'supplier.case_opened' },
      {
        type: 'schedule_timer',
        kind: 'supplier_response',
        due: { rule: 'hours_after', hours: 24 },
      },
      {
        type: 'schedule_timer',
        kind: 'carrier_due',
        due: { rule: 'calendar_days_after', days: 7 },
      },
    ]);
  });

  it('does not exist in version 1', () => {
    const input = { type: 'lost_parcel' as const, order: sampleOrder(SHIPPED), openedAt: '' };
    expect(() => openCase(input, 1)).toThrow('Unknown lost_parcel version: 1');
  });

  it.each([
    ['FOUND', 'supplier', 'found'],
    ['FOUND', 'merchant', 'found'],
    ['DELIVERED', 'supplier', 'delivered'],
    ['DELIVERED', 'system', 'delivered'],
  ] as const)('%s from the %s closes it as %s', (type, actor, outcome) => {
    const c = open().must(type, { actor, payload: {} });

    expect(c.step).toMatchObject({ state: 'closed', outcome });
    expect(cancelled(c.effects).sort()).toEqual(['carrier_due', 'supplier_response']);
  });

  it.each(['supplier', 'merchant', 'ops'] as const)(
    'DECLARED_LOST from the %s goes to resolution_pending: 15 business days',
    (actor) => {
      const c = open().must('DECLARED_LOST', { actor, payload: {} });

      expect(c.state).toBe('resolution_pending');
      expect(cancelled(c.effects)).toContain('carrier_due');
      expect(scheduled(c.effects)).toContain('resolution_due');
      expect(notified(c.effects)).toEqual(['supplier.resolution_requested']);
    },
  );

  it('carrier_due firing is no breach: the case moves to resolution_pending', () => {
    const c = open().mustFire('carrier_due');

    expect(c.state).toBe('resolution_pending');
    expect(breached(c.effects)).toEqual([]);
    expect(c.context.timers).toContain('resolution_due');
  });

  it('resolution_pending closes on RESHIPPED or REFUNDED; resolution_due escalates, breached', () => {
    expect(open().must('DECLARED_LOST', { payload: {} }).must('RESHIPPED').step.outcome).toBe(
      'reshipped',
    );
    expect(open().must('DECLARED_LOST', { payload: {} }).must('REFUNDED').step.outcome).toBe(
      'refunded',
    );
    const late = open().must('DECLARED_LOST', { payload: {} }).mustFire('resolution_due');
    expect(late.state).toBe('escalated');
    expect(breached(late.effects)).toEqual(['resolution_due']);
    // A late reship still closes the escalated case.
    expect(late.must('RESHIPPED').step.outcome).toBe('reshipped');
  });

  it('is the carrier’s when the order shipped by promisedShipBy, else the supplier’s', () => {
    const onTime = sampleOrder({ ...SHIPPED, promisedShipBy: '2025-02-28' });
    const late = sampleOrder({ ...SHIPPED, promisedShipBy: '2025-02-25' });
    const at = '2025-03-03T09:00:00.000Z';
    const liability = (order: typeof onTime, shippedOnTime?: boolean) =>
      new CaseDriver('lost_parcel', { type: 'lost_parcel', order, openedAt: at, shippedOnTime })
        .context.liability;

    expect(liability(onTime)).toBe('carrier');
    expect(liability(late)).toBe('supplier');
    // The case service's answer (supplier's timezone) wins over the UTC date comparison.
    expect(liability(onTime, false)).toBe('supplier');
    expect(liability(sampleOrder({ ...SHIPPED, promisedShipBy: null }))).toBe('carrier');
  });
});
