/**
 * Events in the OpenAPI document: the case events a caller sends (one schema per event, a `oneOf`
 * keyed by `type`), the supplier webhook body, and the notifications Redress sends out (`x-webhooks`).
 * Every payload schema comes from the rules that check it (`eventPayloadSchema`), every list from
 * the code's own (ALL_EVENTS, SUPPLIER_WEBHOOK_EVENTS, NOTIFICATION_TYPES).
 */
import {
  ALL_EVENTS,
  eventPayloadSchema,
  NOTIFICATION_TYPES,
  ON_BEHALF_PAYLOAD_FIELDS,
  rolesFor,
  type WorkflowEventType,
} from '../../workflows';
import { SUPPLIER_WEBHOOK_EVENTS } from '../../webhooks/supplier-webhook-events';
import {
  anyObject,
  decimal,
  described,
  enumOf,
  instant,
  int,
  list,
  nullable,
  obj,
  ref,
  type Schema,
  str,
  uuid,
} from './schema-kit';

/** `FORCE_REFUND` -> `ForceRefundEvent`. */
const eventSchemaName = (type: string) =>
  type
    .toLowerCase()
    .split('_')
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('') + 'Event';

/** Events a caller may send: all but the scheduler's own `TIMER_FIRED`. */
const SENDABLE = ALL_EVENTS.filter((type) => type !== 'TIMER_FIRED');

function caseEventSchema(type: WorkflowEventType): Schema {
  const payload = eventPayloadSchema(type);
  const needsPayload = Array.isArray(payload.required) && payload.required.length > 0;
  return obj({ type: enumOf([type]), payload }, needsPayload ? [] : ['payload'], {
    description: `Sent by: ${rolesFor(type)
      .filter((role) => role !== 'system')
      .join(', ')}`,
  });
}

/** A supplier webhook's `data`: the event's payload without the merchant-only relay fields. */
function webhookDataSchema(type: WorkflowEventType): Schema {
  const payload = eventPayloadSchema(type);
  const properties = { ...(payload.properties as Record<string, Schema>) };
  for (const name of ON_BEHALF_PAYLOAD_FIELDS) delete properties[name];
  return { ...payload, properties };
}

const webhookName = (type: string) =>
  type
    .split(/[._]/)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('') + 'Webhook';

const EVENT_VARIANTS = Object.fromEntries(
  SENDABLE.map((type) => [eventSchemaName(type), caseEventSchema(type)]),
);
const WEBHOOK_VARIANTS = Object.fromEntries(
  Object.entries(SUPPLIER_WEBHOOK_EVENTS).map(([type, event]) => [
    webhookName(type),
    obj({ type: enumOf([type]), caseId: uuid, data: webhookDataSchema(event) }, ['data'], {
      description: `Recorded as the case event ${event}`,
    }),
  ]),
);

const oneOfByType = (variants: Record<string, Schema>, types: readonly string[]): Schema => ({
  oneOf: Object.keys(variants).map(ref),
  discriminator: {
    propertyName: 'type',
    mapping: Object.fromEntries(
      Object.keys(variants).map((name, i) => [types[i], `#/components/schemas/${name}`]),
    ),
  },
});

export const EVENT_SCHEMAS: Record<string, Schema> = {
  CaseEventType: enumOf(ALL_EVENTS),
  CaseEvent: described(
    'A workflow event: its `type` and the payload that type defines (nothing else)',
    oneOfByType(EVENT_VARIANTS, SENDABLE),
  ),
  ...EVENT_VARIANTS,
  SupplierWebhook: described(
    'A supplier event, signed per Standard Webhooks with the supplier’s webhook secret',
    oneOfByType(WEBHOOK_VARIANTS, Object.keys(SUPPLIER_WEBHOOK_EVENTS)),
  ),
  ...WEBHOOK_VARIANTS,
  SupplierWebhookResult: {
    oneOf: [
      obj({ duplicate: { type: 'boolean', enum: [true] } }, [], {
        description: 'This webhook-id was already received: nothing done',
      }),
      obj({ caseId: uuid, state: str, version: int }),
    ],
  },
  // caseNotification() (src/notifications/content/case-notification.ts).
  NotificationBody: obj(
    {
      type: enumOf(NOTIFICATION_TYPES),
      caseId: uuid,
      caseType: str,
      state: str,
      status: enumOf(['open', 'closed']),
      outcome: nullable(str),
      version: int,
      orderRef: nullable(str),
      occurredAt: instant,
      waitingOn: nullable(enumOf(['merchant', 'supplier', 'ops'])),
      deadline: obj({ kind: str, dueAt: instant }),
      preferredResolution: enumOf(['reship', 'refund']),
      items: list(ref('OrderItem')),
      evidence: list(
        obj({
          id: uuid,
          kind: str,
          description: nullable(str),
          sha256: nullable(str),
          contentUrl: str,
        }),
      ),
      claim: obj({ amount: decimal, currency: str }),
      trackingNumber: str,
      reason: str,
      text: str,
      platform: str,
      closesAt: instant,
      buyerMessage: anyObject,
      supplierLink: described("The supplier's page for this case (supplier notifications)", str),
    },
    [
      'deadline',
      'preferredResolution',
      'items',
      'evidence',
      'claim',
      'trackingNumber',
      'reason',
      'text',
      'platform',
      'closesAt',
      'buyerMessage',
      'supplierLink',
    ],
    {
      additionalProperties: true,
      description: 'What every notification has, and what the recipient needs to act on this one',
    },
  ),
};

/** The notifications Redress POSTs to a party's `webhookUrl`, one entry per type. */
export function notificationWebhooks(): Record<string, unknown> {
  return Object.fromEntries(
    NOTIFICATION_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type} notification`,
          description:
            'POSTed to the party’s `webhookUrl`, signed per Standard Webhooks (`webhook-id` is ' +
            'the notification id: dedupe on it). Answer 2xx; anything else is retried with backoff.',
          tags: ['notifications'],
          operationId: `notification_${type.replace('.', '_')}`,
          security: [],
          parameters: ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
            name,
            in: 'header',
            required: true,
            schema: str,
          })),
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { allOf: [ref('NotificationBody'), obj({ type: enumOf([type]) })] },
              },
            },
          },
          responses: { '200': { description: 'Received' } },
        },
      },
    ]),
  );
}
