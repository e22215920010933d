import {
  ActorKind,
  allowedEvents,
  CaseType,
  ON_BEHALF_EVENTS,
  readWorkflowContext,
  waitingOnOf,
} from '../workflows';
import { claimView } from '../money/claim';
import { CaseRow, LoadedCase } from './case.types';
import { nextDeadlineView } from './work-queue';

/** Where an uploaded evidence file's bytes are read (evidence.md). */
export const evidenceContentUrl = (caseId: string, evidenceId: string) =>
  `/v1/cases/${caseId}/evidence/${evidenceId}/content`;

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/**
 * A case as the contract shows it; `allowedEvents` are those the caller's role may send now, and
 * for a merchant `relayableEvents` the supplier's outcomes it may record on the supplier's behalf
 * now (collaboration.md). A
 * case just written carries its step's context and accepted events (`workflow`): its snapshot is
 * not parsed again; a case read from the database is parsed once here.
 */
export function caseView(row: CaseRow & Pick<LoadedCase, 'workflow'>, role: ActorKind) {
  const type = row.type as CaseType;
  const version = row.workflow_version;
  const context = row.workflow?.context ?? readWorkflowContext(type, row.snapshot, version);
  const accepts = (actor: ActorKind) =>
    row.workflow
      ? row.workflow.allowedEvents(actor)
      : allowedEvents(type, row.snapshot, actor, version);
  const waitingOn = row.workflow
    ? row.workflow.waitingOn
    : row.status === 'open'
      ? waitingOnOf(type, row.snapshot, version)
      : null;
  const allowed = row.status === 'open' ? accepts(role) : [];
  return {
    id: row.id,
    merchantId: row.merchant_id,
    supplierId: row.supplier_id,
    /** The merchant sees its case's supplier by name; the supplier record itself is ops-only. */
    supplierName: row.s_name ?? null,
    type: row.type,
    phase: row.phase,
    state: row.state,
    status: row.status,
    outcome: row.outcome,
    allowedEvents: allowed,
    // The supplier's outcomes the merchant may record for it now (onBehalfOfSupplier: true).
    ...(role === 'merchant'
      ? {
          relayableEvents:
            row.status === 'open'
              ? accepts('supplier').filter(
                  (event) =>
                    (ON_BEHALF_EVENTS as readonly string[]).includes(event) &&
                    !allowed.includes(event),
                )
              : [],
        }
      : {}),
    waitingOn,
    order: row.order_snapshot,
    description: row.description,
    buyerLanguage: row.buyer_language,
    preferredResolution: context.chosenResolution ?? context.preferredResolution,
    claim: claimView(row),
    evidence: (row.evidence ?? []).map((e) => ({
      id: e.id,
      kind: e.kind,
      url: e.url,
      contentType: e.content_type,
      size: e.size === null ? null : Number(e.size),
      sha256: e.sha256,
      contentUrl: e.content_type ? evidenceContentUrl(row.id, e.id) : null,
      description: e.description,
      addedBy: e.added_by,
      createdAt: iso(e.created_at),
    })),
    deadlines: (row.deadlines ?? []).map((t) => ({
      kind: t.kind,
      dueAt: iso(t.due_at),
      firedAt: iso(t.fired_at),
      breached: t.breached,
    })),
    breached: row.breached,
    liability: row.liability ?? 'undetermined',
    nextDeadline: nextDeadlineView(row),
    ...(row.external ? { external: row.external } : {}),
    ...(row.linked_case_id ? { linkedCaseId: row.linked_case_id } : {}),
    platformWindow: row.platform_window ?? null,
    messages: row.message_count,
    firstSupplierResponseAt: iso(row.first_supplier_response_at),
    version: row.version,
    workflowVersion: row.workflow_version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    closedAt: iso(row.closed_at),
  };
}

export type CaseView = ReturnType<typeof caseView>;
