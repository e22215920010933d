/**
 * Workflow events: their names, who may send them, and what their payloads must hold
 * (spec/workflows.md). Pure data and functions, shared by the machines and the case service.
 */
import { TIMER_KINDS, type ActorKind, type FieldProblem } from './workflow.types';

/** Every event a case can receive, spelled as in the spec. */
export const ALL_EVENTS = [
  'WITHDRAW',
  'NOTE',
  'ESCALATE',
  'FORCE_REFUND',
  'FORCE_RESHIP',
  'FORCE_CLOSE',
  'REQUEST_REFUND',
  'SWITCH_SUPPLIER',
  'SUBMIT_EVIDENCE',
  'CHOOSE_RESOLUTION',
  'APPEAL',
  'ACCEPT_REJECTION',
  'ADDRESS_CORRECTED',
  'SHIPPED',
  'SUPPLIER_REPLIED',
  'VERIFICATION_CONFIRMED',
  'VERIFICATION_REJECTED',
  'REFUNDED',
  'RESHIPPED',
  'INTERCEPTED',
  'INTERCEPTION_FAILED',
  'CLEARED',
  'RETURNED_TO_SENDER',
  'TIMER_FIRED',
] as const;
export type WorkflowEventType = (typeof ALL_EVENTS)[number];

/** Events every open case accepts (escalated cases accept all but `ESCALATE`). */
export const COMMON_EVENTS: readonly WorkflowEventType[] = ['WITHDRAW', 'NOTE', 'ESCALATE'];

const MERCHANT_EVENTS: readonly WorkflowEventType[] = [
  'WITHDRAW',
  'NOTE',
  'REQUEST_REFUND',
  'SWITCH_SUPPLIER',
  'SUBMIT_EVIDENCE',
  'CHOOSE_RESOLUTION',
  'APPEAL',
  'ACCEPT_REJECTION',
  'ADDRESS_CORRECTED',
];

const SUPPLIER_EVENTS: readonly WorkflowEventType[] = [
  'NOTE',
  'SHIPPED',
  'SUPPLIER_REPLIED',
  'VERIFICATION_CONFIRMED',
  'VERIFICATION_REJECTED',
  'REFUNDED',
  'RESHIPPED',
  'INTERCEPTED',
  'INTERCEPTION_FAILED',
  'CLEARED',
  'RETURNED_TO_SENDER',
  'ADDRESS_CORRECTED',
];

/** Ops may act for merchants and suppliers: every event except the scheduler's own. */
const OPS_EVENTS: readonly WorkflowEventType[] = ALL_EVENTS.filter((e) => e !== 'TIMER_FIRED');

const SYSTEM_EVENTS: readonly WorkflowEventType[] = ['TIMER_FIRED', 'ESCALATE'];

const ROLES: Record<ActorKind, ReadonlySet<string>> = {
  merchant: new Set(MERCHANT_EVENTS),
  supplier: new Set(SUPPLIER_EVENTS),
  ops: new Set(OPS_EVENTS),
  system: new Set(SYSTEM_EVENTS),
};

/** Events only a supplier sends (NOTE and ADDRESS_CORRECTED are shared with merchants). */
const SUPPLIER_ONLY_EVENTS: ReadonlySet<string> = new Set(
  SUPPLIER_EVENTS.filter((e) => !MERCHANT_EVENTS.includes(e)),
);

export function isKnownEvent(eventType: string): eventType is WorkflowEventType {
  return (ALL_EVENTS as readonly string[]).includes(eventType);
}

/** Whether an actor's role may send this event type at all (whatever the case's state). */
export function maySend(actor: ActorKind, eventType: string): boolean {
  return Object.prototype.hasOwnProperty.call(ROLES, actor) && ROLES[actor].has(eventType);
}

/** The actors whose role may send this event type. */
export function rolesFor(eventType: string): ActorKind[] {
  return (Object.keys(ROLES) as ActorKind[]).filter((actor) => ROLES[actor].has(eventType));
}

/**
 * Whether an event counts as the supplier's answer, which clears the case's `supplier_response`
 * timer: anything the supplier sends, and the supplier's own events when ops relays them.
 */
export function isSupplierEvent(actor: ActorKind, eventType: string): boolean {
  if (actor === 'supplier') return maySend('supplier', eventType);
  return actor === 'ops' && SUPPLIER_ONLY_EVENTS.has(eventType);
}

type FieldRule = (value: unknown) => string | null;

const text: FieldRule = (v) =>
  typeof v === 'string' && v.trim().length > 0 ? null : 'must be a non-empty string';
const decimal: FieldRule = (v) =>
  typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)
    ? null
    : 'must be a decimal string, e.g. "12.50"';
const currency: FieldRule = (v) =>
  typeof v === 'string' && /^[A-Z]{3}$/.test(v)
    ? null
    : 'must be a 3-letter ISO 4217 code, e.g. "EUR"';
const oneOf =
  (values: readonly string[]): FieldRule =>
  (v) =>
    typeof v === 'string' && values.includes(v) ? null : `must be one of: ${values.join(', ')}`;

/** Required payload fields per event (spec/workflows.md); extra fields are allowed. */
const PAYLOAD_RULES: Partial<Record<WorkflowEventType, Record<string, FieldRule>>> = {
  NOTE: { text },
  ESCALATE: { reason: text },
  FORCE_RESHIP: { trackingNumber: text },
  FORCE_CLOSE: { reason: text },
  SWITCH_SUPPLIER: { supplierId: text, orderRef: text },
  REFUNDED: { amount: decimal, currency },
  SHIPPED: { trackingNumber: text },
  RESHIPPED: { trackingNumber: text },
  SUPPLIER_REPLIED: { text },
  VERIFICATION_REJECTED: { reason: text },
  CHOOSE_RESOLUTION: { resolution: oneOf(['reship', 'refund']) },
  TIMER_FIRED: { kind: oneOf(TIMER_KINDS) },
};

/** The payload fields an event type requires (for documentation and tests). */
export function requiredPayloadFields(eventType: string): string[] {
  return isKnownEvent(eventType) ? Object.keys(PAYLOAD_RULES[eventType] ?? {}) : [];
}

/**
 * Problems with an event's payload, as `{field: 'payload.text', problem}` entries; empty when the
 * payload is fine. An unknown event type is not this function's concern (see {@link isKnownEvent}).
 */
export function validateEventPayload(eventType: string, payload: unknown): FieldProblem[] {
  const rules = isKnownEvent(eventType) ? PAYLOAD_RULES[eventType] : undefined;
  if (payload !== undefined && payload !== null && !isPlainObject(payload)) {
    return [{ field: 'payload', problem: 'must be an object' }];
  }
  if (!rules) return [];
  const fields: Record<string, unknown> = payload ?? {};
  const problems: FieldProblem[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = fields[name];
    const problem = value === undefined || value === null ? 'is required' : rule(value);
    if (problem) problems.push({ field: `payload.${name}`, problem });
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
