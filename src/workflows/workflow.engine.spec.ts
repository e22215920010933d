import { AT, breached, CaseDriver, cancelled, notified, scheduled } from './testing/case-driver';
import { applyEvent, allowedEvents, openCase, readWorkflowContext } from './workflow.engine';
import { initialTransition } from 'xstate';
import { machineFor, versionsOf } from './workflow.registry';
import { sampleOpenings, sampleOrder, SHIPPED } from './workflow.examples';
import { CASE_TYPES, type CaseType } from './workflow.types';

/** The types that exist in version 1 (the later ones are covered by their own specs). */
const V1_TYPES = CASE_TYPES.filter((type) => versionsOf(type).includes(1));

describe('every case type of version 1', () => {
  describe.each(V1_TYPES)('%s', (type: CaseType) => {
    it('opens with the supplier told and supplier_response running for 24 hours', () => {
      const c = CaseDriver.open(type, { version: 1 });

      expect(c.step.status).toBe('open');
      expect(c.step.outcome).toBeNull();
      expect(c.effects[0]).toEqual({
        type: 'schedule_timer',
        kind: 'supplier_response',
        due: { rule: 'hours_after', hours: 24 },
      });
      expect(notified(c.effects)).toContain('supplier.case_opened');
    });

    it('WITHDRAW by the merchant closes as withdrawn, cancelling every timer and telling both parties', () => {
      const c = CaseDriver.open(type, { version: 1 });
      const live = [...c.ledger.live];

      const result = c.send('WITHDRAW');

      expect(result).toMatchObject({
        ok: true,
        state: 'closed',
        status: 'closed',
        outcome: 'withdrawn',
      });
      expect(cancelled(c.effects).sort()).toEqual(live.sort());
      expect(c.ledger.live.size).toBe(0);
      expect(notified(c.effects)).toEqual(['merchant.case_closed', 'supplier.case_closed']);
    });

    it('NOTE from anyone but the system is accepted with the same state', () => {
      const c = CaseDriver.open(type, { version: 1 });
      const state = c.state;

      for (const actor of ['merchant', 'ops'] as const) {
        expect(c.send('NOTE', { actor })).toMatchObject({ ok: true, state, effects: [] });
      }
      expect(c.send('NOTE', { actor: 'system' })).toMatchObject({ ok: false, error: 'forbidden' });
    });

    it('a NOTE from the supplier is its answer: supplier_response is cancelled', () => {
      const c = CaseDriver.open(type, { version: 1 });

      c.must('NOTE', { actor: 'supplier' });

      expect(cancelled(c.effects)).toEqual(['supplier_response']);
      expect(c.context.timers).not.toContain('supplier_response');
    });

    it('ESCALATE by ops or the system moves to escalated and tells the merchant', () => {
      const c = CaseDriver.open(type, { version: 1 });
      const from = c.state;

      c.must('ESCALATE', { actor: 'ops' });

      expect(c.state).toBe('escalated');
      expect(c.context.escalatedFrom).toBe(from);
      expect(notified(c.effects)).toEqual(['merchant.escalated']);
      expect(c.context.timers).toEqual(['supplier_response']);
      expect(c.send('ESCALATE', { actor: 'system' })).toMatchObject({
        ok: false,
        error: 'invalid_transition',
      });
    });

    it.each([
      ['FORCE_REFUND', 'refunded'],
      ['FORCE_RESHIP', 'reshipped'],
      ['FORCE_CLOSE', 'force_closed'],
    ])('in escalated, ops %s closes as %s', (event, outcome) => {
      const c = CaseDriver.open(type, { version: 1 }).must('ESCALATE', { actor: 'ops' });

      expect(c.send(event, { actor: 'merchant' })).toMatchObject({ ok: false, error: 'forbidden' });
      const result = c.send(event, { actor: 'ops' });

      expect(result).toMatchObject({ ok: true, state: 'closed', outcome });
      expect(cancelled(c.effects)).toEqual(['supplier_response']);
    });

    it('supplier_response firing is a breach and is spent, not cancelled', () => {
      const c = CaseDriver.open(type, { version: 1 });

      c.mustFire('supplier_response');

      expect(breached(c.effects)).toEqual(['supplier_response']);
      expect(cancelled(c.effects)).not.toContain('supplier_response');
      expect(c.context.timers).not.toContain('supplier_response');
      expect(c.fire('supplier_response')).toMatchObject({ ok: false, error: 'invalid_transition' });
    });

    it('a closed case accepts nothing, not even a NOTE or a timer', () => {
      const c = CaseDriver.open(type, { version: 1 }).must('WITHDRAW');

      for (const [event, actor] of [
        ['NOTE', 'merchant'],
        ['WITHDRAW', 'merchant'],
        ['ESCALATE', 'ops'],
        ['FORCE_CLOSE', 'ops'],
        ['TIMER_FIRED', 'system'],
      ] as const) {
        expect(
          c.send(event, { actor, payload: { kind: 'supplier_response', reason: 'x', text: 'x' } }),
        ).toEqual({
          ok: false,
          error: 'invalid_transition',
          state: 'closed',
          allowedEvents: [],
        });
      }
      expect(c.allowed()).toEqual([]);
    });

    it('TIMER_FIRED is listed for the system only', () => {
      const c = CaseDriver.open(type, { version: 1 });

      expect(c.allowed('system')).toEqual(['ESCALATE', 'TIMER_FIRED']);
      for (const actor of ['merchant', 'supplier', 'ops'] as const) {
        expect(c.allowed(actor)).not.toContain('TIMER_FIRED');
      }
    });
  });
});

describe('roles', () => {
  it('refuses an event the actor may not send with forbidden and the actor’s own allowed events', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    const result = c.send('REFUNDED', { actor: 'merchant' });

    expect(result).toEqual({
      ok: false,
      error: 'forbidden',
      state: 'refund_pending',
      allowedEvents: ['WITHDRAW', 'NOTE', 'MESSAGE'],
    });
  });

  it('ops may act for the supplier; the supplier’s answer then clears supplier_response', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    c.must('REFUNDED', { actor: 'ops' });

    expect(c.step).toMatchObject({ state: 'closed', outcome: 'refunded' });
    expect(cancelled(c.effects)).toEqual(['supplier_response', 'refund_due']);
  });

  it('ops may not fire timers, and a supplier may not WITHDRAW (forbidden even on a closed case)', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    expect(c.fire('refund_due').ok).toBe(true);
    const d = CaseDriver.open('oversize', { version: 1 });
    expect(d.send('TIMER_FIRED', { actor: 'ops', payload: { kind: 'refund_due' } })).toMatchObject({
      error: 'forbidden',
    });
    d.must('WITHDRAW');
    expect(d.send('WITHDRAW', { actor: 'supplier' })).toMatchObject({ error: 'forbidden' });
  });

  it('an unknown event type is an invalid transition', () => {
    const c = CaseDriver.open('oversize', { version: 1 });

    expect(c.send('TELEPORT', { actor: 'ops' })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
  });
});

describe('timers', () => {
  it('a TIMER_FIRED for a kind the state does not own is refused', () => {
    const c = CaseDriver.open('out_of_stock', { version: 1 });

    for (const kind of ['refund_due', 'late_2d', 'evidence_due', 'customs_due', 'bogus']) {
      expect(c.send('TIMER_FIRED', { actor: 'system', payload: { kind } })).toMatchObject({
        ok: false,
        error: 'invalid_transition',
        state: 'awaiting_decision',
      });
    }
    expect(c.send('TIMER_FIRED', { actor: 'system' })).toMatchObject({
      error: 'invalid_transition',
    });
  });

  it('an event the state does not accept changes nothing', () => {
    const c = CaseDriver.open('out_of_stock', { version: 1 });
    const before = c.step.snapshot;

    expect(c.send('REFUNDED')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(c.step.snapshot).toBe(before);
  });
});

describe('escalation remembers what closed the state it left', () => {
  it('refund_pending escalated by refund_due: REFUNDED still closes, SHIPPED does not', () => {
    const c = CaseDriver.open('oversize', { version: 1 }).mustFire('refund_due');

    expect(c.state).toBe('escalated');
    expect(c.context.escalationClosers).toEqual(['REFUNDED']);
    expect(c.allowed('supplier')).toEqual(['NOTE', 'MESSAGE', 'REFUNDED', 'ACKNOWLEDGED']);
    expect(c.send('SHIPPED')).toMatchObject({ ok: false, error: 'invalid_transition' });
    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'refunded' });
  });

  it('a switched supplier still closes as supplier_switched after escalation', () => {
    const c = CaseDriver.open('out_of_stock', { version: 1 })
      .must('SWITCH_SUPPLIER')
      .must('ESCALATE', { actor: 'ops' });

    expect(c.send('REFUNDED')).toMatchObject({ ok: true, outcome: 'supplier_switched' });
  });

  it('awaiting_decision of out_of_stock has no closing supplier event', () => {
    const c = CaseDriver.open('out_of_stock', { version: 1 }).must('ESCALATE', { actor: 'system' });

    expect(c.context.escalationClosers).toEqual([]);
    expect(c.allowed('supplier')).toEqual(['NOTE', 'MESSAGE', 'ACKNOWLEDGED']);
  });
});

describe('snapshots', () => {
  it('are plain JSON and survive a round trip', () => {
    const opened = openCase({ type: 'damaged_item', order: sampleOrder(SHIPPED), openedAt: AT });
    const restored = JSON.parse(JSON.stringify(opened.snapshot)) as unknown;

    const result = applyEvent('damaged_item', restored, {
      type: 'SUBMIT_EVIDENCE',
      actor: 'merchant',
      at: AT,
      evidence: { photoOrVideo: 1, total: 1 },
    });

    expect(result).toMatchObject({ ok: true, state: 'awaiting_verification' });
    // Version 2: the supplier's clock waits until the case waits on the supplier.
    expect(readWorkflowContext('damaged_item', restored).timers).toEqual(['evidence_due']);
  });

  it('refuses to read something that is not a snapshot', () => {
    expect(() => allowedEvents('oversize', null)).toThrow(/snapshot/);
    expect(() => allowedEvents('oversize', { value: 'nowhere', context: {} })).toThrow(
      /oversize snapshot/,
    );
  });

  it('openCase throws when the order does not fit (callers check validateOrderForType first)', () => {
    expect(() => openCase({ type: 'wrong_item', order: sampleOrder(), openedAt: AT })).toThrow(
      /needs a shipped order/,
    );
  });

  it('scheduled() lists what the step schedules', () => {
    expect(scheduled(CaseDriver.open('customs_delay', { version: 1 }).effects)).toEqual([
      'supplier_response',
      'customs_reminder',
      'customs_due',
    ]);
  });
});

describe('the engine’s pure transition', () => {
  it.each(CASE_TYPES)('%s: openCase gives what xstate’s initialTransition() gives', (type) => {
    for (const input of sampleOpenings(type)) {
      const machine = machineFor(type);
      const [snapshot, actions] = initialTransition(machine, input);

      const step = openCase(input);

      expect(step.snapshot).toEqual(machine.getPersistedSnapshot(snapshot));
      expect(step.effects).toEqual(actions.filter((a) => a.type === 'record').map((a) => a.params));
    }
  });
});
