/**
 * The body of an outbound notification about a case (api.md "Outbound notifications"), as the
 * step that records it writes it to the outbox. Pure: the case and its parties come in as values.
 */
import {
  DEADLINE_PARTIES,
  type Effect,
  type NotifiedParty,
  type OrderSnapshot,
  type Resolution,
  type TimerKind,
  type WaitingOn,
} from '../../workflows';
import { formatAmount } from '../../money/money';
import { renderBuyerMessage } from './buyer-message';

/** An outbox row as a step writes it. Ops has no endpoint: its rows are its queue. */
export interface NotificationValues {
  party: NotifiedParty;
  party_id: string | null;
  type: string;
  body: unknown;
  state: 'pending' | 'no_endpoint';
}

/** What a notification tells of its case: the case as the step leaves it, and its parties. */
export interface NotifiedCase {
  id: string;
  type: string;
  state: string;
  status: string;
  outcome: string | null;
  version: number;
  merchant_id: string;
  supplier_id: string;
  order_snapshot: Record<string, unknown>;
  buyer_language: string | null;
  m_language: string | null;
  m_webhook_url: string | null;
  s_webhook_url: string | null;
  waiting_on: WaitingOn | null;
  /** The case's timers as the step leaves them (fired ones included). */
  deadlines: { kind: string; due_at: string; fired_at: string | null }[];
  /** Read with the case when the step may ask for a verification. */
  evidence?: {
    id: string;
    kind: string;
    url: string | null;
    sha256: string | null;
    description: string | null;
  }[];
  /** The marketplace's buyer-protection window, when the case was opened with one. */
  platform_window?: { platform: string; closesAt: string } | null;
  /** The case's claim (money.md), in minor units of `currency`; else the order's total. */
  claimed_minor?: string;
  currency?: string;
}

/** The notifications that quote the case's evidence, the order's lines, the claim, the parcel. */
const ASKS_VERIFICATION = new Set(['supplier.verification_requested']);
const ASKS_REFUND = new Set(['supplier.refund_requested', 'supplier.resolution_requested']);
const ASKS_INTERCEPTION = new Set(['supplier.interception_requested']);
/** Quote the event's `reason`: rejections, escalations, closings. */
const GIVES_REASON = new Set([
  'merchant.verification_rejected',
  'merchant.escalated',
  'merchant.case_closed',
  'supplier.case_closed',
]);
const CARRIES_TEXT = new Set(['merchant.message', 'supplier.message']);

/** The earliest live deadline the party is under (see DEADLINE_PARTIES). */
function deadlineOf(notified: NotifiedCase, party: NotifiedParty) {
  const live = notified.deadlines
    .filter((t) => t.fired_at === null && DEADLINE_PARTIES[t.kind as TimerKind] === party)
    .sort((a, b) => new Date(a.due_at).getTime() - new Date(b.due_at).getTime());
  return live.length ? { kind: live[0].kind, dueAt: new Date(live[0].due_at).toISOString() } : null;
}

/** What is claimed from the supplier: the case's claim, else the order's total. */
function claimOf(notified: NotifiedCase, order: OrderSnapshot) {
  if (notified.claimed_minor === undefined || !notified.currency) {
    return { amount: order.total.amount, currency: order.total.currency };
  }
  const amount = formatAmount(BigInt(notified.claimed_minor), notified.currency);
  return { amount, currency: notified.currency };
}

/** Where the party reads an evidence item's bytes: the stored content, else the URL given. */
function evidenceList(notified: NotifiedCase) {
  return (notified.evidence ?? []).map((e) => ({
    id: e.id,
    kind: e.kind,
    description: e.description,
    sha256: e.sha256,
    contentUrl: e.url ?? `/v1/cases/${notified.id}/evidence/${e.id}/content`,
  }));
}

/**
 * The notification an accepted event's `notify` effect records: what every body has (`type`,
 * `caseId`, `caseType`, `state`, `version`, `orderRef`, `occurredAt`, `waitingOn`), and what the
 * recipient needs to act (collaboration.md): its `deadline`, the `evidence` of a verification
 * request, the order's `items`, the `claim` of a refund request, the `trackingNumber` of an
 * interception, the `reason` of a rejection or escalation, a message's `text` (the supplier's
 * `supplierLink` is added when it is delivered: see NotificationDispatcher). The buyer's message names the event's own tracking number (`RESHIPPED`,
 * `FORCE_RESHIP`, `SHIPPED`: the new parcel, not the order's first one) and reason
 * (`VERIFICATION_REJECTED`) when it has them. `resolution` is what the supplier owes on a claim
 * (reship or refund), null otherwise. A party without a webhook URL gets the row too, as
 * `no_endpoint`, so the outbox shows what it was not sent.
 */
export function caseNotification(
  notified: NotifiedCase,
  effect: Extract<Effect, { type: 'notify' }>,
  payload: Record<string, unknown>,
  resolution: Resolution | null,
  now: Date,
): NotificationValues {
  const order = notified.order_snapshot as unknown as OrderSnapshot;
  const party = effect.party;
  const partyId =
    party === 'merchant'
      ? notified.merchant_id
      : party === 'supplier'
        ? notified.supplier_id
        : null;
  const url =
    party === 'merchant'
      ? notified.m_webhook_url
      : party === 'supplier'
        ? notified.s_webhook_url
        : null;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const type = effect.notification;
  const trackingNumber = text(payload.trackingNumber) || (order.trackingNumber ?? '');
  const buyer = renderBuyerMessage(type, notified.buyer_language ?? notified.m_language, {
    orderRef: order.ref ?? '',
    trackingNumber,
    reason: text(payload.reason),
    outcome: notified.outcome ?? '',
  });
  const deadline = deadlineOf(notified, party);
  const reason = text(payload.reason) || (payload.kind ? `${text(payload.kind)} missed` : '');
  const refund =
    ASKS_REFUND.has(type) && (type !== 'supplier.resolution_requested' || resolution === 'refund');
  return {
    party,
    party_id: partyId,
    type,
    body: {
      type,
      caseId: notified.id,
      caseType: notified.type,
      state: notified.state,
      status: notified.status,
      outcome: notified.outcome,
      version: notified.version,
      orderRef: order.ref ?? null,
      occurredAt: now.toISOString(),
      waitingOn: notified.waiting_on,
      ...(deadline ? { deadline } : {}),
      ...(resolution ? { preferredResolution: resolution } : {}),
      ...(party === 'supplier' && Array.isArray(order.items) ? { items: order.items } : {}),
      ...(ASKS_VERIFICATION.has(type) ? { evidence: evidenceList(notified) } : {}),
      ...(refund && order.total ? { claim: claimOf(notified, order) } : {}),
      ...(ASKS_INTERCEPTION.has(type) && trackingNumber ? { trackingNumber } : {}),
      ...(GIVES_REASON.has(type) && reason ? { reason } : {}),
      ...(CARRIES_TEXT.has(type) ? { text: text(payload.text) } : {}),
      ...(type === 'merchant.platform_window_closing' && notified.platform_window
        ? {
            platform: notified.platform_window.platform,
            closesAt: new Date(notified.platform_window.closesAt).toISOString(),
          }
        : {}),
      ...(buyer ? { buyerMessage: buyer } : {}),
    },
    state: url ? 'pending' : 'no_endpoint',
  };
}
