/**
 * Version 2 of the machines (collaboration.md): the message thread, `ACKNOWLEDGED`, the supplier
 * clock that runs only while the case waits on the supplier, `supplier_replied`, and the
 * deadlines `verification_due`, `decision_reminder` and `ops_due`. The per-type specs beside this
 * one pin version 1, which old cases keep.
 */
import {
  breached,
  CaseDriver,
  cancelled,
  notified,
  PHOTO,
  scheduled,
} from '../testing/case-driver';
import { CASE_TYPES } from '../workflow.types';

const MESSAGE = { payload: { text: 'Any news?' } };

describe('version 2: who the case waits on', () => {
  it.each([
    ['out_of_stock', 'merchant'],
    ['oversize', 'supplier'],
    ['late_shipment', 'supplier'],
    ['unresponsive_supplier', 'supplier'],
    ['customs_delay', 'merchant'],
    ['damaged_item', 'merchant'],
  ] as const)('%s opens waiting on the %s', (type, party) => {
    expect(CaseDriver.open(type).step.waitingOn).toBe(party);
  });

  it('ops, once escalated; nobody once closed', () => {
    const c = CaseDriver.open('oversize').must('ESCALATE', { actor: 'ops' });
    expect(c.step.waitingOn).toBe('ops');
    c.must('FORCE_CLOSE', { actor: 'ops' });
    expect(c.step.waitingOn).toBeNull();
  });
});

describe('version 2: the supplier clock', () => {
  it('does not run while the case waits on the merchant, and starts when it waits on the supplier', () => {
    const c = CaseDriver.open('damaged_item');
    expect(c.context.timers).toEqual(['evidence_due']);

    c.must('SUBMIT_EVIDENCE', { evidence: PHOTO });

    expect(c.state).toBe('awaiting_verification');
    expect(scheduled(c.effects)).toEqual(['supplier_response', 'verification_due']);
    expect(notified(c.effects)).toEqual(['supplier.verification_requested']);
  });

  it('any supplier message clears it; the merchant’s does not', () => {
    const c = CaseDriver.open('oversize');
    expect(c.context.timers).toEqual(['supplier_response', 'refund_due']);

    c.must('MESSAGE', { ...MESSAGE, actor: 'merchant' });
    expect(c.context.timers).toEqual(['supplier_response', 'refund_due']);
    expect(notified(c.effects)).toEqual(['supplier.message']);

    c.must('MESSAGE', { ...MESSAGE, actor: 'supplier' });
    expect(cancelled(c.effects)).toEqual(['supplier_response']);
    expect(notified(c.effects)).toEqual(['merchant.message']);
    expect(c.state).toBe('refund_pending');
  });

  it('ACKNOWLEDGED ("received, we are on it") clears it in any open state, without moving', () => {
    // unresponsive_supplier is the exception: any answer there is the reply (below).
    for (const type of CASE_TYPES.filter((t) => t !== 'unresponsive_supplier')) {
      const c = CaseDriver.open(type);
      if (c.step.status === 'closed' || !c.context.timers.includes('supplier_response')) continue;
      const state = c.state;
      c.must('ACKNOWLEDGED', { actor: 'supplier' });
      expect([type, c.state, cancelled(c.effects)]).toEqual([type, state, ['supplier_response']]);
    }
  });

  it('entering a state that waits on the merchant cancels it: no breach for the merchant’s delay', () => {
    const c = CaseDriver.open('late_shipment');
    expect(c.context.timers).toContain('supplier_response');

    c.mustFire('late_2d').mustFire('late_4d');

    expect(c.state).toBe('awaiting_decision');
    expect(cancelled(c.effects)).toEqual(['supplier_response']);
    expect(scheduled(c.effects)).toEqual(['decision_reminder']);
  });

  it('a wait that goes on without an answer keeps the clock it started with', () => {
    const c = CaseDriver.open('late_shipment');

    c.mustFire('late_2d');

    expect(c.state).toBe('supplier_nudged');
    expect(scheduled(c.effects)).toEqual([]);
    expect(c.context.timers).toContain('supplier_response');
  });

  it('firing is a breach, and the case stays where it is', () => {
    const c = CaseDriver.open('oversize').mustFire('supplier_response');
    expect(breached(c.effects)).toEqual(['supplier_response']);
    expect(c.state).toBe('refund_pending');
  });
});

describe('version 2: new deadlines', () => {
  const verifying = () =>
    CaseDriver.open('wrong_item').must('SUBMIT_EVIDENCE', { evidence: PHOTO });

  it('verification_due escalates, breached, and ops_due starts', () => {
    const c = verifying().mustFire('verification_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['verification_due']);
    expect(scheduled(c.effects)).toEqual(['ops_due']);
    expect(cancelled(c.effects)).toEqual(['supplier_response']);
    expect(notified(c.effects)).toEqual(['merchant.escalated']);
  });

  it('verification_due is cancelled by the supplier’s answer', () => {
    const c = verifying().must('VERIFICATION_CONFIRMED');
    expect(c.state).toBe('resolution_pending');
    expect(cancelled(c.effects)).toEqual(['supplier_response', 'verification_due']);
    // A new request to the supplier: its clock starts again.
    expect(scheduled(c.effects)).toEqual(['supplier_response', 'resolution_due']);
  });

  it('ops_due is a breach and the case stays escalated', () => {
    const c = CaseDriver.open('oversize').must('ESCALATE', { actor: 'ops' });
    expect(scheduled(c.effects)).toEqual(['ops_due']);

    c.mustFire('ops_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['ops_due']);
    expect(c.allowed('ops')).toContain('FORCE_REFUND');
  });

  it('decision_reminder reminds the merchant: no breach, no change of state', () => {
    const c = CaseDriver.open('out_of_stock');
    expect(c.context.timers).toEqual(['decision_reminder']);

    c.mustFire('decision_reminder');

    expect(c.state).toBe('awaiting_decision');
    expect(notified(c.effects)).toEqual(['merchant.decision_reminder']);
    expect(breached(c.effects)).toEqual([]);
    expect(c.context.timers).toEqual([]);
  });
});

describe('version 2: unresponsive_supplier', () => {
  const open = () => CaseDriver.open('unresponsive_supplier');

  it.each([
    ['SUPPLIER_REPLIED', { payload: { text: 'Shipping tomorrow' } }],
    ['MESSAGE', MESSAGE],
    ['ACKNOWLEDGED', {}],
  ] as const)(
    'the supplier’s %s is its reply: supplier_replied, the merchant decides',
    (type, options) => {
      const c = open();

      c.must(type, { ...options, actor: 'supplier' });

      expect(c.state).toBe('supplier_replied');
      expect(c.step.waitingOn).toBe('merchant');
      expect(cancelled(c.effects)).toEqual(['supplier_response']);
      expect(scheduled(c.effects)).toEqual(['decision_reminder']);
      expect(c.allowed('merchant')).toEqual([
        'WITHDRAW',
        'NOTE',
        'MESSAGE',
        'REQUEST_REFUND',
        'SWITCH_SUPPLIER',
        'BUYER_CONTACTED',
        'BUYER_ANSWERED',
        'BUYER_REFUNDED',
      ]);
    },
  );

  it('a message from the supplier tells the merchant; the merchant’s own message moves nothing', () => {
    const c = open().must('MESSAGE', { ...MESSAGE, actor: 'merchant' });
    expect(c.state).toBe('awaiting_supplier_reply');

    c.must('MESSAGE', { ...MESSAGE, actor: 'supplier' });
    expect(notified(c.effects)).toEqual(['merchant.message']);
  });

  it('from supplier_replied: WITHDRAW (solved), REQUEST_REFUND or SWITCH_SUPPLIER', () => {
    const solved = open().must('ACKNOWLEDGED', { actor: 'supplier' }).must('WITHDRAW');
    expect(solved.step).toMatchObject({ state: 'closed', outcome: 'withdrawn' });

    const refund = open().must('ACKNOWLEDGED', { actor: 'supplier' }).must('REQUEST_REFUND');
    expect(refund.state).toBe('refund_pending');
    expect(scheduled(refund.effects)).toEqual(['supplier_response', 'refund_due']);

    const switched = open().must('ACKNOWLEDGED', { actor: 'supplier' }).must('SWITCH_SUPPLIER');
    switched.must('REFUNDED');
    expect(switched.step.outcome).toBe('supplier_switched');
  });

  it('version 1 still closes as supplier_responded', () => {
    const c = CaseDriver.open('unresponsive_supplier', { version: 1 });
    c.must('SUPPLIER_REPLIED', { payload: { text: 'Here' } });
    expect(c.step).toMatchObject({ state: 'closed', outcome: 'supplier_responded' });
  });
});

describe('messages, in every version', () => {
  it.each([1, 2] as const)(
    'version %s: ops’ message tells both; a closed case refuses one',
    (version) => {
      const c = CaseDriver.open('oversize', { version });

      c.must('MESSAGE', { ...MESSAGE, actor: 'ops' });
      expect(notified(c.effects)).toEqual(['merchant.message', 'supplier.message']);

      c.must('WITHDRAW');
      expect(c.send('MESSAGE', MESSAGE)).toMatchObject({ ok: false, error: 'invalid_transition' });
    },
  );
});
