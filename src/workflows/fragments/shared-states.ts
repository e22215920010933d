/**
 * What every case shares: opening effects, the events every open state accepts (`WITHDRAW`,
 * `NOTE`, `MESSAGE`, `ACKNOWLEDGED`, `ESCALATE`, and the `supplier_response` timer), closing, and
 * the `escalated` state.
 * Every open state of every machine is built with {@link openState}, so none can forget them.
 */
import type {
  NotifiedParty,
  NotificationType,
  Outcome,
  TimerKind,
  WaitingOn,
  WorkflowVersion,
} from '../workflow.types';
import {
  assign,
  enqueueActions,
  ESCALATION_CLOSING_EVENTS,
  type WorkflowAction,
  type WorkflowStateConfig,
  type WorkflowTransition,
} from './machine-setup';
import {
  clearSupplierResponse,
  onTimer,
  releaseAllTimers,
  releaseTimersFor,
  endSupplierWait,
  schedule,
  startSupplierClock,
} from './timers';

export function notify(party: NotifiedParty, notification: NotificationType): WorkflowAction {
  return { type: 'record', params: { type: 'notify', party, notification } };
}

/**
 * Closes the case with an outcome; `refund_outcome` is the one the refund leg was started for
 * (`refunded`, `supplier_switched` or `intercepted_refunded`).
 */
export function close(outcome: Outcome | 'refund_outcome'): WorkflowTransition {
  return {
    target: 'closed',
    actions: [
      assign({
        outcome: ({ context }) => (outcome === 'refund_outcome' ? context.refundOutcome : outcome),
      }),
    ],
  };
}

/**
 * Root entry: a case that opens (and does not close at once as ineligible) is shown to the
 * supplier. In version 1 its `supplier_response` clock starts with it, case-wide; from version 2
 * the states that wait on the supplier start it (see {@link openState}).
 */
export function openingEffects(version: WorkflowVersion): WorkflowAction {
  return enqueueActions(({ context, enqueue }) => {
    if (context.ineligibleReason !== null) return;
    if (version === 1) enqueue(schedule('supplier_response'));
    enqueue(notify('supplier', 'supplier.case_opened'));
  });
}

/** The one final state. A case closed at opening was never shown to the supplier. */
export const closedState: WorkflowStateConfig = {
  type: 'final',
  entry: [
    releaseAllTimers,
    enqueueActions(({ context, enqueue }) => {
      enqueue(notify('merchant', 'merchant.case_closed'));
      if (context.outcome !== 'ineligible') enqueue(notify('supplier', 'supplier.case_closed'));
    }),
  ],
};

/**
 * A refund below what is still owed (version 2, money.md): recorded, the state and its deadline
 * stay, and the merchant hears what is still owed.
 */
export const partialRefund: WorkflowTransition = {
  actions: [assign({ partialRefund: true }), notify('merchant', 'merchant.partial_refund')],
};

/**
 * Version 2's `REFUNDED` where a refund closed the case in version 1: the refund that reaches
 * the claim closes it as before, a smaller one is {@link partialRefund}.
 */
export function refundedV2(outcome: Outcome | 'refund_outcome'): WorkflowTransition[] {
  return [{ guard: 'refundCompletes', ...close(outcome) }, partialRefund];
}

/**
 * `ACCEPT_PARTIAL` (version 2, money.md), in the states where a refund can be partial: the
 * merchant settles for what was refunded; the rest is written off.
 */
export const acceptPartial: WorkflowTransition = {
  guard: 'partialRefundExists',
  ...close('partially_refunded'),
};

type OnTimer = Pick<WorkflowTransition, 'target' | 'actions'> | 'escalate';

/** A state as each version of its machine has it (null: not in that version). */
export type StateBuilder = (version: WorkflowVersion) => WorkflowStateConfig | null;

interface StateParts {
  entry?: WorkflowAction[];
  on?: Record<string, WorkflowTransition | WorkflowTransition[]>;
  /** What each timer this state accepts does when it fires; `escalate`: to `escalated`. */
  timers?: Partial<Record<TimerKind, OnTimer>>;
}

export interface OpenStateConfig extends StateParts {
  /** Whom the case waits on in this state (the case's `waitingOn`). */
  waitingOn: WaitingOn;
  /** False for `escalated` itself. */
  escalate?: boolean;
  /** What version 2 adds: entry actions after the others; events and timers replace by name. */
  v2?: StateParts;
  /** The first version that has this state. */
  since?: WorkflowVersion;
}

/** Remembers where an escalation came from, and which supplier events closed that state. */
function escalateFrom(state: string, closers: string[]): WorkflowAction[] {
  return [assign({ escalatedFrom: state, escalationClosers: closers })];
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * Puts `clearSupplierResponse` first on a transition, so that any supplier event answers. (It also
 * gives a bare `NOTE` an action: XState's `can()` counts a targetless transition only if it has one.)
 */
function answering(transition: WorkflowTransition): WorkflowTransition {
  const actions = asArray(transition.actions as WorkflowAction | WorkflowAction[] | undefined);
  return { ...transition, actions: [clearSupplierResponse, ...actions] };
}

/**
 * `MESSAGE`: the thread's entry; no change of state. It tells the other side: the supplier's
 * message goes to the merchant, the merchant's to the supplier, ops' to both.
 */
export const messageTransition: WorkflowTransition = {
  actions: [
    enqueueActions(({ event, enqueue }) => {
      if (event.actor !== 'merchant') enqueue(notify('merchant', 'merchant.message'));
      if (event.actor !== 'supplier') enqueue(notify('supplier', 'supplier.message'));
    }),
  ],
};

/**
 * An open state: its own events and timers, plus what every open case accepts (`WITHDRAW`,
 * `NOTE`, `MESSAGE`, `ACKNOWLEDGED`, `ESCALATE`, the `supplier_response` timer). Entering it
 * cancels the live timers that do not belong to it (see TIMER_OWNERS); from version 2, entering a
 * state that waits on the supplier starts the supplier's clock.
 */
export function openState(name: string, config: OpenStateConfig): StateBuilder {
  return (version) => {
    if (version < (config.since ?? 1)) return null;
    const extra: StateParts = version >= 2 ? (config.v2 ?? {}) : {};
    const own = { ...config.on, ...extra.on };
    const closers = ESCALATION_CLOSING_EVENTS.filter((type) =>
      asArray(own[type]).some((t) => t.target === 'closed'),
    );
    const toEscalated = { target: 'escalated', actions: escalateFrom(name, closers) };

    const timers = { supplier_response: {}, ...config.timers, ...extra.timers } as Record<
      TimerKind,
      OnTimer
    >;
    const timerTransitions = (Object.keys(timers) as TimerKind[]).map((kind) => {
      const then = timers[kind];
      return onTimer(kind, then === 'escalate' ? toEscalated : then);
    });

    const on: Record<string, WorkflowTransition[]> = {
      WITHDRAW: [close('withdrawn')],
      NOTE: [{}],
      MESSAGE: [messageTransition],
      ACKNOWLEDGED: [{}],
      ...(config.escalate === false ? {} : { ESCALATE: [toEscalated] }),
      // money.md: what the merchant paid back to its buyer is recorded in any state.
      ...(version >= 2 ? { BUYER_REFUNDED: [{}] } : {}),
    };
    for (const [type, transitions] of Object.entries(own)) on[type] = asArray(transitions);
    on.TIMER_FIRED = timerTransitions;

    const waitsOnSupplier = config.waitingOn === 'supplier';
    const clock = version < 2 ? [] : waitsOnSupplier ? [startSupplierClock] : [endSupplierWait];
    return {
      meta: { waitingOn: config.waitingOn },
      entry: [
        releaseTimersFor({ name, keepsSupplierClock: version === 1 || waitsOnSupplier }),
        ...clock,
        ...(config.entry ?? []),
        ...(extra.entry ?? []),
      ],
      on: Object.fromEntries(
        Object.entries(on).map(([type, transitions]) => [type, transitions.map(answering)]),
      ),
    };
  };
}

/**
 * `escalated`: an ops queue. Ops closes it with `FORCE_REFUND`, `FORCE_RESHIP` or `FORCE_CLOSE`;
 * the supplier events that closed the state it was escalated from still close it. Version 2
 * (money.md): `FORCE_REFUND` closes as `written_off`, and a partial `REFUNDED` stays here.
 */
export const escalatedState: StateBuilder = openState('escalated', {
  waitingOn: 'ops',
  escalate: false,
  entry: [notify('merchant', 'merchant.escalated')],
  on: {
    FORCE_REFUND: close('refunded'),
    FORCE_RESHIP: close('reshipped'),
    FORCE_CLOSE: close('force_closed'),
    REFUNDED: { guard: 'closedEscalatedState', ...close('refund_outcome') },
    RESHIPPED: { guard: 'closedEscalatedState', ...close('reshipped') },
    SHIPPED: { guard: 'closedEscalatedState', ...close('shipped') },
    CLEARED: { guard: 'closedEscalatedState', ...close('cleared') },
  },
  // Ops owes an answer within 2 business days of the merchant's calendar; the case stays here.
  // money.md: a forced refund moves no supplier money (a write-off); a partial refund is recorded.
  v2: {
    entry: [schedule('ops_due')],
    timers: { ops_due: {} },
    on: {
      FORCE_REFUND: close('written_off'),
      ACCEPT_PARTIAL: acceptPartial,
      REFUNDED: [
        { guard: 'escalatedRefundCompletes', ...close('refund_outcome') },
        { guard: 'escalatedPartialRefund', ...partialRefund },
      ],
    },
  },
});
