/**
 * Cases and what hangs on them (timeline, messages, notifications, evidence, links' pages), the
 * Error body and the workflows, as OpenAPI components: each mirrors the view function named beside
 * it, and the e2e suite checks real answers against them (test/e2e/openapi.e2e-spec.ts).
 * Enums come from the code's own lists (case types, states, outcomes, timers, error codes).
 */
import {
  CASE_TYPES,
  LIABILITIES,
  NOTIFICATION_TYPES,
  OUTCOMES,
  PLATFORMS,
  TIMER_KINDS,
  listWorkflows,
} from '../../workflows';
import { EVIDENCE_KINDS } from '../../evidence/media-type';
import { ERROR_CODES } from '../errors/api-error';
import {
  anyObject,
  bool,
  country,
  currency,
  day,
  decimal,
  described,
  enumOf,
  instant,
  int,
  items,
  list,
  nullable,
  obj,
  page,
  ref,
  type Schema,
  str,
  uuid,
} from './schema-kit';

/** Every state of every case type's current machine. */
export const CASE_STATES = [...new Set(listWorkflows().flatMap((w) => w.states))].sort();

const ACTOR_KINDS = ['merchant', 'supplier', 'ops', 'system', 'buyer'];
const PARTIES = ['merchant', 'supplier', 'ops'];
const evidenceKind = enumOf(EVIDENCE_KINDS);

export const CASE_SCHEMAS: Record<string, Schema> = {
  Error: obj(
    {
      statusCode: int,
      error: enumOf(ERROR_CODES, 'The code; the status follows from it'),
      message: described('One sentence for a person', str),
      details: list(ref('FieldProblem')),
    },
    ['details'],
    {
      description:
        'Every error. Some carry more: `case_exists` its `caseId`, `invalid_transition` the ' +
        '`state` and `allowedEvents`, `version_conflict` the `currentVersion`.',
      additionalProperties: true,
    },
  ),
  FieldProblem: obj({ field: str, problem: str }),
  Actor: obj(
    {
      kind: enumOf(ACTOR_KINDS),
      id: nullable(str),
      onBehalfOf: enumOf(['supplier']),
      via: enumOf(['link']),
    },
    ['onBehalfOf', 'via'],
  ),
  Money: obj({ amount: decimal, currency }),
  OrderItem: obj({ sku: str, quantity: { type: 'integer', minimum: 1 }, unitPrice: decimal }),
  // orderSnapshot() (src/orders/order.view.ts): the order as a case keeps it (a case opened with
  // an order of its own keeps it as sent: the optional fields may be absent).
  OrderSnapshot: obj(
    {
      ref: str,
      placedAt: instant,
      promisedShipBy: nullable(day),
      shippedAt: nullable(instant),
      trackingNumber: nullable(str),
      originCountry: country,
      destinationCountry: country,
      items: list(ref('OrderItem')),
      total: ref('Money'),
    },
    ['promisedShipBy', 'shippedAt', 'trackingNumber'],
  ),
  ClaimItem: obj({ sku: str, quantity: int }),
  Claim: obj({ items: list(ref('ClaimItem')), amount: decimal, currency }),
  CaseEvidence: obj({
    id: uuid,
    kind: evidenceKind,
    url: nullable(str),
    contentType: nullable(str),
    size: nullable(int),
    sha256: nullable(str),
    contentUrl: nullable(str),
    description: nullable(str),
    addedBy: ref('Actor'),
    createdAt: instant,
  }),
  Deadline: obj({
    kind: enumOf(TIMER_KINDS),
    dueAt: instant,
    firedAt: nullable(instant),
    breached: bool,
  }),
  // caseView() (src/cases/case.view.ts).
  Case: obj(
    {
      id: uuid,
      merchantId: uuid,
      supplierId: uuid,
      supplierName: described(
        "The case's supplier's name (a merchant key cannot read /v1/suppliers)",
        nullable(str),
      ),
      type: enumOf(CASE_TYPES),
      phase: enumOf(['pre_shipment', 'post_shipment']),
      state: enumOf(CASE_STATES),
      status: enumOf(['open', 'closed']),
      outcome: nullable(enumOf(OUTCOMES)),
      allowedEvents: described(
        'The events your role may send now (empty once closed)',
        list(ref('CaseEventType')),
      ),
      relayableEvents: described(
        'For a merchant key: the supplier outcomes the state accepts now, which the merchant may ' +
          'record with `onBehalfOfSupplier: true` and a `proofEvidenceId`',
        list(ref('CaseEventType')),
      ),
      waitingOn: nullable(enumOf(PARTIES)),
      order: ref('OrderSnapshot'),
      description: nullable(str),
      buyerLanguage: nullable(str),
      preferredResolution: nullable(enumOf(['reship', 'refund'])),
      claim: ref('Claim'),
      evidence: list(ref('CaseEvidence')),
      deadlines: list(ref('Deadline')),
      breached: bool,
      liability: enumOf(LIABILITIES),
      nextDeadline: nullable(
        obj({ kind: enumOf(TIMER_KINDS), dueAt: instant, party: nullable(enumOf(PARTIES)) }),
      ),
      external: obj({ platform: enumOf(PLATFORMS), reference: str, dueBy: instant }),
      linkedCaseId: uuid,
      platformWindow: nullable(obj({ platform: enumOf(PLATFORMS), closesAt: instant })),
      messages: described('MESSAGE entries on its thread', int),
      firstSupplierResponseAt: nullable(instant),
      version: described('Its ETag: send it as If-Match', int),
      workflowVersion: int,
      createdAt: instant,
      updatedAt: instant,
      closedAt: nullable(instant),
    },
    ['external', 'linkedCaseId', 'relayableEvents'],
  ),
  CasePage: obj(
    {
      ...(page('Case').properties as Record<string, Schema>),
      total: described('With `includeTotal=true`: every matching case in your scope', int),
    },
    ['total'],
  ),
  // CaseDeadlinesController (src/cases/case-deadlines.controller.ts).
  CaseDeadlines: obj({
    caseId: uuid,
    items: list(
      obj({
        kind: enumOf(TIMER_KINDS),
        dueAt: instant,
        setAt: instant,
        firedAt: nullable(instant),
        cancelledAt: nullable(instant),
        breached: bool,
        status: enumOf(['pending', 'fired', 'cancelled']),
      }),
    ),
  }),
  // toEntry() (src/timeline/timeline.service.ts).
  TimelineEntry: obj(
    {
      caseId: uuid,
      seq: int,
      at: instant,
      type: described('A workflow event, or a fact such as OPENED or EVIDENCE_ADDED', str),
      actor: ref('Actor'),
      fromState: nullable(str),
      toState: nullable(str),
      payload: anyObject,
      prevHash: str,
      hash: str,
    },
    [],
    { description: 'One hash-chained entry; `hash` covers the entry and `prevHash`' },
  ),
  Integrity: obj({ valid: bool, head: str, brokenAt: int, problem: str }, ['brokenAt', 'problem']),
  TimelinePage: obj(
    {
      caseId: uuid,
      events: list(ref('TimelineEntry')),
      filtered: described('Present when entries were left out for you', {
        type: 'boolean',
        enum: [true],
      }),
      nextAfter: nullable(int),
      integrity: ref('Integrity'),
    },
    ['filtered'],
  ),
  Message: obj({ seq: int, at: instant, from: ref('Actor'), text: str }),
  MessageList: items('Message'),
  // NotificationsService.listForCase() (src/notifications/notifications.service.ts).
  Notification: obj({
    id: uuid,
    caseId: uuid,
    party: enumOf(PARTIES),
    partyId: nullable(uuid),
    type: enumOf(NOTIFICATION_TYPES),
    state: enumOf(['pending', 'delivered', 'failed', 'no_endpoint']),
    attempts: int,
    nextAttemptAt: nullable(instant),
    lastError: nullable(str),
    createdAt: instant,
    deliveredAt: nullable(instant),
    body: ref('NotificationBody'),
    attemptLog: list(
      obj({ at: instant, status: nullable(int), error: nullable(str), durationMs: nullable(int) }),
    ),
  }),
  NotificationList: items('Notification', { caseId: uuid }),
  Feedback: obj({
    id: uuid,
    caseId: uuid,
    resolved: bool,
    comment: nullable(str),
    createdAt: instant,
  }),
  // EvidenceService.addLink(): evidence given as a link.
  LinkedEvidence: obj({
    id: uuid,
    caseId: uuid,
    kind: evidenceKind,
    url: str,
    sha256: nullable(str),
    description: nullable(str),
    addedBy: ref('Actor'),
    createdAt: instant,
  }),
  Workflow: obj(
    {
      type: enumOf(CASE_TYPES),
      machineId: str,
      version: int,
      phase: enumOf(['pre_shipment', 'post_shipment']),
      phaseFollowsOrder: bool,
      initialStates: list(str),
      states: list(str),
      finalStates: list(str),
      events: list(ref('CaseEventType')),
      roles: { type: 'object', additionalProperties: list(enumOf(ACTOR_KINDS)) },
      payloads: {
        type: 'object',
        additionalProperties: obj({ required: list(str), optional: list(str) }),
      },
      outcomes: list(enumOf(OUTCOMES)),
      timers: list(enumOf(TIMER_KINDS)),
      mermaid: described('A Mermaid stateDiagram-v2', str),
    },
    ['mermaid'],
  ),
  WorkflowList: items('Workflow'),
  CreatedLink: obj({ url: str, token: str, expiresAt: instant }),
  BuyerStatement: obj({ seq: int, at: instant, text: str, items: nullable(list(str)) }),
  // portalView() and buyerView() (src/collaboration/): the link pages' data.
  PortalView: obj(
    {
      caseId: uuid,
      language: str,
      type: enumOf(CASE_TYPES),
      state: enumOf(CASE_STATES),
      status: enumOf(['open', 'closed']),
      outcome: nullable(enumOf(OUTCOMES)),
      version: int,
      waitingOn: nullable(enumOf(PARTIES)),
      firstSupplierResponseAt: nullable(instant),
      order: obj({
        ref: nullable(str),
        items: list(ref('OrderItem')),
        shipToCountry: nullable(country),
        originCountry: nullable(country),
        trackingNumber: nullable(str),
      }),
      problem: obj({
        type: enumOf(CASE_TYPES),
        description: nullable(str),
        preferredResolution: nullable(enumOf(['reship', 'refund'])),
      }),
      allowedEvents: list(ref('CaseEventType')),
      forms: list(obj({ type: ref('CaseEventType'), required: list(str), optional: list(str) })),
      evidence: list(
        obj({
          id: uuid,
          kind: evidenceKind,
          description: nullable(str),
          sha256: nullable(str),
          url: nullable(str),
          contentUrl: nullable(str),
          createdAt: instant,
        }),
      ),
      messages: list(ref('Message')),
      deadlines: list(obj({ kind: enumOf(TIMER_KINDS), dueAt: instant })),
      linkExpiresAt: instant,
    },
    [],
    { description: "The supplier's page: its case, the events it may send (forms), the thread" },
  ),
  // buyerView() (src/collaboration/buyer.view.ts).
  BuyerView: obj(
    {
      language: str,
      type: enumOf(CASE_TYPES),
      status: enumOf(['open', 'closed']),
      items: list(obj({ sku: str, quantity: int })),
      sent: list({
        oneOf: [
          obj({
            kind: enumOf(['statement']),
            seq: int,
            at: instant,
            text: str,
            items: nullable(list(str)),
          }),
          obj({
            kind: enumOf(['evidence']),
            seq: int,
            at: instant,
            evidenceId: str,
            evidenceKind: str,
            contentType: nullable(str),
          }),
        ],
      }),
      uploadsLeft: int,
      linkExpiresAt: instant,
    },
    [],
    { description: "The buyer's page: what it sent and may send" },
  ),
};
