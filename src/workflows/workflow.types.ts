/**
 * The vocabulary shared by the pure workflows and the rest of Redress.
 *
 * Names here are the public contract (spec/workflows.md, spec/api.md): spelled exactly as there so
 * that a grep finds every use. Nothing in src/workflows/ does I/O or reads a clock: time comes in
 * on events (`at`), and everything a machine wants done comes back as {@link Effect} data that the
 * case service carries out inside the event's database transaction.
 */

import type { WorkflowContext } from './fragments/machine-setup';

export const CASE_TYPES = [
  'out_of_stock',
  'oversize',
  'late_shipment',
  'unresponsive_supplier',
  'customs_delay',
  'wrong_item',
  'missing_item',
  'damaged_item',
  'address_error',
  'buyer_cancellation',
  'lost_parcel',
  'payment_dispute',
] as const;
export type CaseType = (typeof CASE_TYPES)[number];

/** The claim types: evidence, the supplier's verification, then the resolution it owes. */
export const CLAIM_TYPES = ['wrong_item', 'missing_item', 'damaged_item'] as const;
export type ClaimType = (typeof CLAIM_TYPES)[number];

export function isClaimType(type: string): type is ClaimType {
  return (CLAIM_TYPES as readonly string[]).includes(type);
}

export type Phase = 'pre_shipment' | 'post_shipment';
export type CaseStatus = 'open' | 'closed';
/** Who acts on a case; `buyer` only through a buyer link (evidence.md), and sends no workflow event. */
export type ActorKind = 'merchant' | 'supplier' | 'ops' | 'system' | 'buyer';
export type Resolution = 'reship' | 'refund';

export const TIMER_KINDS = [
  'supplier_response',
  'refund_due',
  'resolution_due',
  'customs_due',
  'late_2d',
  'late_4d',
  'evidence_due',
  'appeal_due',
  'customs_reminder',
  'verification_due',
  'decision_reminder',
  'ops_due',
  'carrier_due',
  'external_due',
  'platform_window',
  'buyer_response',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** Timers that are promises to someone: when one fires, the promise was missed (a breach). */
export const BREACH_TIMER_KINDS: readonly TimerKind[] = [
  'supplier_response',
  'refund_due',
  'resolution_due',
  'customs_due',
  'verification_due',
  'ops_due',
  'external_due',
  'buyer_response',
];

/**
 * Breach kinds counted against nobody (lost-and-disputed.md): customs delays are nobody's promise,
 * and a marketplace's buyer-protection window closing is shown to the merchant, not held against
 * it. The case still escalates or shows the breach. `platform_window` breaches only when the
 * window itself closes (its timer first fires 48 h before, as a notice), so it is not in
 * BREACH_TIMER_KINDS: its machine records the breach itself.
 */
export const UNATTRIBUTED_BREACH_KINDS: readonly TimerKind[] = ['customs_due', 'platform_window'];

/** The kinds a case's `nextDeadline` (the work queue) is made of: those that breach or warn. */
export const QUEUE_TIMER_KINDS: readonly TimerKind[] = [...BREACH_TIMER_KINDS, 'platform_window'];

/**
 * The party each deadline holds to: who must act before it (a warning goes to them before the
 * kinds that can breach), and whose deadline a notification's `deadline` names. Reminders
 * (`customs_reminder`, `decision_reminder`) hold no one.
 */
export const DEADLINE_PARTIES: Partial<Record<TimerKind, NotifiedParty>> = {
  supplier_response: 'supplier',
  refund_due: 'supplier',
  resolution_due: 'supplier',
  verification_due: 'supplier',
  late_2d: 'supplier',
  late_4d: 'supplier',
  customs_due: 'merchant',
  evidence_due: 'merchant',
  appeal_due: 'merchant',
  ops_due: 'ops',
  carrier_due: 'supplier',
  external_due: 'merchant',
  platform_window: 'merchant',
  buyer_response: 'merchant',
};

export const OUTCOMES = [
  'withdrawn',
  'refunded',
  'reshipped',
  'force_closed',
  'supplier_switched',
  'shipped',
  'supplier_responded',
  'cleared',
  'expired',
  'rejected',
  'address_corrected',
  'ineligible',
  'intercepted_refunded',
  'not_intercepted',
  /** lost_parcel: the parcel was found (`FOUND`) or delivered (`DELIVERED`). */
  'found',
  'delivered',
  /** payment_dispute: the platform's decision, or the merchant conceded. */
  'won',
  'lost',
  'accepted',
  /** money.md: the merchant accepted a partial refund (`ACCEPT_PARTIAL`); the rest is written off. */
  'partially_refunded',
  /** money.md (version 2): ops' `FORCE_REFUND`, a merchant loss, not a supplier refund. */
  'written_off',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const NOTIFICATION_TYPES = [
  'supplier.case_opened',
  'supplier.refund_requested',
  'supplier.verification_requested',
  'supplier.interception_requested',
  'supplier.nudge',
  /** Verification confirmed: the supplier now owes the chosen resolution (reship or refund). */
  'supplier.resolution_requested',
  'supplier.case_closed',
  /** A message from the merchant (or ops) on the case's thread. */
  'supplier.message',
  /** 24 h before a deadline the supplier is under (collaboration.md). */
  'supplier.deadline_warning',
  /** A case Redress opened by itself (intake.md): `openedBy: "system"` and the reason. */
  'merchant.case_opened',
  'merchant.decision_required',
  /** The merchant has had a decision to make for 3 days. */
  'merchant.decision_reminder',
  /** A message from the supplier (or ops) on the case's thread. */
  'merchant.message',
  'merchant.deadline_warning',
  'merchant.customs_reminder',
  'merchant.verification_rejected',
  'merchant.escalated',
  'merchant.case_closed',
  /** 48 h before a marketplace's buyer-protection window closes (`platformWindow`). */
  'merchant.platform_window_closing',
  /** A refund below what is claimed (money.md): the body says what is still owed. */
  'merchant.partial_refund',
  /** 24 h before `ops_due`: ops has no endpoint, the row is its queue (GET /v1/notifications). */
  'ops.deadline_warning',
  /** The buyer sent a statement or evidence through the buyer link (evidence.md). */
  'merchant.buyer_evidence',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export type NotifiedParty = 'merchant' | 'supplier' | 'ops';

/** Who a case's facts hold liable (lost-and-disputed.md); ops may change it (`SET_LIABILITY`). */
export const LIABILITIES = ['supplier', 'carrier', 'merchant', 'buyer', 'undetermined'] as const;
export type Liability = (typeof LIABILITIES)[number];

/** The platforms of a payment dispute or a buyer-protection window. */
export const PLATFORMS = [
  'stripe',
  'paypal',
  'shopify_payments',
  'aliexpress',
  'amazon',
  'ebay',
  'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Whom an open case waits on now (collaboration.md); null once closed. */
export type WaitingOn = 'merchant' | 'supplier' | 'ops';

/** The versions a machine exists in; a case keeps the one it was opened with. */
export const WORKFLOW_VERSIONS = [1, 2] as const;
export type WorkflowVersion = (typeof WORKFLOW_VERSIONS)[number];
export const CURRENT_WORKFLOW_VERSION: WorkflowVersion = 2;

/** An order as the merchant gives it when opening a case (Redress is not an order system). */
export interface OrderSnapshot {
  ref: string;
  placedAt: string;
  /** YYYY-MM-DD: by the end of this day, supplier's timezone, the supplier promised to ship. */
  promisedShipBy?: string | null;
  shippedAt?: string | null;
  trackingNumber?: string | null;
  originCountry: string;
  destinationCountry: string;
  items: { sku: string; quantity: number; unitPrice: string }[];
  total: { amount: string; currency: string };
}

/**
 * When a timer is due, as a rule the case service resolves with the calendars it knows.
 * Rules count from the instant of the event that scheduled the timer (`at`), unless they name a date.
 */
export type DueRule =
  | { rule: 'hours_after'; hours: number }
  | { rule: 'calendar_days_after'; days: number }
  | { rule: 'business_days_after'; days: number; calendar: 'supplier' | 'merchant' }
  /** End (23:59:59.999) of the local day `date` + `days`, in the supplier's timezone. */
  | { rule: 'end_of_day_after_date'; date: string; days: number; calendar: 'supplier' }
  /** `hours` before an instant given at opening (a platform's `dueBy`, a window's `closesAt`). */
  | { rule: 'hours_before_instant'; at: string; hours: number };

export type Effect =
  | { type: 'schedule_timer'; kind: TimerKind; due: DueRule }
  | { type: 'cancel_timer'; kind: TimerKind }
  | { type: 'notify'; party: NotifiedParty; notification: NotificationType }
  | { type: 'mark_breach'; kind: TimerKind };

/** What the case service knows of the evidence attached to a case when an event arrives. */
export interface EvidenceFacts {
  /** Evidence items of kind photo or video. */
  photoOrVideo: number;
  /** All evidence items, any kind. */
  total: number;
}

/** An event as the pure workflow sees it. Timers arrive as `TIMER_FIRED` with `payload.kind`. */
export interface WorkflowEvent {
  type: string;
  payload?: Record<string, unknown>;
  actor: ActorKind;
  /** ISO 8601 instant at which the event is applied (the server's clock). */
  at: string;
  evidence?: EvidenceFacts;
  /** What the case service knows of the case's money when a refund arrives (money.md). */
  money?: MoneyFacts;
}

/** A refund's effect on what is owed, read from the case before the event. */
export interface MoneyFacts {
  /** The refund reaches what is still owed: it completes the claim (missing counts as true). */
  refundCompletes: boolean;
}

export interface OpenCaseInput {
  type: CaseType;
  order: OrderSnapshot;
  /** ISO 8601 instant of opening. */
  openedAt: string;
  preferredResolution?: Resolution | null;
  /** payment_dispute: the platform's dispute; `dueBy` ends the merchant's time to answer. */
  external?: { platform: Platform; reference: string; dueBy: string } | null;
  /** Any case: the marketplace's buyer-protection window (closes at `closesAt`). */
  platformWindow?: { platform: Platform; closesAt: string } | null;
  /** address_error: whose data the address came from (`buyer` or `merchant`). */
  source?: 'buyer' | 'merchant' | null;
  /**
   * The order shipped by the end of `promisedShipBy` in the supplier's timezone (the case service
   * knows the calendar); absent: compared by date in UTC.
   */
  shippedOnTime?: boolean | null;
}

/** One accepted step of a workflow: what the case becomes and what must be done. */
export interface WorkflowStep {
  /** JSON-safe persisted XState snapshot, stored as JSONB. */
  snapshot: unknown;
  /** Machine state as a string, nested states joined by '.'. */
  state: string;
  status: CaseStatus;
  outcome: Outcome | null;
  phase: Phase;
  effects: Effect[];
  /** The new snapshot's context (resolutions, appeals...), read from the snapshot once. */
  context: WorkflowContext;
  /** Whom the case waits on in the new state (its `meta.waitingOn`); null once closed. */
  waitingOn: WaitingOn | null;
  /** The events the new state accepts, for that actor when one is given (see allowedEvents). */
  allowedEvents: (actor?: ActorKind) => string[];
  /** Free-text reason recorded on the timeline (e.g. why a case closed as ineligible). */
  reason?: string;
}

export type WorkflowRefusal =
  | { error: 'invalid_transition'; state: string; allowedEvents: string[] }
  | { error: 'evidence_required'; state: string; allowedEvents: string[]; message: string }
  | { error: 'forbidden'; state: string; allowedEvents: string[] };

export type ApplyResult = ({ ok: true } & WorkflowStep) | ({ ok: false } & WorkflowRefusal);

/** A bad field of an event payload or an order, as the contract's `details` list wants it. */
export interface FieldProblem {
  field: string;
  problem: string;
}
