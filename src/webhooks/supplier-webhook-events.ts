/**
 * The supplier webhook body (api.md "Supplier webhooks"): `{type, caseId, data}`, and the table that
 * turns a webhook `type` into the case event it stands for. Pure: no Nest, no database.
 */
import type { FieldProblem } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { admitEvent } from '../cases/event-admission';
import type { WorkflowEventType } from '../workflows';

/** Webhook `type` -> case event, spelled as in the contract's table. */
export const SUPPLIER_WEBHOOK_EVENTS = {
  'shipment.created': 'SHIPPED',
  // The thread's message (collaboration.md); on an unresponsive_supplier case it is also the reply.
  'message.created': 'MESSAGE',
  'case.acknowledged': 'ACKNOWLEDGED',
  'verification.confirmed': 'VERIFICATION_CONFIRMED',
  'verification.rejected': 'VERIFICATION_REJECTED',
  'refund.completed': 'REFUNDED',
  'reshipment.created': 'RESHIPPED',
  'interception.succeeded': 'INTERCEPTED',
  'interception.failed': 'INTERCEPTION_FAILED',
  'customs.cleared': 'CLEARED',
  'customs.returned': 'RETURNED_TO_SENDER',
  'address.corrected': 'ADDRESS_CORRECTED',
  // lost_parcel (lost-and-disputed.md): the supplier found the parcel, saw it delivered, or
  // declares it lost.
  'parcel.found': 'FOUND',
  'parcel.delivered': 'DELIVERED',
  'parcel.lost': 'DECLARED_LOST',
} as const satisfies Record<string, WorkflowEventType>;

export type SupplierWebhookType = keyof typeof SUPPLIER_WEBHOOK_EVENTS;

export interface SupplierWebhookEvent {
  webhookType: SupplierWebhookType;
  eventType: WorkflowEventType;
  caseId: string;
  payload: Record<string, unknown>;
}

const BODY_FIELDS = new Set(['type', 'caseId', 'data']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a verified webhook body. Returns the case event, or every problem found (unknown fields
 * included, as everywhere in the API), named as the supplier wrote them (`data.trackingNumber`).
 */
export function parseSupplierWebhook(
  body: unknown,
): { ok: true; event: SupplierWebhookEvent } | { ok: false; problems: FieldProblem[] } {
  if (!isPlainObject(body)) {
    return {
      ok: false,
      problems: [{ field: 'body', problem: 'must be a JSON object {type, caseId, data}' }],
    };
  }
  const problems: FieldProblem[] = [];
  for (const key of Object.keys(body)) {
    if (!BODY_FIELDS.has(key)) problems.push({ field: key, problem: 'is not a known field' });
  }
  const { type, caseId, data } = body;
  const known = typeof type === 'string' && Object.hasOwn(SUPPLIER_WEBHOOK_EVENTS, type);
  if (!known) {
    problems.push({
      field: 'type',
      problem: `must be one of: ${Object.keys(SUPPLIER_WEBHOOK_EVENTS).join(', ')}`,
    });
  }
  if (!isUuid(caseId)) problems.push({ field: 'caseId', problem: 'must be a case id (UUID)' });
  if (!(data === undefined || data === null || isPlainObject(data))) {
    problems.push({ field: 'data', problem: 'must be an object' });
  }
  const dataOk = data === undefined || data === null || isPlainObject(data);
  const payload = isPlainObject(data) ? data : {};
  if (known && dataOk) {
    const eventType = SUPPLIER_WEBHOOK_EVENTS[type as SupplierWebhookType];
    // The same door as every event (the supplier may send every event of the table).
    const admission = admitEvent(eventType, { kind: 'supplier', id: null }, payload);
    for (const problem of admission.verdict === 'invalid' ? admission.problems : []) {
      problems.push({ ...problem, field: problem.field.replace(/^payload\b/, 'data') });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const webhookType = type as SupplierWebhookType;
  return {
    ok: true,
    event: {
      webhookType,
      eventType: SUPPLIER_WEBHOOK_EVENTS[webhookType],
      caseId: (caseId as string).toLowerCase(),
      payload,
    },
  };
}
