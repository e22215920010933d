/**
 * The one XState `setup()` every case machine is built from: the case context, the guards, and a
 * single action, `record`, that only records an {@link Effect} for the case service to carry out.
 * Machines never perform anything: `transition()` hands the recorded effects back as actions.
 */
import { setup } from 'xstate';
import { isSupplierEvent } from '../workflow.events';
import { ineligibleReason, isShipped, phaseOf } from '../workflow.orders';
import { initialLiability } from '../workflow.liability';
import type {
  CaseType,
  Effect,
  EvidenceFacts,
  Liability,
  OpenCaseInput,
  Outcome,
  Phase,
  Resolution,
  TimerKind,
  WorkflowEvent,
} from '../workflow.types';

/** The outcome `REFUNDED` gives in `refund_pending`: it depends on how the refund leg began. */
export type RefundOutcome = Extract<
  Outcome,
  'refunded' | 'supplier_switched' | 'intercepted_refunded'
>;

/** Supplier events that still close an escalated case, when they closed the state it left. */
export const ESCALATION_CLOSING_EVENTS = ['REFUNDED', 'RESHIPPED', 'SHIPPED', 'CLEARED'] as const;

/** Fields added to the context by version 2's later rules; absent from older snapshots. */
export interface LostAndDisputedContext {
  /** Who the facts hold liable (lost-and-disputed.md); absent: `undetermined`. */
  liability?: Liability;
  /** Ops set the liability (`SET_LIABILITY`): the rules no longer change it. */
  liabilityByOps?: boolean;
  /** payment_dispute: when the platform stops accepting the merchant's answer. */
  dueBy?: string | null;
  /** The marketplace's buyer-protection window closes at this instant (`platformWindow`). */
  windowClosesAt?: string | null;
  /** The 48 h notice of the window went out: the timer's next firing is the window closing. */
  windowNoticeSent?: boolean;
}

export const MAX_APPEALS = 1;
/** Customs clearance reminders in all, the one sent at opening included. */
export const MAX_CUSTOMS_REMINDERS = 5;

/** What a case remembers between events (persisted with the snapshot as JSON). */
export interface WorkflowContext extends LostAndDisputedContext {
  caseType: CaseType;
  phase: Phase;
  /** The order had shipped when the case was opened. */
  shipped: boolean;
  promisedShipBy: string | null;
  /** Why the case closed at opening (outcome `ineligible`), else null. */
  ineligibleReason: string | null;
  /** As given at opening (default `refund`). */
  preferredResolution: Resolution;
  /** The merchant's last `CHOOSE_RESOLUTION`, null until one arrives. */
  chosenResolution: Resolution | null;
  refundOutcome: RefundOutcome;
  /** The replacement order of a `SWITCH_SUPPLIER`. */
  replacement: { supplierId: string; orderRef: string } | null;
  appealsUsed: number;
  /** Evidence items on the case when the verification was rejected (an appeal needs more). */
  evidenceAtRejection: number | null;
  /** The state an escalated case left, and the supplier events that closed that state. */
  escalatedFrom: string | null;
  escalationClosers: string[];
  /** Customs reminders sent so far (the opening one included). */
  remindersSent: number;
  /** Timers scheduled and neither fired nor cancelled yet, in scheduling order. */
  timers: TimerKind[];
  /**
   * Version 2: a `supplier_response` clock started in the present wait on the supplier, and the
   * supplier has not answered since (so the wait goes on under that clock, breached or not).
   * Absent from older snapshots: false.
   */
  supplierClockStarted?: boolean;
  /**
   * Version 2 (money.md): a refund below what was claimed was recorded; the merchant may then
   * `ACCEPT_PARTIAL`. Absent from older snapshots: false.
   */
  partialRefund?: boolean;
  outcome: Outcome | null;
}

export function initialContext(input: OpenCaseInput): WorkflowContext {
  const { type, order } = input;
  return {
    caseType: type,
    phase: phaseOf(type, order),
    shipped: isShipped(order),
    promisedShipBy: order.promisedShipBy ?? null,
    ineligibleReason: ineligibleReason(type, order),
    preferredResolution: input.preferredResolution ?? 'refund',
    chosenResolution: null,
    refundOutcome: 'refunded',
    replacement: null,
    appealsUsed: 0,
    evidenceAtRejection: null,
    escalatedFrom: null,
    escalationClosers: [],
    remindersSent: 0,
    timers: [],
    supplierClockStarted: false,
    partialRefund: false,
    outcome: null,
    liability: initialLiability(input),
    liabilityByOps: false,
    dueBy: input.external?.dueBy ?? null,
    windowClosesAt: input.platformWindow?.closesAt ?? null,
    windowNoticeSent: false,
  };
}

/** The event's payload as a record (machines read it defensively: it was validated before). */
export function payloadOf(event: WorkflowEvent): Record<string, unknown> {
  const payload = event.payload;
  return typeof payload === 'object' && payload !== null ? payload : {};
}

export function evidenceOf(event: WorkflowEvent): EvidenceFacts {
  return { photoOrVideo: event.evidence?.photoOrVideo ?? 0, total: event.evidence?.total ?? 0 };
}

export function stringField(event: WorkflowEvent, field: string): string {
  const value = payloadOf(event)[field];
  return typeof value === 'string' ? value : '';
}

export const workflowSetup = setup({
  types: {
    context: {} as WorkflowContext,
    events: {} as WorkflowEvent,
    input: {} as OpenCaseInput,
  },
  guards: {
    /** The timer of this kind fired and is one this case still has running. */
    timerFired: ({ context, event }, params: { kind: TimerKind }) =>
      event.type === 'TIMER_FIRED' &&
      payloadOf(event).kind === params.kind &&
      context.timers.includes(params.kind),
    /** At least one photo or video is attached to the case. */
    hasPhotoOrVideo: ({ event }) => evidenceOf(event).photoOrVideo >= 1,
    /** No appeal used yet, and evidence was added since the rejection. */
    mayAppeal: ({ context, event }) =>
      context.appealsUsed < MAX_APPEALS &&
      evidenceOf(event).total > (context.evidenceAtRejection ?? 0),
    ineligible: ({ context }) => context.ineligibleReason !== null,
    orderShipped: ({ context }) => context.shipped,
    orderUnshipped: ({ context }) => !context.shipped,
    /** The supplier sent it (or ops relayed the supplier's own event): an answer. */
    fromSupplier: ({ event }) => fromSupplier(event),
    /** This supplier event closed the state the case was escalated from. */
    closedEscalatedState: ({ context, event }) => context.escalationClosers.includes(event.type),
    /** This live timer fired after the window's 48 h notice went out: the window closes now. */
    timerFiredAfterNotice: ({ context, event }, params: { kind: TimerKind }) =>
      event.type === 'TIMER_FIRED' &&
      payloadOf(event).kind === params.kind &&
      context.timers.includes(params.kind) &&
      context.windowNoticeSent === true,
    /** The refund reaches what is still owed (money.md); without the facts, it does. */
    refundCompletes: ({ event }) => refundCompletes(event),
    /** As `closedEscalatedState` for a refund, and the refund completes the claim. */
    escalatedRefundCompletes: ({ context, event }) =>
      context.escalationClosers.includes(event.type) && refundCompletes(event),
    /** As `closedEscalatedState` for a refund, and the refund is partial. */
    escalatedPartialRefund: ({ context, event }) =>
      context.escalationClosers.includes(event.type) && !refundCompletes(event),
    /** A partial refund was recorded on the case. */
    partialRefundExists: ({ context }) => context.partialRefund === true,
  },
  actions: {
    /** Records an effect for the case service: nothing runs here, the effect is handed back. */
    record: (_, effect: Effect) => void effect,
  },
});

export type WorkflowStateConfig = Parameters<typeof workflowSetup.createStateConfig>[0];
type TransitionsOf = NonNullable<WorkflowStateConfig['on']>[string];
/** One transition (not an array, not a bare target). */
export type WorkflowTransition = Exclude<NonNullable<TransitionsOf>, string | readonly unknown[]>;
export type WorkflowAction = Exclude<
  NonNullable<WorkflowTransition['actions']>,
  readonly unknown[]
>;

const { enqueueActions, assign } = workflowSetup;
export { assign, enqueueActions };

function refundCompletes(event: WorkflowEvent): boolean {
  return event.money?.refundCompletes ?? true;
}

/** Whether this event is the supplier answering (see {@link isSupplierEvent}). */
export function fromSupplier(event: WorkflowEvent): boolean {
  return isSupplierEvent(event.actor, event.type);
}
