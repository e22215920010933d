/**
 * Timers: when each kind is due, which states it belongs to, and the actions that schedule,
 * spend (fired), and cancel them. The live timers are tracked in `context.timers`, so that every
 * cancellation is exact: a timer is cancelled once, only while it is live, and never after it fired.
 */
import { BREACH_TIMER_KINDS, type DueRule, type TimerKind } from '../workflow.types';
import {
  assign,
  enqueueActions,
  fromSupplier,
  type WorkflowAction,
  type WorkflowContext,
  type WorkflowTransition,
} from './machine-setup';

/** Each timer's due rule, counted from the event that scheduled it (spec/workflows.md). */
export function dueRule(kind: TimerKind, context: WorkflowContext): DueRule {
  switch (kind) {
    case 'supplier_response':
      return { rule: 'hours_after', hours: 24 };
    case 'refund_due':
    case 'resolution_due':
      return { rule: 'business_days_after', days: 15, calendar: 'supplier' };
    case 'late_2d':
    case 'late_4d':
      return {
        rule: 'end_of_day_after_date',
        date: context.promisedShipBy ?? '',
        days: kind === 'late_2d' ? 2 : 4,
        calendar: 'supplier',
      };
    case 'evidence_due':
    case 'appeal_due':
      return { rule: 'calendar_days_after', days: 7 };
    case 'customs_due':
      return { rule: 'calendar_days_after', days: 30 };
    case 'customs_reminder':
      return { rule: 'business_days_after', days: 3, calendar: 'merchant' };
    case 'verification_due':
      return { rule: 'business_days_after', days: 3, calendar: 'supplier' };
    case 'decision_reminder':
      return { rule: 'calendar_days_after', days: 3 };
    case 'ops_due':
      return { rule: 'business_days_after', days: 2, calendar: 'merchant' };
    case 'carrier_due':
      return { rule: 'calendar_days_after', days: 7 };
    case 'external_due':
      return { rule: 'hours_before_instant', at: context.dueBy ?? '', hours: 24 };
    case 'platform_window':
      // First the 48 h notice, then (re-armed by its firing) the window's closing itself.
      return {
        rule: 'hours_before_instant',
        at: context.windowClosesAt ?? '',
        hours: context.windowNoticeSent ? 0 : 48,
      };
    case 'buyer_response':
      return { rule: 'hours_after', hours: 24 };
  }
}

/**
 * The states a timer belongs to: entering any other state cancels it. `case` timers belong to the
 * whole case and only closing (or, for `supplier_response`, the supplier's answer) cancels them.
 * `late_4d` belongs to `awaiting_shipment` and `supplier_nudged` together, as a parent state would.
 * `waiting_on_supplier`: from version 2, `supplier_response` belongs to the states that wait on the
 * supplier (collaboration.md): it never runs while the case waits on the merchant or ops.
 */
export const TIMER_OWNERS: Record<TimerKind, 'case' | 'waiting_on_supplier' | readonly string[]> = {
  supplier_response: 'waiting_on_supplier',
  refund_due: ['refund_pending'],
  resolution_due: ['resolution_pending'],
  customs_due: ['awaiting_clearance'],
  customs_reminder: ['awaiting_clearance'],
  late_2d: ['awaiting_shipment'],
  late_4d: ['awaiting_shipment', 'supplier_nudged'],
  evidence_due: ['awaiting_evidence'],
  appeal_due: ['verification_rejected'],
  verification_due: ['awaiting_verification'],
  decision_reminder: ['awaiting_decision', 'supplier_replied'],
  ops_due: ['escalated'],
  carrier_due: ['awaiting_carrier'],
  external_due: ['preparing_response'],
  platform_window: 'case',
  buyer_response: 'case',
};

/** What an entered state keeps of the live timers: its own, and the case's. */
export interface EnteredState {
  name: string;
  /** The state waits on the supplier, or the machine is version 1 (its clock ran case-wide). */
  keepsSupplierClock: boolean;
}

function belongsTo(kind: TimerKind, state: EnteredState): boolean {
  const owners = TIMER_OWNERS[kind];
  if (owners === 'waiting_on_supplier') return state.keepsSupplierClock;
  return owners === 'case' || owners.includes(state.name);
}

/** Schedules a timer (the case service upserts it by kind) and tracks it as live. */
export function schedule(kind: TimerKind): WorkflowAction {
  return enqueueActions(({ context, enqueue }) => {
    enqueue({
      type: 'record',
      params: { type: 'schedule_timer', kind, due: dueRule(kind, context) },
    });
    enqueue.assign({ timers: ({ context: c }) => [...c.timers.filter((k) => k !== kind), kind] });
  });
}

/**
 * Schedules a timer with the due rule given (not read from the context: for a timer that re-arms
 * itself in the same step that changes what its rule reads).
 */
export function scheduleWith(kind: TimerKind, due: DueRule): WorkflowAction {
  return enqueueActions(({ enqueue }) => {
    enqueue({ type: 'record', params: { type: 'schedule_timer', kind, due } });
    enqueue.assign({ timers: ({ context: c }) => [...c.timers.filter((k) => k !== kind), kind] });
  });
}

/** Cancels a live timer of this kind, if there is one (nothing otherwise). */
export function cancelIfLive(kind: TimerKind): WorkflowAction {
  return cancelWhere((k) => k !== kind);
}

/** A timer that fired is spent: nothing is left to cancel. */
function spend(kind: TimerKind): WorkflowAction {
  return assign({ timers: ({ context }) => context.timers.filter((k) => k !== kind) });
}

function cancelWhere(keep: (kind: TimerKind) => boolean): WorkflowAction {
  return enqueueActions(({ context, enqueue }) => {
    const cancelled = context.timers.filter((k) => !keep(k));
    if (cancelled.length === 0) return;
    for (const kind of cancelled)
      enqueue({ type: 'record', params: { type: 'cancel_timer', kind } });
    enqueue.assign({ timers: ({ context: c }) => c.timers.filter(keep) });
  });
}

/** Entry action of every open state: cancels the live timers that do not belong to it. */
export function releaseTimersFor(state: EnteredState): WorkflowAction {
  return cancelWhere((kind) => belongsTo(kind, state));
}

/**
 * Entry action (version 2) of a state that waits on the supplier: the 24 h `supplier_response`
 * clock starts, unless one started in this wait already and the supplier has not answered since
 * (running, or fired: a wait without an answer is breached once, however many states it spans).
 */
export const startSupplierClock: WorkflowAction = enqueueActions(({ context, enqueue }) => {
  if (context.supplierClockStarted) return;
  enqueue(schedule('supplier_response'));
  enqueue.assign({ supplierClockStarted: true });
});

/** Entry action (version 2) of a state that does not wait on the supplier: its wait is over. */
export const endSupplierWait: WorkflowAction = assign({ supplierClockStarted: false });

/** Closing cancels every timer the case still has. */
export const releaseAllTimers: WorkflowAction = cancelWhere(() => false);

/**
 * Any supplier event answers the case: its `supplier_response` timer is cancelled, and the next
 * wait on the supplier starts a clock of its own.
 */
export const clearSupplierResponse: WorkflowAction = enqueueActions(
  ({ context, event, enqueue }) => {
    if (!fromSupplier(event)) return;
    if (context.supplierClockStarted) enqueue.assign({ supplierClockStarted: false });
    if (!context.timers.includes('supplier_response')) return;
    enqueue({ type: 'record', params: { type: 'cancel_timer', kind: 'supplier_response' } });
    enqueue.assign({
      timers: ({ context: c }) => c.timers.filter((k) => k !== 'supplier_response'),
    });
  },
);

/**
 * The transition taken when a live timer of this kind fires. A breach kind records `mark_breach`
 * (the promise was missed) before the transition's own actions.
 */
export function onTimer(
  kind: TimerKind,
  then: Pick<WorkflowTransition, 'target' | 'actions'> = {},
): WorkflowTransition {
  const breach: WorkflowAction[] = BREACH_TIMER_KINDS.includes(kind)
    ? [{ type: 'record', params: { type: 'mark_breach', kind } }]
    : [];
  return {
    guard: { type: 'timerFired', params: { kind } },
    ...(then.target ? { target: then.target } : {}),
    actions: [spend(kind), ...breach, ...actionList(then.actions)],
  };
}

function actionList(actions: WorkflowTransition['actions']): WorkflowAction[] {
  if (actions === undefined) return [];
  return Array.isArray(actions) ? (actions as WorkflowAction[]) : [actions as WorkflowAction];
}
