/**
 * money.md in the machines (version 2): a partial refund keeps the state and its deadline and
 * tells the merchant; ACCEPT_PARTIAL closes as partially_refunded; FORCE_REFUND as written_off;
 * BUYER_REFUNDED in any open state without a change. Version 1 stays as it was.
 */
import { CaseDriver, notified, PHOTO, scheduled, cancelled } from '../testing/case-driver';

const PARTIAL = { money: { refundCompletes: false } };

describe('version 2: refunds', () => {
  it.each(['oversize', 'out_of_stock', 'customs_delay'] as const)(
    '%s: a partial refund in refund_pending keeps the state and refund_due, and tells the merchant',
    (type) => {
      const c = CaseDriver.open(type, { shipped: type === 'customs_delay' });
      if (type === 'out_of_stock') c.must('REQUEST_REFUND');
      if (type === 'customs_delay') c.must('RETURNED_TO_SENDER');
      expect(c.state).toBe('refund_pending');

      c.must('REFUNDED', PARTIAL);

      expect(c.step).toMatchObject({ state: 'refund_pending', status: 'open' });
      expect(notified(c.effects)).toEqual(['merchant.partial_refund']);
      expect(scheduled(c.effects)).toEqual([]);
      expect(cancelled(c.effects)).toEqual(['supplier_response']);
      expect(c.deadlines.map((d) => d.kind)).toContain('refund_due');
      expect(c.allowed('merchant')).toContain('ACCEPT_PARTIAL');

      c.must('REFUNDED');
      expect(c.step).toMatchObject({ status: 'closed', outcome: 'refunded' });
    },
  );

  it('a claim type: partial refunds in resolution_pending, then ACCEPT_PARTIAL', () => {
    const c = CaseDriver.open('damaged_item')
      .must('SUBMIT_EVIDENCE', { evidence: PHOTO })
      .must('VERIFICATION_CONFIRMED')
      .must('REFUNDED', PARTIAL)
      .must('REFUNDED', PARTIAL);
    expect(c.state).toBe('resolution_pending');
    c.must('ACCEPT_PARTIAL');
    expect(c.step).toMatchObject({ status: 'closed', outcome: 'partially_refunded' });
  });

  it('ACCEPT_PARTIAL is refused until a partial refund exists', () => {
    const c = CaseDriver.open('oversize');
    expect(c.allowed('merchant')).not.toContain('ACCEPT_PARTIAL');
    expect(c.send('ACCEPT_PARTIAL')).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('the refund that completes the claim keeps the outcome the refund leg began with', () => {
    const c = CaseDriver.open('out_of_stock').must('SWITCH_SUPPLIER').must('REFUNDED', PARTIAL);
    c.must('REFUNDED');
    expect(c.step.outcome).toBe('supplier_switched');
  });

  it('escalated: a partial refund stays, FORCE_REFUND closes as written_off', () => {
    const c = CaseDriver.open('oversize').must('ESCALATE', { actor: 'ops' });
    c.must('REFUNDED', PARTIAL);
    expect(c.state).toBe('escalated');
    c.must('FORCE_REFUND', { actor: 'ops' });
    expect(c.step).toMatchObject({ status: 'closed', outcome: 'written_off' });
  });

  it('escalated from a state no refund closed: REFUNDED is refused, partial or not', () => {
    const c = CaseDriver.open('late_shipment').must('ESCALATE', { actor: 'ops' });
    expect(c.send('REFUNDED', PARTIAL)).toMatchObject({ ok: false, error: 'invalid_transition' });
  });

  it('BUYER_REFUNDED is accepted in an open state and changes nothing', () => {
    const c = CaseDriver.open('wrong_item');
    c.must('BUYER_REFUNDED');
    expect(c.step).toMatchObject({ state: 'awaiting_evidence', effects: [] });
    c.must('BUYER_REFUNDED', { actor: 'ops' });
    expect(c.state).toBe('awaiting_evidence');
  });
});

describe('version 1 keeps its rules', () => {
  it('any refund closes, FORCE_REFUND is refunded, no ACCEPT_PARTIAL nor BUYER_REFUNDED', () => {
    const c = CaseDriver.open('oversize', { version: 1 });
    expect(c.allowed('merchant')).not.toContain('BUYER_REFUNDED');
    c.must('REFUNDED', PARTIAL);
    expect(c.step).toMatchObject({ status: 'closed', outcome: 'refunded' });

    const forced = CaseDriver.open('oversize', { version: 1 }).must('ESCALATE', { actor: 'ops' });
    forced.must('FORCE_REFUND', { actor: 'ops' });
    expect(forced.step.outcome).toBe('refunded');
  });
});
