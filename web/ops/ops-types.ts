/**
 * What the ops console reads besides the shapes every page shares (web/shared/api-types.ts): the
 * case's actions and parties, every deadline, the workflow's payload fields, API keys. The
 * server's shapes: src/cases/case.view.ts, src/cases/case-deadlines.controller.ts,
 * src/workflows/workflow.describe.ts, src/common/auth/api-key.service.ts.
 */
import type { CaseView, Page, WorkflowDescription } from '../shared/api-types';

export interface OpsCase extends CaseView {
  allowedEvents: string[];
  waitingOn: string | null;
  liability: string;
  closedAt: string | null;
  nextDeadline: { kind: string; dueAt: string; party: string | null } | null;
}

/** A page of the case list with `includeTotal=true`. */
export interface CasePage extends Page<OpsCase> {
  total?: number;
}

/** `GET /v1/cases/:id/deadlines`: one deadline, running, fired or cancelled. */
export interface DeadlineRow {
  kind: string;
  dueAt: string;
  setAt: string;
  firedAt: string | null;
  cancelledAt: string | null;
  breached: boolean;
  status: 'pending' | 'fired' | 'cancelled';
}

export interface OpsWorkflow extends WorkflowDescription {
  payloads?: Record<string, { required: string[]; optional: string[] }>;
}

/** A merchant or a supplier, as `GET /v1/merchants` and `GET /v1/suppliers` list them. */
export interface Party {
  id: string;
  name: string;
  country: string;
}

/** An API key as listed: never the key. */
export interface ApiKeyView {
  id: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** An API key just created: `key` is shown this once. */
export interface CreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  role: string;
}
