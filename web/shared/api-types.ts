/**
 * The parts of the API's answers that the pages read, as spec/api.md names them (the server's
 * own shapes: `src/cases/case.view.ts`, `src/timeline/timeline.service.ts`,
 * `src/workflows/workflow.describe.ts`). Times are ISO 8601 strings in UTC.
 */

/** `{statusCode, error, message, details?}`: every refusal, whatever its status. */
export interface ErrorBody {
  statusCode?: number;
  error?: string;
  message?: string;
  details?: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor?: string | null;
}

export interface Deadline {
  kind: string;
  dueAt: string;
  firedAt: string | null;
  breached: boolean;
}

export interface Evidence {
  id: string;
  kind: string;
  /** An https link, or where an upload is stored (read its bytes at `contentUrl`). */
  url: string;
  /** An upload's type, read from its bytes; null for a link. */
  contentType?: string | null;
  size?: number | null;
  /** `/v1/cases/<id>/evidence/<evidenceId>/content` for an upload; null for a link. */
  contentUrl?: string | null;
  description: string | null;
  addedBy?: { kind: string; id?: string | null } | null;
  createdAt: string;
}

/** An order line: `unitPrice` a decimal string in the order's currency. */
export interface OrderItem {
  sku: string;
  quantity: number;
  unitPrice: string;
}

export interface Money {
  amount: string;
  currency: string;
}

/** The order a case keeps a copy of (workflows.md's order shape). */
export interface OrderSnapshot {
  ref: string;
  placedAt: string;
  promisedShipBy?: string | null;
  shippedAt?: string | null;
  trackingNumber?: string | null;
  originCountry: string;
  destinationCountry: string;
  items: OrderItem[];
  total: Money;
}

/** `GET /v1/orders?ref=`: a merchant's order (src/orders/order.view.ts). */
export interface OrderView extends OrderSnapshot {
  id: string;
  merchantId: string;
  supplierId: string | null;
}

/** What a case claims from the supplier (money.md, "The claim"). */
export interface Claim {
  items: { sku: string; quantity: number }[];
  amount: string;
  currency: string;
}

export interface CaseView {
  id: string;
  merchantId: string;
  supplierId: string;
  type: string;
  state: string;
  status: 'open' | 'closed';
  outcome: string | null;
  order: ({ ref?: string } & Partial<OrderSnapshot>) | null;
  evidence: Evidence[];
  deadlines: Deadline[];
  breached: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The events the caller's role may send now (none once closed). */
  allowedEvents?: string[];
  /** Who must act now: `merchant`, `supplier`, `ops`, or null. */
  waitingOn?: string | null;
  /** The earliest live deadline that can breach or warn, with the party it holds. */
  nextDeadline?: { kind: string; dueAt: string; party: string | null } | null;
  claim?: Claim;
  description?: string | null;
  liability?: string;
  closedAt?: string | null;
}

/** `GET /v1/cases/:id/ledger` (money.md): amounts are decimal strings in `currency`. */
export interface Ledger {
  caseId: string;
  currency: string;
  claimed: string;
  supplierRefunded: string;
  outstanding: string;
  buyerRefunded: string;
  writtenOff: string;
  net: string;
  entries: { seq: number; at: string; kind: string; amount: string; reference: string | null }[];
}

/** `GET /v1/merchants/:id/receivables`: one row per supplier and currency. */
export interface Receivable {
  supplierId: string;
  supplierName: string;
  currency: string;
  claimed: string;
  refunded: string;
  outstanding: string;
  overdue: string;
  writtenOff: string;
  openCases: number;
  lastActivityAt: string | null;
}

/** `GET /v1/merchants/me` and `/v1/merchants/:id`. */
export interface Merchant {
  id: string;
  name: string;
  country: string;
  language: string | null;
}

/** `POST /v1/cases/:id/supplier-link` and `/buyer-link`: the token shows once. */
export interface CreatedLink {
  url: string;
  token: string;
  expiresAt: string;
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  actor: { kind: string; id?: string | null };
  fromState: string | null;
  toState: string | null;
  payload: unknown;
}

export interface Timeline {
  caseId: string;
  events: TimelineEntry[];
  integrity: { valid: boolean; head: string | null; brokenAt?: number; problem?: string };
}

export interface Notification {
  type: string;
  party: string;
  state: string;
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
}

export interface WorkflowSummary {
  type: string;
  /** The payload fields of each event: any other field is refused (400). */
  payloads?: Record<string, { required: string[]; optional: string[] }>;
}

export interface WorkflowDescription extends WorkflowSummary {
  initialStates: string[];
  states: string[];
  finalStates: string[];
  mermaid: string;
}

/** A message of a case's thread (collaboration.md). */
export interface Message {
  seq: number;
  at: string;
  from: { kind: string; id: string | null };
  text: string;
}

/** What a link's page may send: an event with its payload fields (src/collaboration/portal.view.ts). */
export interface PortalForm {
  type: string;
  required: string[];
  optional: string[];
}

/** `GET /v1/portal/<token>`: the supplier's view of one case (src/collaboration/portal.view.ts). */
export interface PortalView {
  caseId: string;
  language: string;
  type: string;
  state: string;
  status: 'open' | 'closed';
  outcome: string | null;
  version: number;
  waitingOn: string | null;
  firstSupplierResponseAt: string | null;
  order: {
    ref: string | null;
    items: { sku: string; quantity: number; unitPrice?: string }[];
    shipToCountry: string | null;
    originCountry: string | null;
    trackingNumber: string | null;
  };
  problem: { type: string; description: string | null; preferredResolution: string | null };
  allowedEvents: string[];
  forms: PortalForm[];
  evidence: {
    id: string;
    kind: string;
    description: string | null;
    sha256: string | null;
    url: string | null;
    contentUrl: string | null;
    createdAt: string;
  }[];
  messages: Message[];
  deadlines: { kind: string; dueAt: string }[];
  linkExpiresAt: string;
}

/** `GET /v1/buyer/<token>`: the buyer's view (src/collaboration/buyer.view.ts). */
export interface BuyerView {
  language: string;
  type: string;
  status: 'open' | 'closed';
  items: { sku: string; quantity: number }[];
  sent: (
    | { kind: 'statement'; seq: number; at: string; text: string; items: string[] | null }
    | {
        kind: 'evidence';
        seq: number;
        at: string;
        evidenceId: string;
        evidenceKind: string;
        contentType: string | null;
      }
  )[];
  uploadsLeft: number;
  linkExpiresAt: string;
}
