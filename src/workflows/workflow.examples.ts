/**
 * Example events and orders, valid ones, used by the app itself and not only by tests: the engine
 * probes which events a state accepts with them (allowedEvents), the boot check and the workflow
 * description walk the machines with them, and the pure transition lends its inert actor an
 * example opening. Tests take their defaults from here too. Payloads pass
 * {@link validateEventPayload}.
 */
import { ALL_EVENTS, rolesFor, type WorkflowEventType } from './workflow.events';
import { PHASE_FOLLOWS_ORDER } from './workflow.orders';
import {
  TIMER_KINDS,
  type ActorKind,
  type CaseType,
  type OpenCaseInput,
  type OrderSnapshot,
  type WorkflowEvent,
} from './workflow.types';

export const SAMPLE_PAYLOADS: Partial<Record<WorkflowEventType, Record<string, unknown>>> = {
  NOTE: { text: 'A note' },
  MESSAGE: { text: 'Could you check the parcel, please?' },
  ESCALATE: { reason: 'Needs ops' },
  FORCE_RESHIP: { trackingNumber: 'TRK-FORCED' },
  FORCE_CLOSE: { reason: 'Closed by ops' },
  SWITCH_SUPPLIER: { supplierId: 'sup_other', orderRef: 'PO-2' },
  REFUNDED: { amount: '19.90', currency: 'EUR' },
  BUYER_REFUNDED: { amount: '19.90', currency: 'EUR' },
  SHIPPED: { trackingNumber: 'TRK-1' },
  RESHIPPED: { trackingNumber: 'TRK-2' },
  SUPPLIER_REPLIED: { text: 'Looking into it' },
  VERIFICATION_REJECTED: { reason: 'No defect visible' },
  CHOOSE_RESOLUTION: { resolution: 'reship' },
  SET_LIABILITY: { liability: 'carrier', reason: 'Carrier scan shows the loss' },
};

const SAMPLE_AT = '2025-03-03T09:00:00.000Z';

/** The usual sender of an event: its first role other than ops (ops only for ops events). */
export function usualActor(type: string): ActorKind {
  const roles = rolesFor(type);
  return roles.find((role) => role !== 'ops') ?? roles[0] ?? 'ops';
}

/**
 * One valid event of each shape of this type: `TIMER_FIRED` once per timer kind,
 * `CHOOSE_RESOLUTION` once per resolution.
 */
export function probeEvents(type: string): WorkflowEvent[] {
  const actor = usualActor(type);
  const make = (payload?: Record<string, unknown>): WorkflowEvent => ({
    type,
    actor,
    at: SAMPLE_AT,
    ...(payload ? { payload } : {}),
  });
  if (type === 'TIMER_FIRED') return TIMER_KINDS.map((kind) => make({ kind }));
  if (type === 'CHOOSE_RESOLUTION') {
    return [make({ resolution: 'reship' }), make({ resolution: 'refund' })];
  }
  return [make(SAMPLE_PAYLOADS[type as WorkflowEventType])];
}

/**
 * Events to walk a machine with: every probe, with one photo attached (an appeal brings a second
 * item), a `NOTE` and a `MESSAGE` from both a merchant and a supplier (a supplier's answers
 * the case), and a `REFUNDED` that completes the claim besides one that is partial (money.md).
 */
export function walkEvents(): WorkflowEvent[] {
  const events = ALL_EVENTS.flatMap((type) => probeEvents(type)).map((event) => ({
    ...event,
    evidence: { photoOrVideo: 1, total: event.type === 'APPEAL' ? 2 : 1 },
  }));
  const fromSupplier = events
    .filter((e) => e.type === 'NOTE' || e.type === 'MESSAGE')
    .map((e): WorkflowEvent => ({ ...e, actor: 'supplier' }));
  const partial = events
    .filter((e) => e.type === 'REFUNDED')
    .map((e): WorkflowEvent => ({ ...e, money: { refundCompletes: false } }));
  return [...events, ...fromSupplier, ...partial];
}

export function sampleOrder(overrides: Partial<OrderSnapshot> = {}): OrderSnapshot {
  return {
    ref: 'ORD-1001',
    placedAt: '2025-02-24T10:00:00.000Z',
    promisedShipBy: '2025-02-28',
    shippedAt: null,
    trackingNumber: null,
    originCountry: 'CN',
    destinationCountry: 'FR',
    items: [{ sku: 'SKU-1', quantity: 1, unitPrice: '19.90' }],
    total: { amount: '19.90', currency: 'EUR' },
    ...overrides,
  };
}

export const SHIPPED = { shippedAt: '2025-02-27T08:00:00.000Z', trackingNumber: 'TRK-0' };

/**
 * Openings that reach every starting state of a type: the order as the type needs it, and for
 * address_error/buyer_cancellation unshipped, shipped domestic and shipped international.
 */
export function sampleOpenings(type: CaseType): OpenCaseInput[] {
  const open = (order: OrderSnapshot): OpenCaseInput => ({ type, order, openedAt: SAMPLE_AT });
  if (type === 'payment_dispute') {
    // With a buyer-protection window too, so that the walk covers its notice and its breach.
    return [
      {
        ...open(sampleOrder(SHIPPED)),
        external: { platform: 'paypal', reference: 'PP-D-1', dueBy: '2025-03-13T09:00:00.000Z' },
        platformWindow: { platform: 'aliexpress', closesAt: '2025-03-20T09:00:00.000Z' },
      },
    ];
  }
  if (PHASE_FOLLOWS_ORDER.includes(type)) {
    return [
      open(sampleOrder()),
      open(sampleOrder({ ...SHIPPED, originCountry: 'FR', destinationCountry: 'FR' })),
      open(sampleOrder({ ...SHIPPED })),
    ];
  }
  const needsShipped = ![
    'out_of_stock',
    'oversize',
    'late_shipment',
    'unresponsive_supplier',
  ].includes(type);
  return [open(sampleOrder(needsShipped ? SHIPPED : {}))];
}
