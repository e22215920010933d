/**
 * What a step of a case writes, computed from values alone: the case as read, the workflow's
 * step, the time and a due-date resolver in; the next case, the one statement's values
 * ({@link StepWrite}), the deadlines, the notifications and the metrics out. Nothing here reads
 * a clock, touches the database or changes its arguments: the case service loads, plans with
 * these functions, writes and answers; the workflows' test driver plans its steps with them too.
 */
import type { CaseCalendars } from '../deadlines/due-date.service';
import type { NotificationValues } from '../notifications/content/case-notification';
import { entryHash } from '../timeline/hash-chain';
import {
  applyEvent,
  isSupplierEvent,
  type CaseType,
  type DueRule,
  type Effect,
  type MoneyFacts,
  type TimerKind,
  type WorkflowRefusal,
  type WorkflowStep,
} from '../workflows';
import {
  workflowActor,
  type Actor,
  type CaseRow,
  type CaseTimer,
  type LoadedCase,
} from './case.types';
import { planMoney } from '../money/money-step';
import { planEffects } from './step-effects';
import { nextDeadlineOf } from './work-queue';
import { withRefundAmount } from './dispute-money';
import type { CaseRowValues, EntryValues, StepWrite } from './step-write';

/** Turns a machine's due rule into an instant (DueDateService.resolve, or a test's stand-in). */
export type DueResolver = (rule: DueRule, from: Date, calendars: CaseCalendars) => Date;

/** The time a step happens at and how its deadlines are counted. */
export interface StepClock {
  now: Date;
  resolveDue: DueResolver;
}

/** A timeline entry before it is numbered and hashed onto the case's chain. */
export interface NewEntry {
  type: string;
  actor: Actor;
  fromState: string | null;
  toState: string | null;
  payload: Record<string, unknown>;
}

/** A step computed in memory, ready to be written by one statement. */
export interface PlannedStep {
  /** The case as it reads once the step is written (timers it schedules have no id yet). */
  case: LoadedCase;
  write: StepWrite;
  /** A timer it scheduled is already due: fire it before the transaction ends. */
  timerDueNow: boolean;
  /** The outbox rows it records (also in `write`). */
  notifications: NotificationValues[];
  /** Recorded once the step is written. */
  metrics: { caseType: string; from: string | null; to: string; breaches: TimerKind[] };
}

/** An event as the planner applies it: already admitted (see event-admission.ts). */
export interface PlannedEvent {
  type: string;
  payload: Record<string, unknown>;
  actor: Actor;
  /** A refund's facts (see admitMoney), for the machine's guards. */
  money?: MoneyFacts;
}

export type EventPlan =
  | { ok: true; planned: PlannedStep }
  | { ok: false; refusal: WorkflowRefusal };

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null };

/** Applies an admitted event with the pure workflow: the step to write, or the refusal. */
export function planEvent(loaded: LoadedCase, event: PlannedEvent, clock: StepClock): EventPlan {
  const result = applyEvent(
    loaded.type as CaseType,
    loaded.snapshot,
    {
      type: event.type,
      payload: event.payload,
      actor: workflowActor(event.actor),
      at: clock.now.toISOString(),
      evidence: { photoOrVideo: loaded.photo_video_count, total: loaded.evidence_count },
      ...(event.money ? { money: event.money } : {}),
    },
    loaded.workflow_version,
  );
  if (!result.ok) return { ok: false, refusal: result };
  const entry: NewEntry = {
    type: event.type,
    actor: event.actor,
    fromState: loaded.state,
    toState: result.state,
    payload: withRefundAmount(event.type, event.payload, loaded.order_snapshot),
  };
  return { ok: true, planned: planStep(loaded, result, entry, clock) };
}

/**
 * Fires one live timer of the case: the step, or null when its machine no longer expects it (the
 * caller cancels it as stale). Deadlines that follow from a timer count from when it was due, so
 * that a clock that jumps (a restart, the test clock) still gives the schedule the rules describe.
 */
export function planTimer(
  loaded: LoadedCase,
  timer: CaseTimer,
  clock: StepClock,
): PlannedStep | null {
  const dueAt = new Date(timer.due_at);
  const result = applyEvent(
    loaded.type as CaseType,
    loaded.snapshot,
    {
      type: 'TIMER_FIRED',
      payload: { kind: timer.kind },
      actor: 'system',
      at: dueAt.toISOString(),
      evidence: { photoOrVideo: loaded.photo_video_count, total: loaded.evidence_count },
    },
    loaded.workflow_version,
  );
  if (!result.ok) return null;
  const entry: NewEntry = {
    type: 'TIMER_FIRED',
    actor: SYSTEM_ACTOR,
    fromState: loaded.state,
    toState: result.state,
    payload: { kind: timer.kind, dueAt: dueAt.toISOString() },
  };
  return planStep(loaded, result, entry, clock, { countFrom: dueAt, fired: timer });
}

/**
 * Computes an accepted step: the next case (state, version, hash chain, deadlines), and the write
 * for it. `countFrom` is what the step's deadlines count from (`now` unless a timer fired); `fired` is
 * the timer the step fires.
 */
export function planStep(
  loaded: LoadedCase,
  step: WorkflowStep,
  entry: NewEntry,
  clock: StepClock,
  timer: { countFrom: Date; fired: CaseTimer } | null = null,
): PlannedStep {
  const now = notBefore(clock.now, loaded);
  const breaches = step.effects
    .filter((e): e is Extract<Effect, { type: 'mark_breach' }> => e.type === 'mark_breach')
    .map((e) => e.kind);
  const entries: NewEntry[] = [entry];
  for (const kind of breaches) {
    entries.push({
      type: 'SLA_BREACHED',
      actor: SYSTEM_ACTOR,
      fromState: step.state,
      toState: step.state,
      payload: { kind },
    });
  }
  const money = planMoney(
    loaded,
    {
      ...loaded,
      snapshot: step.snapshot,
      state: step.state,
      status: step.status,
      outcome: step.outcome,
      phase: step.phase,
      breached: loaded.breached || breaches.length > 0,
      message_count: loaded.message_count + (entry.type === 'MESSAGE' ? 1 : 0),
      first_supplier_response_at:
        loaded.first_supplier_response_at ??
        (isSupplierEvent(workflowActor(entry.actor), entry.type) ? now : null),
      liability: step.context.liability ?? 'undetermined',
      waiting_on: step.waitingOn,
      workflow: {
        context: step.context,
        allowedEvents: step.allowedEvents,
        waitingOn: step.waitingOn,
      },
    },
    entry,
  );
  const { row: next, entries: written } = chain(money.row, entries, now);

  const effects = planEffects({
    next,
    step,
    payload: entry.payload,
    now,
    resolveDue: clock.resolveDue,
    timer,
  });
  const { deadlines, fired, schedule, notifications } = effects;
  const queued = { ...next, ...nextDeadlineOf(deadlines) };

  return {
    case: { ...queued, deadlines },
    write: {
      now,
      row: rowValues(queued),
      expectedVersion: loaded.version,
      entries: written,
      cancelTimerIds: effects.cancelTimerIds,
      fired: fired?.id ? { id: fired.id, breached: fired.breached } : null,
      schedule,
      notifications,
      money: money.write({ ...next, deadlines }),
    },
    timerDueNow: schedule.some((s) => s.dueAt.getTime() <= now.getTime()),
    notifications,
    metrics: { caseType: loaded.type, from: entry.fromState, to: step.state, breaches },
  };
}

/**
 * A step with a timeline entry and no change of state (evidence, feedback): `row` is the case as
 * the entry finds it (its evidence counts already moved, for evidence).
 */
export function planEntry<T extends CaseRow>(
  row: T,
  entry: NewEntry,
  at: Date,
): { case: T; write: StepWrite } {
  const now = notBefore(at, row);
  const money = planMoney(row, row, entry);
  const { row: next, entries } = chain(money.row, [entry], now);
  return {
    case: next,
    write: {
      now,
      row: rowValues(next),
      expectedVersion: row.version,
      entries,
      cancelTimerIds: [],
      fired: null,
      schedule: [],
      notifications: [],
      money: money.write(next),
    },
  };
}

/** A timeline entry that does not change the case's state (evidence, feedback, a link). */
export function sameStateEntry(
  row: CaseRow,
  type: string,
  actor: Actor,
  payload: Record<string, unknown>,
): NewEntry {
  return { type, actor, fromState: row.state, toState: row.state, payload };
}

/** The earliest live timer of the case due at `now`, if any. */
export function nextDue(loaded: LoadedCase, now: Date): CaseTimer | undefined {
  let next: CaseTimer | undefined;
  for (const t of loaded.deadlines) {
    if (t.fired_at !== null) continue;
    const due = new Date(t.due_at).getTime();
    if (due > now.getTime()) continue;
    if (!next || due < new Date(next.due_at).getTime()) next = t;
  }
  return next;
}

/** The case once written: the timers its step scheduled get the ids the statement gave them. */
export function withTimerIds(planned: LoadedCase, scheduled: Map<string, string>): LoadedCase {
  if (scheduled.size === 0) return planned;
  return {
    ...planned,
    deadlines: planned.deadlines.map((t) =>
      t.fired_at === null && scheduled.has(t.kind) ? { ...t, id: scheduled.get(t.kind)! } : t,
    ),
  };
}

/**
 * A case's entries never go back in time (hardening.md): a step is dated at least at the case's
 * last entry (`updated_at` is its `at`), whatever the clock of the instance that writes it says.
 * Taken here, before hashing, since `at` is hashed; the write then carries it, no round trip.
 */
function notBefore(now: Date, row: CaseRow): Date {
  const last = new Date(row.updated_at).getTime();
  return last > now.getTime() ? new Date(last) : now;
}

/** Numbers and hashes the entries onto the case's chain: the case with its new version and hash. */
function chain<T extends CaseRow>(
  row: T,
  entries: NewEntry[],
  now: Date,
): { row: T; entries: EntryValues[] } {
  const at = now.toISOString();
  let version = row.version;
  let lastHash = row.last_hash;
  const values = entries.map((entry): EntryValues => {
    const seq = version + 1;
    const hash = entryHash({
      caseId: row.id,
      seq,
      at,
      type: entry.type,
      actor: entry.actor,
      fromState: entry.fromState,
      toState: entry.toState,
      payload: entry.payload,
      prevHash: lastHash,
    });
    const value: EntryValues = {
      seq,
      type: entry.type,
      actor: entry.actor,
      from_state: entry.fromState,
      to_state: entry.toState,
      payload: entry.payload,
      prev_hash: lastHash,
      hash,
    };
    version = seq;
    lastHash = hash;
    return value;
  });
  const closedAt = row.status === 'closed' ? (row.closed_at ?? now) : null;
  return {
    row: { ...row, version, last_hash: lastHash, updated_at: now, closed_at: closedAt },
    entries: values,
  };
}

function rowValues(row: CaseRow): CaseRowValues {
  return {
    id: row.id,
    snapshot: row.snapshot,
    state: row.state,
    status: row.status,
    outcome: row.outcome,
    phase: row.phase,
    breached: row.breached,
    version: row.version,
    lastHash: row.last_hash,
    evidenceCount: row.evidence_count,
    photoVideoCount: row.photo_video_count,
    messageCount: row.message_count,
    firstSupplierResponseAt: row.first_supplier_response_at,
    liability: row.liability,
    waitingOn: row.waiting_on,
    nextDeadlineAt: row.next_deadline_at,
    nextDeadlineKind: row.next_deadline_kind,
    nextDeadlineParty: row.next_deadline_party,
    supplierRefunded: row.supplier_refunded_minor,
    buyerRefunded: row.buyer_refunded_minor,
    writtenOff: row.written_off_minor,
  };
}
