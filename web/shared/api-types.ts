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
  url: string;
  description: string | null;
  createdAt: string;
}

export interface CaseView {
  id: string;
  merchantId: string;
  supplierId: string;
  type: string;
  state: string;
  status: 'open' | 'closed';
  outcome: string | null;
  order: { ref?: string } | null;
  evidence: Evidence[];
  deadlines: Deadline[];
  breached: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
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
