/**
 * Workflow events: their names, who may send them, and what their payloads must hold
 * (spec/workflows.md). Pure data and functions, shared by the machines and the case service.
 */
import { LIABILITIES, TIMER_KINDS, type ActorKind, type FieldProblem } from './workflow.types';

/** Every event a case can receive, spelled as in the spec. */
export const ALL_EVENTS = [
  'WITHDRAW',
  'NOTE',
  'MESSAGE',
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
  'ACKNOWLEDGED',
  'FOUND',
  'DELIVERED',
  'DECLARED_LOST',
  'RESPONSE_SUBMITTED',
  'DISPUTE_WON',
  'DISPUTE_LOST',
  'DISPUTE_ACCEPTED',
  'SET_LIABILITY',
  'BUYER_CONTACTED',
  'BUYER_ANSWERED',
  /** Tracking (intake.md): the carrier reports the parcel held at customs. */
  'CUSTOMS_HELD',
  'ACCEPT_PARTIAL',
  'BUYER_REFUNDED',
  'TIMER_FIRED',
] as const;
export type WorkflowEventType = (typeof ALL_EVENTS)[number];

/** Events every open case accepts (escalated cases accept all but `ESCALATE`). */
export const COMMON_EVENTS: readonly WorkflowEventType[] = [
  'WITHDRAW',
  'NOTE',
  'MESSAGE',
  'ACKNOWLEDGED',
  'ESCALATE',
];

const MERCHANT_EVENTS: readonly WorkflowEventType[] = [
  'WITHDRAW',
  'NOTE',
  'MESSAGE',
  'REQUEST_REFUND',
  'SWITCH_SUPPLIER',
  'SUBMIT_EVIDENCE',
  'CHOOSE_RESOLUTION',
  'APPEAL',
  'ACCEPT_REJECTION',
  'ADDRESS_CORRECTED',
  'FOUND',
  'DECLARED_LOST',
  'RESPONSE_SUBMITTED',
  'DISPUTE_WON',
  'DISPUTE_LOST',
  'DISPUTE_ACCEPTED',
  'BUYER_CONTACTED',
  'BUYER_ANSWERED',
  'ACCEPT_PARTIAL',
  'BUYER_REFUNDED',
];

const SUPPLIER_EVENTS: readonly WorkflowEventType[] = [
  'NOTE',
  'MESSAGE',
  'ACKNOWLEDGED',
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
  'FOUND',
  'DELIVERED',
  'DECLARED_LOST',
];

/** Ops may act for merchants and suppliers: every event except the scheduler's own. */
const OPS_EVENTS: readonly WorkflowEventType[] = ALL_EVENTS.filter((e) => e !== 'TIMER_FIRED');

/** The scheduler's timers and escalations, and what tracking updates tell (intake.md). */
const SYSTEM_EVENTS: readonly WorkflowEventType[] = [
  'TIMER_FIRED',
  'ESCALATE',
  'DELIVERED',
  'CUSTOMS_HELD',
  'DECLARED_LOST',
];

const ROLES: Record<ActorKind, ReadonlySet<string>> = {
  merchant: new Set(MERCHANT_EVENTS),
  supplier: new Set(SUPPLIER_EVENTS),
  ops: new Set(OPS_EVENTS),
  system: new Set(SYSTEM_EVENTS),
  // The buyer writes statements and evidence through its link, never a workflow event.
  buyer: new Set(),
};

/**
 * The supplier's outcomes a merchant may record on the supplier's behalf, with
 * `payload.onBehalfOfSupplier: true` and `payload.proofEvidenceId` (collaboration.md).
 */
export const ON_BEHALF_EVENTS: readonly WorkflowEventType[] = [
  'VERIFICATION_CONFIRMED',
  'VERIFICATION_REJECTED',
  'REFUNDED',
  'RESHIPPED',
  'SHIPPED',
  'INTERCEPTED',
  'INTERCEPTION_FAILED',
  'CLEARED',
  'RETURNED_TO_SENDER',
  'ADDRESS_CORRECTED',
  'ACKNOWLEDGED',
];

/** The payload of an event a merchant records for the supplier, as {@link ON_BEHALF_EVENTS} says. */
export function isOnBehalfOfSupplier(eventType: string, payload: unknown): boolean {
  return (
    (ON_BEHALF_EVENTS as readonly string[]).includes(eventType) &&
    typeof payload === 'object' &&
    payload !== null &&
    (payload as Record<string, unknown>).onBehalfOfSupplier === true
  );
}

/** Events only a supplier sends (NOTE, MESSAGE and ADDRESS_CORRECTED are shared with merchants). */
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

/** A JSON Schema (OpenAPI 3.0 dialect) of a payload field, for the OpenAPI document. */
export type FieldSchema = Record<string, unknown>;
/** A payload field's check (its problem, or null) and the same rule as a JSON Schema. */
type FieldRule = ((value: unknown) => string | null) & { readonly schema: FieldSchema };
const rule = (check: (value: unknown) => string | null, schema: FieldSchema): FieldRule =>
  Object.assign((value: unknown) => check(value), { schema });

/** Any text field of an event payload (or a message): at most this many characters. */
export const MAX_TEXT_CHARS = 10_000;
/** A whole event payload, written as JSON: at most this many bytes. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/**
 * Characters as a reader counts them (code points: an emoji is one), not UTF-16 units. Counted
 * only past MAX_TEXT_CHARS units, since a string has at least as many units as code points.
 */
function tooLong(value: string): boolean {
  if (value.length <= MAX_TEXT_CHARS) return false;
  let chars = 0;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    // The low half of a surrogate pair is the same character as the high half before it.
    if (unit < 0xdc00 || unit > 0xdfff || i === 0 || (value.charCodeAt(i - 1) & 0xfc00) !== 0xd800)
      chars++;
    if (chars > MAX_TEXT_CHARS) return true;
  }
  return false;
}

/** The rule of every text field (a note, a message, a buyer's statement): its problem, or null. */
export const textProblem = (v: unknown): string | null => {
  if (typeof v !== 'string' || v.trim().length === 0) return 'must be a non-empty string';
  return tooLong(v) ? `must be at most ${MAX_TEXT_CHARS.toLocaleString('en')} characters` : null;
};
const text = rule(textProblem, {
  type: 'string',
  minLength: 1,
  maxLength: MAX_TEXT_CHARS,
  pattern: '\\S',
});
const decimal = rule(
  (v) =>
    typeof v === 'string' && /^\d+(\.\d+)?$/.test(v)
      ? null
      : 'must be a decimal string, e.g. "12.50"',
  { type: 'string', pattern: '^\\d+(\\.\\d+)?$', example: '12.50' },
);
const currency = rule(
  (v) =>
    typeof v === 'string' && /^[A-Z]{3}$/.test(v)
      ? null
      : 'must be a 3-letter ISO 4217 code, e.g. "EUR"',
  { type: 'string', pattern: '^[A-Z]{3}$', example: 'EUR' },
);
const flag = rule((v) => (typeof v === 'boolean' ? null : 'must be true or false'), {
  type: 'boolean',
});
const id = rule(
  (v) =>
    typeof v === 'string' &&
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)
      ? null
      : 'must be an evidence id (a UUID)',
  { type: 'string', format: 'uuid' },
);
/** What an outcome recorded on the supplier's behalf carries besides its own fields. */
const ON_BEHALF_FIELDS = { onBehalfOfSupplier: flag, proofEvidenceId: id };
/** The payload fields only a merchant relaying a supplier's outcome sends (not the supplier). */
export const ON_BEHALF_PAYLOAD_FIELDS: readonly string[] = Object.keys(ON_BEHALF_FIELDS);
/** A refund's order lines; checked against the order once the case is read. */
const items = rule(
  (v) =>
    Array.isArray(v) &&
    v.length >= 1 &&
    v.length <= 500 &&
    v.every((item) => isPlainObject(item) && typeof item.sku === 'string')
      ? null
      : 'must be a list of 1 to 500 {sku, quantity}',
  {
    type: 'array',
    minItems: 1,
    maxItems: 500,
    items: {
      type: 'object',
      required: ['sku', 'quantity'],
      properties: { sku: { type: 'string' }, quantity: { type: 'integer', minimum: 1 } },
    },
  },
);
const oneOf = (values: readonly string[]): FieldRule =>
  rule(
    (v) =>
      typeof v === 'string' && values.includes(v) ? null : `must be one of: ${values.join(', ')}`,
    { type: 'string', enum: [...values] },
  );

interface PayloadShape {
  required: Readonly<Record<string, FieldRule>>;
  optional: Readonly<Record<string, FieldRule>>;
}
const shape = (
  required: Record<string, FieldRule> = {},
  optional: Record<string, FieldRule> = {},
): PayloadShape => ({ required, optional });

/**
 * The payload of every event (spec/workflows.md): the fields it requires, the few it may carry
 * besides (a closing event's `reason`, a shipment's `carrier`), and nothing else; a field an
 * event does not define is refused, as unknown fields are everywhere in the API.
 */
const PAYLOADS: Record<WorkflowEventType, PayloadShape> = {
  WITHDRAW: shape({}, { reason: text }),
  NOTE: shape({ text }),
  MESSAGE: shape({ text }),
  ESCALATE: shape({ reason: text }),
  FORCE_REFUND: shape({}, { reason: text }),
  FORCE_RESHIP: shape({ trackingNumber: text }, { carrier: text }),
  FORCE_CLOSE: shape({ reason: text }),
  REQUEST_REFUND: shape({}, { reason: text }),
  SWITCH_SUPPLIER: shape({ supplierId: text, orderRef: text }),
  SUBMIT_EVIDENCE: shape(),
  CHOOSE_RESOLUTION: shape({ resolution: oneOf(['reship', 'refund']) }),
  APPEAL: shape({}, { reason: text }),
  ACCEPT_REJECTION: shape(),
  ADDRESS_CORRECTED: shape({}, ON_BEHALF_FIELDS),
  SHIPPED: shape({ trackingNumber: text }, { carrier: text, ...ON_BEHALF_FIELDS }),
  SUPPLIER_REPLIED: shape({ text }),
  VERIFICATION_CONFIRMED: shape({}, ON_BEHALF_FIELDS),
  VERIFICATION_REJECTED: shape({ reason: text }, ON_BEHALF_FIELDS),
  REFUNDED: shape({ amount: decimal, currency }, { reference: text, items, ...ON_BEHALF_FIELDS }),
  RESHIPPED: shape({ trackingNumber: text }, { carrier: text, ...ON_BEHALF_FIELDS }),
  INTERCEPTED: shape({}, ON_BEHALF_FIELDS),
  INTERCEPTION_FAILED: shape({}, { reason: text, ...ON_BEHALF_FIELDS }),
  CLEARED: shape({}, ON_BEHALF_FIELDS),
  RETURNED_TO_SENDER: shape({}, { reason: text, ...ON_BEHALF_FIELDS }),
  ACKNOWLEDGED: shape({}, ON_BEHALF_FIELDS),
  FOUND: shape({}, { trackingNumber: text }),
  DELIVERED: shape({}, { trackingNumber: text, at: text }),
  DECLARED_LOST: shape({}, { reason: text }),
  RESPONSE_SUBMITTED: shape({}, { reference: text }),
  DISPUTE_WON: shape(),
  // The amount the buyer got back (default: the order's total), a `buyer_refund` (money.md).
  DISPUTE_LOST: shape({}, { amount: decimal }),
  DISPUTE_ACCEPTED: shape({}, { amount: decimal }),
  SET_LIABILITY: shape({ liability: oneOf(LIABILITIES), reason: text }),
  BUYER_CONTACTED: shape({}, { channel: text, text }),
  BUYER_ANSWERED: shape({}, { text }),
  CUSTOMS_HELD: shape({}, { trackingNumber: text, message: text }),
  ACCEPT_PARTIAL: shape({}, { reason: text }),
  BUYER_REFUNDED: shape({ amount: decimal, currency }, { reference: text }),
  // The scheduler's own; the timeline entry also records the timer's `dueAt`.
  TIMER_FIRED: shape({ kind: oneOf(TIMER_KINDS) }, { dueAt: text }),
};

/** The payload fields an event type requires (for documentation and tests). */
export function requiredPayloadFields(eventType: string): string[] {
  return isKnownEvent(eventType) ? Object.keys(PAYLOADS[eventType].required) : [];
}

/** The payload fields an event type may carry besides the required ones. */
export function optionalPayloadFields(eventType: string): string[] {
  return isKnownEvent(eventType) ? Object.keys(PAYLOADS[eventType].optional) : [];
}

/**
 * An event's payload as a JSON Schema (OpenAPI 3.0 dialect), from the same rules that check it:
 * the fields it requires, those it may carry, nothing else.
 */
export function eventPayloadSchema(eventType: WorkflowEventType): FieldSchema {
  const { required, optional } = PAYLOADS[eventType];
  const properties = Object.fromEntries(
    [...Object.entries(required), ...Object.entries(optional)].map(([name, field]) => [
      name,
      field.schema,
    ]),
  );
  return {
    type: 'object',
    ...(Object.keys(required).length ? { required: Object.keys(required) } : {}),
    properties,
    additionalProperties: false,
  };
}

/**
 * Every event's payload fields in one line each (`NOTE: text`, `WITHDRAW: reason?`), for the
 * OpenAPI document.
 */
export function payloadFieldsText(): string {
  return ALL_EVENTS.filter((type) => type !== 'TIMER_FIRED')
    .map((type) => {
      const fields = [
        ...requiredPayloadFields(type),
        ...optionalPayloadFields(type).map((name) => `${name}?`),
      ];
      return `${type}: ${fields.length ? fields.join(', ') : '(none)'}`;
    })
    .join('; ');
}

/**
 * Problems with an event's payload, as `{field: 'payload.text', problem}` entries; empty when the
 * payload is fine: each field the event requires, of its type, text at most
 * {@link MAX_TEXT_CHARS} characters, no field the event does not define, and the whole at most
 * {@link MAX_PAYLOAD_BYTES} as JSON. An unknown event type is not this function's concern (see
 * {@link isKnownEvent}).
 */
export function validateEventPayload(eventType: string, payload: unknown): FieldProblem[] {
  if (payload !== undefined && payload !== null && !isPlainObject(payload)) {
    return [{ field: 'payload', problem: 'must be an object' }];
  }
  if (!isKnownEvent(eventType)) return [];
  const { required, optional } = PAYLOADS[eventType];
  const fields: Record<string, unknown> = payload ?? {};
  const problems: FieldProblem[] = [];
  for (const [name, rule] of Object.entries(required)) {
    const value = fields[name];
    const problem = value === undefined || value === null ? 'is required' : rule(value);
    if (problem) problems.push({ field: `payload.${name}`, problem });
  }
  for (const [name, value] of Object.entries(fields)) {
    if (Object.hasOwn(required, name)) continue;
    const rule = Object.hasOwn(optional, name) ? optional[name] : undefined;
    const problem = rule
      ? value === undefined || value === null
        ? null
        : rule(value)
      : `is not a field of ${eventType}`;
    if (problem) problems.push({ field: `payload.${name}`, problem });
  }
  if (fields.onBehalfOfSupplier === true && fields.proofEvidenceId === undefined) {
    problems.push({
      field: 'payload.proofEvidenceId',
      problem: 'is required with onBehalfOfSupplier: the id of evidence on the case that proves it',
    });
  }
  if (problems.length === 0 && Buffer.byteLength(JSON.stringify(fields)) > MAX_PAYLOAD_BYTES) {
    problems.push({ field: 'payload', problem: 'must be at most 64 KiB as JSON' });
  }
  return problems;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
