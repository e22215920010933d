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
import { setLiability } from './liability';
import {
  cancelIfLive,
  clearSupplierResponse,
  onTimer,
  scheduleWith,
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
    if (version >= 2 && context.windowClosesAt) enqueue(schedule('platform_window'));
    if (involvesSupplier(context.caseType)) enqueue(notify('supplier', 'supplier.case_opened'));
  });
}

/** A payment dispute is between the merchant and its payment platform: the supplier is not told. */
function involvesSupplier(type: string): boolean {
  return type !== 'payment_dispute';
}

/** The one final state. A case closed at opening was never shown to the supplier. */
export const closedState: WorkflowStateConfig = {
  type: 'final',
  entry: [
    releaseAllTimers,
    enqueueActions(({ context, enqueue }) => {
      enqueue(notify('merchant', 'merchant.case_closed'));
      if (context.outcome !== 'ineligible' && involvesSupplier(context.caseType))
        enqueue(notify('supplier', 'supplier.case_closed'));
    }),
  ],
};

/** What a timer does when it fires; `escalate`: to `escalated` (with `actions` first, if any). */
type OnTimer =
  | Pick<WorkflowTransition, 'target' | 'actions'>
  | 'escalate'
  | { escalate: true; actions: WorkflowAction[] };

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

    const common = version >= 2 ? LATER_COMMON : { on: {}, timers: {} };
    const timers = {
      supplier_response: {},
      ...common.timers,
      ...config.timers,
      ...extra.timers,
    } as Record<TimerKind, OnTimer>;
    const timerTransitions = (Object.keys(timers) as TimerKind[]).flatMap((kind) => {
      const then = timers[kind];
      if (then === 'escalate') return [onTimer(kind, toEscalated)];
      if ('escalate' in then)
        return [
          onTimer(kind, { ...toEscalated, actions: [...then.actions, ...toEscalated.actions] }),
        ];
      return kind === 'platform_window' ? platformWindowTransitions : [onTimer(kind, then)];
    });

    const on: Record<string, WorkflowTransition[]> = {
      WITHDRAW: [close('withdrawn')],
      NOTE: [{}],
      MESSAGE: [messageTransition],
      ACKNOWLEDGED: [{}],
      ...(config.escalate === false ? {} : { ESCALATE: [toEscalated] }),
      ...common.on,
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
 * `platform_window` fires twice: 48 h before the marketplace's buyer-protection window closes, a
 * notice to the merchant (`merchant.platform_window_closing`) and the timer re-armed for the
 * closing itself; then, if the case is still open when the window closes, a breach (kind
 * `platform_window`, counted against nobody: UNATTRIBUTED_BREACH_KINDS). No change of state.
 */
const platformWindowTransitions: WorkflowTransition[] = [
  {
    ...onTimer('platform_window', {
      actions: [{ type: 'record', params: { type: 'mark_breach', kind: 'platform_window' } }],
    }),
    guard: {
      type: 'timerFiredAfterNotice',
      params: { kind: 'platform_window' },
    },
  },
  onTimer('platform_window', {
    actions: [
      notify('merchant', 'merchant.platform_window_closing'),
      assign({ windowNoticeSent: true }),
      enqueueActions(({ context, enqueue }) =>
        enqueue(
          scheduleWith('platform_window', {
            rule: 'hours_before_instant',
            at: context.windowClosesAt ?? '',
            hours: 0,
          }),
        ),
      ),
    ],
  }),
];

/**
 * What every open state accepts from version 2 on (lost-and-disputed.md): ops' `SET_LIABILITY`;
 * the buyer's 24 hours (`BUYER_CONTACTED` starts `buyer_response` unless it runs already, the
 * merchant's `BUYER_ANSWERED` clears it; its firing is the merchant's breach, no change of
 * state); the buyer-protection window's timer.
 */
const LATER_COMMON: {
  on: Record<string, WorkflowTransition[]>;
  timers: Partial<Record<TimerKind, OnTimer>>;
} = {
  on: {
    SET_LIABILITY: [setLiability],
    BUYER_CONTACTED: [
      {
        actions: [
          enqueueActions(({ context, enqueue }) => {
            if (!context.timers.includes('buyer_response')) enqueue(schedule('buyer_response'));
          }),
        ],
      },
    ],
    BUYER_ANSWERED: [{ actions: [cancelIfLive('buyer_response')] }],
  },
  timers: { buyer_response: {}, platform_window: {} },
};

/**
 * `escalated`: an ops queue. Ops closes it with `FORCE_REFUND`, `FORCE_RESHIP` or `FORCE_CLOSE`;
 * the supplier events that closed the state it was escalated from still close it; `closers`: what
 * else closes it in a machine (a payment dispute's decision). Version 2 (money.md): `FORCE_REFUND`
 * closes as `written_off`, and a partial `REFUNDED` stays here.
 */
export function escalatedState(closers: Record<string, WorkflowTransition> = {}): StateBuilder {
  return openState('escalated', {
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
      ...closers,
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
}
