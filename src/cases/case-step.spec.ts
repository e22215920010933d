import { entryHash, GENESIS_HASH } from '../timeline/hash-chain';
import { openCase, type DueRule } from '../workflows';
import { sampleOpenings } from '../workflows/workflow.examples';
import {
  nextDue,
  planEntry,
  planEvent,
  planTimer,
  withTimerIds,
  type StepClock,
} from './case-step';
import { newCaseRecord, planOpening } from './case-opening';
import type { LoadedCase, OpenCaseCommand, Parties } from './case.types';

const HOUR = 3_600_000;
const OPENED_AT = new Date('2025-03-03T09:00:00.000Z');
const MERCHANT = '00000000-0000-4000-8000-00000000000a';
const SUPPLIER = '00000000-0000-4000-8000-00000000000b';
const CASE_ID = '00000000-0000-4000-8000-00000000000c';

const PARTIES: Parties = {
  m_country: 'FR',
  m_timezone: null,
  m_language: 'fr',
  m_webhook_url: 'https://merchant.example/hooks',
  s_country: 'CN',
  s_timezone: null,
  s_webhook_url: null,
  closures: [],
};

/** Every due rule is `hours` after its base; the rules it was asked for are kept. */
function clockAt(now: Date, hours = 24): StepClock & { asked: { rule: DueRule; from: Date }[] } {
  const asked: { rule: DueRule; from: Date }[] = [];
  return {
    now,
    asked,
    resolveDue: (rule, from) => {
      asked.push({ rule, from });
      return new Date(from.getTime() + hours * HOUR);
    },
  };
}

/** An oversize case, opened at OPENED_AT and written (its timers have ids 1, 2...). */
function openOversize(): LoadedCase {
  const input = sampleOpenings('oversize')[0];
  const command: OpenCaseCommand = {
    type: 'oversize',
    merchantId: MERCHANT,
    supplierId: SUPPLIER,
    order: input.order,
  };
  const fresh = newCaseRecord(command, PARTIES, CASE_ID, OPENED_AT);
  const opened = openCase({ ...input, openedAt: OPENED_AT.toISOString() });
  const planned = planOpening(fresh, opened, command, clockAt(OPENED_AT));
  const ids = new Map(planned.case.deadlines.map((t, i) => [t.kind, String(i + 1)]));
  return withTimerIds(planned.case, ids);
}

/** A copy to compare with after planning: the top level and the timers, which a planner could move. */
const frozen = (value: LoadedCase): LoadedCase => ({
  ...value,
  deadlines: value.deadlines.map((t) => ({ ...t })),
});

describe('planOpening', () => {
  it('plans an insert: CASE_OPENED chained from the genesis hash, its timers and notifications', () => {
    const input = sampleOpenings('oversize')[0];
    const command: OpenCaseCommand = {
      type: 'oversize',
      merchantId: MERCHANT,
      supplierId: SUPPLIER,
      order: input.order,
    };
    const fresh = newCaseRecord(command, PARTIES, CASE_ID, OPENED_AT);
    const before = frozen(fresh);
    const clock = clockAt(OPENED_AT);

    const planned = planOpening(fresh, openCase(input), command, clock);

    expect(fresh).toEqual(before);
    expect(planned.write.expectedVersion).toBeUndefined();
    expect(planned.write.insert).toMatchObject({ merchantId: MERCHANT, type: 'oversize' });
    expect(planned.write.entries.map((e) => [e.seq, e.type, e.prev_hash])).toEqual([
      [1, 'CASE_OPENED', GENESIS_HASH],
    ]);
    expect(planned.case).toMatchObject({ state: 'refund_pending', version: 1, status: 'open' });
    expect(planned.case.last_hash).toBe(planned.write.entries[0].hash);
    expect(planned.write.schedule.map((s) => s.kind)).toEqual(['supplier_response', 'refund_due']);
    expect(clock.asked.every((a) => a.from.getTime() === OPENED_AT.getTime())).toBe(true);
    expect(planned.case.deadlines.map((t) => [t.kind, t.id])).toEqual([
      ['supplier_response', null],
      ['refund_due', null],
    ]);
    expect(planned.timerDueNow).toBe(false);
  });

  it('records a notification per notify effect: pending with an endpoint, else no_endpoint', () => {
    const planned = planOpening(
      newCaseRecord(
        {
          type: 'oversize',
          merchantId: MERCHANT,
          supplierId: SUPPLIER,
          order: sampleOpenings('oversize')[0].order,
        },
        PARTIES,
        CASE_ID,
        OPENED_AT,
      ),
      openCase(sampleOpenings('oversize')[0]),
      {
        type: 'oversize',
        merchantId: MERCHANT,
        supplierId: SUPPLIER,
        order: sampleOpenings('oversize')[0].order,
      },
      // The supplier's clock runs 24 hours, refund_due three weeks.
      {
        now: OPENED_AT,
        resolveDue: (rule, from) =>
          new Date(from.getTime() + (rule.rule === 'hours_after' ? rule.hours : 21 * 24) * HOUR),
      },
    );

    expect(planned.notifications.map((n) => [n.type, n.party_id, n.state])).toEqual([
      ['supplier.case_opened', SUPPLIER, 'no_endpoint'],
      ['supplier.refund_requested', SUPPLIER, 'no_endpoint'],
      // The 24 h supplier clock has no more than a day left: its warning goes out at once.
      ['supplier.deadline_warning', SUPPLIER, 'no_endpoint'],
    ]);
    const dueAt = new Date(OPENED_AT.getTime() + 24 * 3_600_000).toISOString();
    expect(planned.notifications[2].body).toMatchObject({
      deadline: { kind: 'supplier_response', dueAt },
      waitingOn: 'supplier',
    });
    // A warning sent with the step is not sent again by the scheduler; refund_due's is to come.
    expect(planned.write.schedule.map((s) => [s.kind, s.warnAt !== null])).toEqual([
      ['supplier_response', false],
      ['refund_due', true],
    ]);
    expect(planned.notifications[0].body).toMatchObject({
      caseId: CASE_ID,
      state: 'refund_pending',
      version: 1,
      occurredAt: OPENED_AT.toISOString(),
    });
    expect(planned.write.notifications).toBe(planned.notifications);
  });

  it('says when a timer it sets is already due (the caller fires it in the same transaction)', () => {
    const input = sampleOpenings('oversize')[0];
    const command: OpenCaseCommand = {
      type: 'oversize',
      merchantId: MERCHANT,
      supplierId: SUPPLIER,
      order: input.order,
    };
    const planned = planOpening(
      newCaseRecord(command, PARTIES, CASE_ID, OPENED_AT),
      openCase(input),
      command,
      clockAt(OPENED_AT, 0),
    );

    expect(planned.timerDueNow).toBe(true);
  });
});

describe('planEvent', () => {
  it('returns the next case and its write, and leaves the case it was given as it was', () => {
    const loaded = openOversize();
    const before = frozen(loaded);
    const now = new Date(OPENED_AT.getTime() + HOUR);

    const result = planEvent(
      loaded,
      { type: 'NOTE', payload: { text: 'hello' }, actor: { kind: 'merchant', id: MERCHANT } },
      clockAt(now),
    );

    expect(loaded).toEqual(before);
    if (!result.ok) throw new Error('NOTE refused');
    const { planned } = result;
    expect(planned.write.expectedVersion).toBe(1);
    expect(planned.write.entries).toMatchObject([
      { seq: 2, type: 'NOTE', prev_hash: loaded.last_hash, from_state: 'refund_pending' },
    ]);
    expect(planned.case).toMatchObject({ version: 2, updated_at: now, state: 'refund_pending' });
    expect(planned.case.deadlines).toEqual(loaded.deadlines);
    expect(planned.metrics).toEqual({
      caseType: 'oversize',
      from: 'refund_pending',
      to: 'refund_pending',
      breaches: [],
    });
    expect(planned.case.workflow?.allowedEvents('merchant')).toEqual([
      'WITHDRAW',
      'NOTE',
      'MESSAGE',
      'BUYER_CONTACTED',
      'BUYER_ANSWERED',
      'BUYER_REFUNDED',
    ]);
  });

  it('hashes its entries onto the chain the case had', () => {
    const loaded = openOversize();
    const result = planEvent(
      loaded,
      { type: 'NOTE', payload: { text: 'x' }, actor: { kind: 'ops', id: null } },
      clockAt(OPENED_AT),
    );
    if (!result.ok) throw new Error('NOTE refused');
    const [entry] = result.planned.write.entries;

    expect(entry.prev_hash).toBe(loaded.last_hash);
    expect(entry.hash).toBe(
      entryHash({
        caseId: CASE_ID,
        seq: 2,
        at: OPENED_AT.toISOString(),
        type: 'NOTE',
        actor: { kind: 'ops', id: null },
        fromState: 'refund_pending',
        toState: 'refund_pending',
        payload: { text: 'x' },
        prevHash: loaded.last_hash,
      }),
    );
    expect(result.planned.case.last_hash).toBe(entry.hash);
  });

  it('returns the workflow’s refusal instead of a step', () => {
    const result = planEvent(
      openOversize(),
      { type: 'REFUNDED', payload: {}, actor: { kind: 'merchant', id: MERCHANT } },
      clockAt(OPENED_AT),
    );

    expect(result).toEqual({
      ok: false,
      refusal: {
        ok: false,
        error: 'forbidden',
        state: 'refund_pending',
        allowedEvents: [
          'WITHDRAW',
          'NOTE',
          'MESSAGE',
          'BUYER_CONTACTED',
          'BUYER_ANSWERED',
          'BUYER_REFUNDED',
        ],
      },
    });
  });

  it('a closing step cancels every live timer by id and schedules nothing', () => {
    const loaded = openOversize();

    const result = planEvent(
      loaded,
      {
        type: 'REFUNDED',
        payload: { amount: '10.00', currency: 'EUR' },
        actor: { kind: 'supplier', id: SUPPLIER },
      },
      clockAt(OPENED_AT),
    );

    if (!result.ok) throw new Error('REFUNDED refused');
    const { planned } = result;
    expect(planned.case).toMatchObject({
      status: 'closed',
      outcome: 'refunded',
      closed_at: OPENED_AT,
    });
    expect(planned.write.cancelTimerIds.sort()).toEqual(['1', '2']);
    expect(planned.write.schedule).toEqual([]);
    expect(planned.case.deadlines).toEqual([]);
  });
});

describe('planTimer', () => {
  it('marks the timer fired (breached for a promise), counts what follows from its due time', () => {
    const loaded = openOversize();
    const timer = loaded.deadlines.find((t) => t.kind === 'refund_due')!;
    const now = new Date(new Date(timer.due_at).getTime() + 5 * HOUR);
    const clock = clockAt(now);

    const planned = planTimer(loaded, timer, clock);

    expect(planned).not.toBeNull();
    expect(planned!.write.fired).toEqual({ id: timer.id, breached: true });
    expect(planned!.case.state).toBe('escalated');
    expect(planned!.case.breached).toBe(true);
    expect(planned!.write.entries.map((e) => e.type)).toEqual(['TIMER_FIRED', 'SLA_BREACHED']);
    expect(planned!.write.entries[0].payload).toEqual({ kind: 'refund_due', dueAt: timer.due_at });
    expect(planned!.metrics.breaches).toEqual(['refund_due']);
    const fired = planned!.case.deadlines.find((t) => t.id === timer.id);
    expect(fired).toMatchObject({ fired_at: now.toISOString(), breached: true });
    expect(clock.asked.every((a) => a.from.getTime() === new Date(timer.due_at).getTime())).toBe(
      true,
    );
    expect(timer.fired_at).toBeNull();
  });

  it('is null for a timer the machine no longer expects (the caller cancels it)', () => {
    const loaded = openOversize();
    const result = planEvent(
      loaded,
      {
        type: 'REFUNDED',
        payload: { amount: '10.00', currency: 'EUR' },
        actor: { kind: 'supplier', id: SUPPLIER },
      },
      clockAt(OPENED_AT),
    );
    if (!result.ok) throw new Error('REFUNDED refused');

    expect(planTimer(result.planned.case, loaded.deadlines[0], clockAt(OPENED_AT))).toBeNull();
  });
});

describe('planEntry', () => {
  it('appends one entry with no change of state', () => {
    const loaded = openOversize();
    const entry = {
      type: 'EVIDENCE_ADDED',
      actor: { kind: 'merchant' as const, id: MERCHANT },
      fromState: loaded.state,
      toState: loaded.state,
      payload: { kind: 'photo' },
    };

    const { case: next, write } = planEntry({ ...loaded, evidence_count: 1 }, entry, OPENED_AT);

    expect(next).toMatchObject({ version: 2, state: 'refund_pending', evidence_count: 1 });
    expect(write).toMatchObject({
      expectedVersion: 1,
      cancelTimerIds: [],
      schedule: [],
      fired: null,
    });
    expect(write.row.evidenceCount).toBe(1);
    expect(loaded.version).toBe(1);
  });
});

describe('nextDue and withTimerIds', () => {
  it('nextDue is the earliest live timer due at the time, if any', () => {
    const loaded = openOversize();
    const [first, second] = loaded.deadlines;

    expect(nextDue(loaded, OPENED_AT)).toBeUndefined();
    expect(nextDue(loaded, new Date(first.due_at))).toBe(first);
    const earlier = { ...loaded, deadlines: [second, { ...first, due_at: second.due_at }] };
    expect(nextDue(earlier, new Date(second.due_at))).toBe(second);
    const fired = { ...loaded, deadlines: [{ ...first, fired_at: first.due_at }] };
    expect(nextDue(fired, new Date(first.due_at))).toBeUndefined();
  });

  it('withTimerIds gives scheduled timers the ids the statement returned', () => {
    const loaded = openOversize();

    expect(loaded.deadlines.map((t) => t.id)).toEqual(['1', '2']);
    expect(withTimerIds(loaded, new Map())).toBe(loaded);
  });
});
