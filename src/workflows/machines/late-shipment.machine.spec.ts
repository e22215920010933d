import { breached, CaseDriver, cancelled, notified } from '../testing/case-driver';

describe('late_shipment', () => {
  const open = () =>
    CaseDriver.open('late_shipment', { version: 1, order: { promisedShipBy: '2025-03-10' } });

  it('opens in awaiting_shipment with late_2d and late_4d counted from promisedShipBy', () => {
    const c = open();

    expect(c.state).toBe('awaiting_shipment');
    expect(c.effects).toEqual([
      {
        type: 'schedule_timer',
        kind: 'supplier_response',
        due: { rule: 'hours_after', hours: 24 },
      },
      { type: 'notify', party: 'supplier', notification: 'supplier.case_opened' },
      {
        type: 'schedule_timer',
        kind: 'late_2d',
        due: { rule: 'end_of_day_after_date', date: '2025-03-10', days: 2, calendar: 'supplier' },
      },
      {
        type: 'schedule_timer',
        kind: 'late_4d',
        due: { rule: 'end_of_day_after_date', date: '2025-03-10', days: 4, calendar: 'supplier' },
      },
    ]);
  });

  it('late_2d -> supplier_nudged, nudging the supplier; late_4d keeps running', () => {
    const c = open();

    c.mustFire('late_2d');

    expect(c.state).toBe('supplier_nudged');
    expect(c.effects).toEqual([
      { type: 'notify', party: 'supplier', notification: 'supplier.nudge' },
    ]);
    expect(c.context.timers).toEqual(['supplier_response', 'late_4d']);
  });

  it('late_4d in supplier_nudged -> awaiting_decision; the merchant is asked to decide', () => {
    const c = open().mustFire('late_2d');

    c.mustFire('late_4d');

    expect(c.state).toBe('awaiting_decision');
    expect(c.effects).toEqual([
      { type: 'notify', party: 'merchant', notification: 'merchant.decision_required' },
    ]);
    expect(c.context.timers).toEqual(['supplier_response']);
  });

  it('opened 5 days late: the due timers fired in order end in awaiting_decision, nudge included', () => {
    const c = open();

    c.mustFire('late_2d').mustFire('late_4d');

    expect(c.state).toBe('awaiting_decision');
    expect(c.history.flatMap(notified)).toEqual([
      'supplier.case_opened',
      'supplier.nudge',
      'merchant.decision_required',
    ]);
  });

  it('late_4d straight from awaiting_shipment also decides, cancelling late_2d', () => {
    const c = open();

    c.mustFire('late_4d');

    expect(c.state).toBe('awaiting_decision');
    expect(cancelled(c.effects)).toEqual(['late_2d']);
  });

  it('late_2d is refused once it fired', () => {
    const c = open().mustFire('late_2d');

    expect(c.fire('late_2d')).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it.each([
    ['awaiting_shipment', [] as const, ['supplier_response', 'late_2d', 'late_4d']],
    ['supplier_nudged', ['late_2d'] as const, ['supplier_response', 'late_4d']],
    ['awaiting_decision', ['late_2d', 'late_4d'] as const, ['supplier_response']],
  ])('SHIPPED in %s closes as shipped, cancelling %#', (state, fired, cancels) => {
    const c = open();
    for (const kind of fired) c.mustFire(kind);
    expect(c.state).toBe(state);

    const result = c.send('SHIPPED', { payload: { trackingNumber: 'TRK-9' } });

    expect(result).toMatchObject({ ok: true, state: 'closed', outcome: 'shipped' });
    expect(cancelled(c.effects)).toEqual(cancels);
  });

  it('ESCALATE from awaiting_shipment cancels both late timers; SHIPPED still closes the escalated case', () => {
    const c = open();

    c.must('ESCALATE', { actor: 'ops' });

    expect(cancelled(c.effects)).toEqual(['late_2d', 'late_4d']);
    expect(c.context.escalationClosers).toEqual(['SHIPPED']);
    expect(c.send('SHIPPED')).toMatchObject({ ok: true, outcome: 'shipped' });
  });

  it('ESCALATE from supplier_nudged cancels late_4d', () => {
    const c = open().mustFire('late_2d');

    c.must('ESCALATE', { actor: 'system' });

    expect(cancelled(c.effects)).toEqual(['late_4d']);
  });

  it('awaiting_decision: REQUEST_REFUND -> refund_pending; SWITCH_SUPPLIER closes as supplier_switched', () => {
    const refund = open().mustFire('late_2d').mustFire('late_4d').must('REQUEST_REFUND');
    expect(refund.state).toBe('refund_pending');
    expect(refund.send('SHIPPED')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(refund.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });

    const switched = open().mustFire('late_2d').mustFire('late_4d').must('SWITCH_SUPPLIER');
    expect(switched.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'supplier_switched' });
  });

  it('REQUEST_REFUND is not possible before late_4d', () => {
    expect(open().send('REQUEST_REFUND')).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('refund_due in refund_pending escalates, breached', () => {
    const c = open().mustFire('late_4d').must('REQUEST_REFUND').mustFire('refund_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['refund_due']);
  });
});
