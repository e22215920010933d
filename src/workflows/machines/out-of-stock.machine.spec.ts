import { breached, CaseDriver, cancelled, notified } from '../testing/case-driver';

describe('out_of_stock', () => {
  const open = () => CaseDriver.open('out_of_stock', { version: 1 });

  it('opens in awaiting_decision: the supplier is told, supplier_response runs', () => {
    const c = open();

    expect(c.step).toMatchObject({
      state: 'awaiting_decision',
      status: 'open',
      phase: 'pre_shipment',
    });
    expect(c.effects).toEqual([
      {
        type: 'schedule_timer',
        kind: 'supplier_response',
        due: { rule: 'hours_after', hours: 24 },
      },
      { type: 'notify', party: 'supplier', notification: 'supplier.case_opened' },
    ]);
    expect(c.allowed('merchant')).toEqual([
      'WITHDRAW',
      'NOTE',
      'MESSAGE',
      'REQUEST_REFUND',
      'SWITCH_SUPPLIER',
    ]);
    expect(c.allowed('supplier')).toEqual(['NOTE', 'MESSAGE', 'ACKNOWLEDGED']);
  });

  it('REQUEST_REFUND -> refund_pending with refund_due = 15 business days (supplier) and a refund request', () => {
    const c = open();

    c.must('REQUEST_REFUND');

    expect(c.state).toBe('refund_pending');
    expect(c.effects).toEqual([
      {
        type: 'schedule_timer',
        kind: 'refund_due',
        due: { rule: 'business_days_after', days: 15, calendar: 'supplier' },
      },
      { type: 'notify', party: 'supplier', notification: 'supplier.refund_requested' },
    ]);
  });

  it('REFUNDED closes as refunded, cancelling the timers and telling both parties', () => {
    const c = open().must('REQUEST_REFUND');

    const result = c.send('REFUNDED');

    expect(result).toMatchObject({
      ok: true,
      state: 'closed',
      status: 'closed',
      outcome: 'refunded',
    });
    expect(cancelled(c.effects)).toEqual(['supplier_response', 'refund_due']);
    expect(notified(c.effects)).toEqual(['merchant.case_closed', 'supplier.case_closed']);
  });

  it('SWITCH_SUPPLIER records the replacement order; the refund then closes as supplier_switched', () => {
    const c = open();

    c.must('SWITCH_SUPPLIER', { payload: { supplierId: 'sup_9', orderRef: 'PO-77' } });

    expect(c.state).toBe('refund_pending');
    expect(c.context.replacement).toEqual({ supplierId: 'sup_9', orderRef: 'PO-77' });
    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'supplier_switched' });
  });

  it('refund_due firing first escalates, breached', () => {
    const c = open().must('REQUEST_REFUND');

    c.mustFire('refund_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['refund_due']);
    expect(cancelled(c.effects)).toEqual([]);
    expect(notified(c.effects)).toEqual(['merchant.escalated']);
  });

  it('refuses events from the wrong role or the wrong state', () => {
    const c = open();

    expect(c.send('REQUEST_REFUND', { actor: 'supplier' })).toMatchObject({ error: 'forbidden' });
    expect(c.send('REFUNDED', { actor: 'merchant' })).toMatchObject({ error: 'forbidden' });
    expect(c.send('REFUNDED')).toMatchObject({
      error: 'invalid_transition',
      state: 'awaiting_decision',
    });
    c.must('REQUEST_REFUND');
    expect(c.send('SWITCH_SUPPLIER')).toMatchObject({
      error: 'invalid_transition',
      allowedEvents: ['WITHDRAW', 'NOTE', 'MESSAGE'],
    });
  });
});
