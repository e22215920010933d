import { breached, CaseDriver, notified, scheduled } from '../testing/case-driver';

describe('oversize', () => {
  it('opens in refund_pending: the refund request goes to the supplier at opening', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    expect(c.state).toBe('refund_pending');
    expect(scheduled(c.effects)).toEqual(['supplier_response', 'refund_due']);
    expect(notified(c.effects)).toEqual(['supplier.case_opened', 'supplier.refund_requested']);
  });

  it('REFUNDED closes as refunded', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded', status: 'closed' });
  });

  it('refund_due firing escalates, breached; a late REFUNDED still closes it', () => {
    const c = CaseDriver.open('oversize', { version: 1 }).mustFire('refund_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['refund_due']);
    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });
  });

  it('does not accept what other types wait for', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    for (const event of ['REQUEST_REFUND', 'SHIPPED', 'ADDRESS_CORRECTED', 'SUBMIT_EVIDENCE']) {
      expect(c.send(event)).toMatchObject({ ok: false, error: 'invalid_transition' });
    }
  });
});
