/**
 * What every case shares: opening effects, the events every open state accepts (`WITHDRAW`,
 * `NOTE`, `ESCALATE`, and the `supplier_response` timer), closing, and the `escalated` state.
 * Every open state of every machine is built with {@link openState}, so none can forget them.
 */
import type { NotifiedParty, NotificationType, Outcome, TimerKind } from '../workflow.types';
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
  schedule,
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

/** Root entry: a case that opens (and does not close at once as ineligible) starts its clock. */
export const openingEffects: WorkflowAction = enqueueActions(({ context, enqueue }) => {
  if (context.ineligibleReason !== null) return;
  enqueue(schedule('supplier_response'));
  enqueue(notify('supplier', 'supplier.case_opened'));
});

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

type OnTimer = Pick<WorkflowTransition, 'target' | 'actions'> | 'escalate';

export interface OpenStateConfig {
  entry?: WorkflowAction[];
  on?: Record<string, WorkflowTransition | WorkflowTransition[]>;
  /** What each timer this state accepts does when it fires; `escalate`: to `escalated`. */
  timers?: Partial<Record<TimerKind, OnTimer>>;
  /** False for `escalated` itself. */
  escalate?: boolean;
}

/** Remembers where an escalation came from, and which supplier events closed that state. */
function escalateFrom(state: string, closers: string[]): WorkflowAction[] {
  return [assign({ escalatedFrom: state, escalationClosers: closers })];
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
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
 * An open state: its own events and timers, plus what every open case accepts. Entering it
 * cancels the live timers that do not belong to it (see TIMER_OWNERS).
 */
export function openState(name: string, config: OpenStateConfig = {}): WorkflowStateConfig {
  const own = config.on ?? {};
  const closers = ESCALATION_CLOSING_EVENTS.filter((type) =>
    asArray(own[type]).some((t) => t.target === 'closed'),
  );
  const toEscalated = { target: 'escalated', actions: escalateFrom(name, closers) };

  const timers = { supplier_response: {}, ...config.timers } as Record<TimerKind, OnTimer>;
  const timerTransitions = (Object.keys(timers) as TimerKind[]).map((kind) => {
    const then = timers[kind];
    return onTimer(kind, then === 'escalate' ? toEscalated : then);
  });

  const on: Record<string, WorkflowTransition[]> = {
    WITHDRAW: [close('withdrawn')],
    NOTE: [{}],
    ...(config.escalate === false ? {} : { ESCALATE: [toEscalated] }),
  };
  for (const [type, transitions] of Object.entries(own)) on[type] = asArray(transitions);
  on.TIMER_FIRED = timerTransitions;

  return {
    entry: [releaseTimersFor(name), ...(config.entry ?? [])],
    on: Object.fromEntries(
      Object.entries(on).map(([type, transitions]) => [type, transitions.map(answering)]),
    ),
  };
}

/**
 * `escalated`: an ops queue. Ops closes it with `FORCE_REFUND`, `FORCE_RESHIP` or `FORCE_CLOSE`;
 * the supplier events that closed the state it was escalated from still close it.
 */
export const escalatedState: WorkflowStateConfig = openState('escalated', {
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
});
