import type { CaseMoneyColumns } from '../money/case-money';
import type { ClaimRequest } from '../money/claim';
import type {
  ActorKind,
  CaseType,
  Liability,
  NotifiedParty,
  OpenCaseInput,
  OrderSnapshot,
  Resolution,
  TimerKind,
  WaitingOn,
  WorkflowStep,
} from '../workflows';

/**
 * Who acted: on the timeline as `actor: {kind, id}`. A merchant recording a supplier's outcome
 * is `onBehalfOf: "supplier"` (collaboration.md); a supplier through its link is `via: "link"`.
 */
export interface Actor {
  kind: ActorKind;
  id: string | null;
  onBehalfOf?: 'supplier';
  via?: 'link';
}

/** The role the workflow hears an actor as: a merchant acting for the supplier is the supplier. */
export function workflowActor(actor: Actor): ActorKind {
  return actor.onBehalfOf === 'supplier' ? 'supplier' : actor.kind;
}

/**
 * The row of `cases` joined with what applying an event needs of its merchant and supplier; its
 * money columns (the claim, the running totals) are money.md's.
 */
export interface CaseRow extends CaseMoneyColumns {
  id: string;
  merchant_id: string;
  supplier_id: string;
  /** The supplier's name, when the read joined it (every read the API answers with). */
  s_name?: string;
  type: string;
  phase: string;
  machine_id: string;
  workflow_version: number;
  snapshot: unknown;
  state: string;
  status: 'open' | 'closed';
  outcome: string | null;
  order_snapshot: Record<string, unknown>;
  description: string | null;
  buyer_language: string | null;
  preferred_resolution: string | null;
  breached: boolean;
  evidence_count: number;
  photo_video_count: number;
  /** `MESSAGE` entries on the case's thread. */
  message_count: number;
  /** The supplier's first answer of any kind (collaboration.md); null until then. */
  first_supplier_response_at: Date | string | null;
  /** Who the facts hold liable (lost-and-disputed.md); kept by every step. */
  liability: Liability;
  /** Whom the case waits on now (null once closed); kept by every step, for the work queue. */
  waiting_on: WaitingOn | null;
  /** The earliest live deadline that can breach or warn (the work queue); null when none. */
  next_deadline_at: Date | string | null;
  next_deadline_kind: TimerKind | null;
  next_deadline_party: NotifiedParty | null;
  /** payment_dispute: the platform's dispute `{platform, reference, dueBy}`. */
  external: OpenCaseInput['external'];
  /** The marketplace's buyer-protection window `{platform, closesAt}`, when given. */
  platform_window: OpenCaseInput['platformWindow'];
  /** payment_dispute: the supplier case about the same order. */
  linked_case_id: string | null;
  version: number;
  last_hash: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  evidence?: EvidenceRow[];
  deadlines?: TimerRow[];
}

export interface EvidenceRow {
  id: string;
  kind: string;
  /** The older form's link; null for an uploaded file (then `content_type` and `size`). */
  url: string | null;
  content_type: string | null;
  size: number | null;
  sha256: string | null;
  description: string | null;
  added_by: Actor;
  created_at: string;
}

export interface TimerRow {
  kind: string;
  due_at: string;
  fired_at: string | null;
  breached: boolean;
}

/** A timer as read with its case: live (`fired_at` null) or fired; cancelled ones are left out. */
export interface CaseTimer extends TimerRow {
  /** Null only between planning the step that schedules it and the statement that writes it. */
  id: string | null;
  kind: TimerKind;
}

/** What writing a step needs of a case's merchant and supplier. */
export interface Parties {
  m_country: string;
  m_timezone: string | null;
  m_language: string | null;
  m_webhook_url: string | null;
  s_country: string;
  s_timezone: string | null;
  s_webhook_url: string | null;
  /** The supplier's name (the case view's `supplierName`); absent from hand-made rows. */
  s_name?: string;
  /** The supplier's closures, for its business days. */
  closures: { from: string; to: string }[];
}

/**
 * A case as read for writing: the row, its parties and its timers. A planned step returns the
 * next one (see case-step.ts), which is also the answer once written.
 */
export interface LoadedCase extends CaseRow, Parties {
  deadlines: CaseTimer[];
  /** The last planned step's context and accepted events, for the view (no second parse). */
  workflow?: Pick<WorkflowStep, 'context' | 'allowedEvents' | 'waitingOn'>;
}

/**
 * A timeline entry that changes no state (see CaseService.appendFact): its type, actor and
 * payload, the case's counters it moves, and the caller's answer.
 */
export interface Fact<T> {
  type: string;
  actor: Actor;
  payload: Record<string, unknown>;
  counts?: Partial<Pick<CaseRow, 'evidence_count' | 'photo_video_count'>>;
  result: T;
}

/** Limits what a caller may see: a merchant key its merchant's cases, a supplier its own. */
export interface CaseScope {
  merchantId?: string;
  supplierId?: string;
}

export interface OpenCaseCommand {
  type: CaseType;
  merchantId: string;
  supplierId: string;
  order: OrderSnapshot;
  description?: string | null;
  buyerLanguage?: string | null;
  preferredResolution?: Resolution | null;
  external?: OpenCaseInput['external'];
  platformWindow?: OpenCaseInput['platformWindow'];
  linkedCaseId?: string | null;
  /** address_error: whose data the address came from. */
  source?: OpenCaseInput['source'];
  /** The lines and amount claimed from the supplier (money.md); the whole order when absent. */
  claim?: ClaimRequest | null;
  /** Who opened it (a merchant, ops on a merchant's behalf, or the system); on the timeline. */
  actor?: Actor;
  /** Why the system opened it (told to the merchant with `merchant.case_opened`). */
  reason?: string;
}

export interface EventCommand {
  type: string;
  payload?: Record<string, unknown>;
  actor: Actor;
  scope?: CaseScope;
  ifMatch?: number;
}

/** An event delivered by a supplier's webhook: applied once per webhook id. */
export interface WebhookEventCommand extends EventCommand {
  webhook: { supplierId: string; webhookId: string };
}

/** What an accepted event left: `row` is the case as written, with evidence and deadlines. */
export interface EventResult {
  caseId: string;
  state: string;
  version: number;
  row: LoadedCase;
}

/** A webhook's event: applied, or a redelivery of one already applied. */
export type WebhookEventResult =
  | ({ duplicate: false } & EventResult)
  | { duplicate: true; caseId: string };
