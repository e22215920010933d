import { breached, CaseDriver, cancelled, notified, scheduled } from '../testing/case-driver';
import { sampleOrder, SHIPPED } from '../workflow.examples';
import type { OpenCaseInput } from '../workflow.types';

const DUE_BY = '2025-03-13T09:00:00.000Z';
const CLOSES_AT = '2025-03-20T09:00:00.000Z';

function dispute(extra: Partial<OpenCaseInput> = {}): CaseDriver {
  return new CaseDriver('payment_dispute', {
    type: 'payment_dispute',
    order: sampleOrder(SHIPPED),
    openedAt: '2025-03-03T09:00:00.000Z',
    external: { platform: 'stripe', reference: 'dp_1', dueBy: DUE_BY },
    ...extra,
  });
}

describe('payment_dispute (version 2 on)', () => {
  it('opens in preparing_response, waiting on the merchant: external_due = dueBy - 24 h', () => {
    const c = dispute();

    expect(c.step).toMatchObject({ state: 'preparing_response', waitingOn: 'merchant' });
    // The supplier is no party to it: not told, no supplier clock.
    expect(c.effects).toEqual([
      {
        type: 'schedule_timer',
        kind: 'external_due',
        due: { rule: 'hours_before_instant', at: DUE_BY, hours: 24 },
      },
    ]);
    expect(c.context.liability).toBe('undetermined');
  });

  it('external_due missed: escalated, breached', () => {
    const c = dispute().mustFire('external_due');

    expect(c.state).toBe('escalated');
    expect(breached(c.effects)).toEqual(['external_due']);
    expect(notified(c.effects)).toEqual(['merchant.escalated']);
  });

  it('RESPONSE_SUBMITTED: awaiting_decision, the deadline met', () => {
    const c = dispute().must('RESPONSE_SUBMITTED', { payload: { reference: 'ev-9' } });

    expect(c.state).toBe('awaiting_decision');
    expect(cancelled(c.effects)).toEqual(['external_due']);
    expect(c.allowed('merchant')).toEqual(
      expect.arrayContaining(['DISPUTE_WON', 'DISPUTE_LOST', 'DISPUTE_ACCEPTED']),
    );
  });

  it.each([
    ['DISPUTE_WON', 'won'],
    ['DISPUTE_LOST', 'lost'],
    ['DISPUTE_ACCEPTED', 'accepted'],
  ] as const)('%s closes it as %s, the supplier not told', (type, outcome) => {
    const c = dispute().must('RESPONSE_SUBMITTED', { payload: {} }).must(type, { payload: {} });

    expect(c.step).toMatchObject({ state: 'closed', outcome });
    expect(notified(c.effects)).toEqual(['merchant.case_closed']);
  });

  it('the merchant may concede before answering; no decision comes before its answer', () => {
    expect(dispute().must('DISPUTE_ACCEPTED', { payload: {} }).step.outcome).toBe('accepted');
    expect(dispute().send('DISPUTE_WON', { payload: {} })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
  });

  it('after an escalation the platform’s decision still closes the case', () => {
    const c = dispute().mustFire('external_due').must('DISPUTE_LOST', { payload: {} });
    expect(c.step).toMatchObject({ state: 'closed', outcome: 'lost' });
  });
});

describe('platformWindow, on any case of version 2', () => {
  const windowed = () =>
    dispute({ platformWindow: { platform: 'aliexpress', closesAt: CLOSES_AT } });

  it('schedules platform_window 48 h before closesAt', () => {
    expect(windowed().effects).toContainEqual({
      type: 'schedule_timer',
      kind: 'platform_window',
      due: { rule: 'hours_before_instant', at: CLOSES_AT, hours: 48 },
    });
  });

  it('first a notice to the merchant, re-armed for the closing; then a breach, no change of state', () => {
    const c = windowed().mustFire('platform_window');

    expect(notified(c.effects)).toEqual(['merchant.platform_window_closing']);
    expect(breached(c.effects)).toEqual([]);
    expect(c.effects).toContainEqual({
      type: 'schedule_timer',
      kind: 'platform_window',
      due: { rule: 'hours_before_instant', at: CLOSES_AT, hours: 0 },
    });

    c.mustFire('platform_window');
    expect(breached(c.effects)).toEqual(['platform_window']);
    expect(c.state).toBe('preparing_response');
    expect(c.context.timers).not.toContain('platform_window');
  });

  it('closing the case cancels it', () => {
    const c = windowed().must('WITHDRAW');
    expect(cancelled(c.effects).sort()).toEqual(['external_due', 'platform_window']);
  });
});

describe('the buyer’s 24 hours, SET_LIABILITY (every open state of version 2)', () => {
  it('BUYER_CONTACTED starts buyer_response once; BUYER_ANSWERED clears it', () => {
    const c = CaseDriver.open('out_of_stock');

    c.must('BUYER_CONTACTED', { payload: { channel: 'email' } });
    expect(scheduled(c.effects)).toEqual(['buyer_response']);
    c.must('BUYER_CONTACTED', { payload: {} });
    expect(scheduled(c.effects)).toEqual([]);
    c.must('BUYER_ANSWERED', { payload: { text: 'Refund on its way' } });
    expect(cancelled(c.effects)).toEqual(['buyer_response']);
    // An answer with no question pending is recorded, nothing to clear.
    c.must('BUYER_ANSWERED', { payload: {} });
    expect(cancelled(c.effects)).toEqual([]);
  });

  it('buyer_response missed: the merchant’s breach, no change of state', () => {
    const c = CaseDriver.open('out_of_stock').must('BUYER_CONTACTED', { payload: {} });
    c.mustFire('buyer_response');
    expect(breached(c.effects)).toEqual(['buyer_response']);
    expect(c.state).toBe('awaiting_decision');
  });

  it('SET_LIABILITY is ops’; later rules leave ops’ word alone', () => {
    const c = CaseDriver.open('damaged_item');
    expect(c.context.liability).toBe('undetermined');
    expect(c.send('SET_LIABILITY', { actor: 'merchant' })).toMatchObject({
      ok: false,
      error: 'forbidden',
    });

    c.must('SET_LIABILITY', { actor: 'ops', payload: { liability: 'carrier', reason: 'scan' } });
    expect(c.context.liability).toBe('carrier');
    expect(c.state).toBe('awaiting_evidence');
    c.must('SUBMIT_EVIDENCE', { evidence: { photoOrVideo: 1, total: 1 } });
    c.must('VERIFICATION_CONFIRMED');
    expect(c.context.liability).toBe('carrier');
  });

  it('a damage the supplier confirms is the supplier’s; customs past 30 days the carrier’s', () => {
    const damaged = CaseDriver.open('damaged_item')
      .must('SUBMIT_EVIDENCE', { evidence: { photoOrVideo: 1, total: 1 } })
      .must('VERIFICATION_CONFIRMED');
    expect(damaged.context.liability).toBe('supplier');

    const customs = CaseDriver.open('customs_delay').mustFire('customs_due');
    expect(customs.state).toBe('escalated');
    expect(customs.context.liability).toBe('carrier');
    // Version 1 keeps its rules: no liability there.
    expect(
      CaseDriver.open('customs_delay', { version: 1 }).mustFire('customs_due').context.liability,
    ).toBe('undetermined');
  });
});
