import { breached, CaseDriver, cancelled, notified, scheduled } from '../testing/case-driver';

describe('unresponsive_supplier', () => {
  const open = () => CaseDriver.open('unresponsive_supplier', { version: 1 });

  it('opens in awaiting_supplier_reply', () => {
    const c = open();

    expect(c.state).toBe('awaiting_supplier_reply');
    expect(c.allowed('merchant')).toEqual(['WITHDRAW', 'NOTE', 'MESSAGE', 'REQUEST_REFUND']);
    expect(c.allowed('supplier')).toEqual(['NOTE', 'MESSAGE', 'SUPPLIER_REPLIED', 'ACKNOWLEDGED']);
  });

  it('SUPPLIER_REPLIED closes as supplier_responded, cancelling supplier_response', () => {
    const c = open();

    const result = c.send('SUPPLIER_REPLIED', { payload: { text: 'Shipping tomorrow' } });

    expect(result).toMatchObject({ ok: true, state: 'closed', outcome: 'supplier_responded' });
    expect(cancelled(c.effects)).toEqual(['supplier_response']);
  });

  it('supplier_response firing goes straight to refund_pending, breached', () => {
    const c = open();

    c.mustFire('supplier_response');

    expect(c.state).toBe('refund_pending');
    expect(breached(c.effects)).toEqual(['supplier_response']);
    expect(scheduled(c.effects)).toEqual(['refund_due']);
    expect(notified(c.effects)).toEqual(['supplier.refund_requested']);
    expect(c.context.timers).toEqual(['refund_due']);
  });

  it('REQUEST_REFUND -> refund_pending; supplier_response keeps running and only records a breach there', () => {
    const c = open().must('REQUEST_REFUND');
    expect(c.state).toBe('refund_pending');

    c.mustFire('supplier_response');

    expect(c.state).toBe('refund_pending');
    expect(breached(c.effects)).toEqual(['supplier_response']);
    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });
  });
});
