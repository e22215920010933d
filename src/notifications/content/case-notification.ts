/**
 * The body of an outbound notification about a case (api.md "Outbound notifications"), as the
 * step that records it writes it to the outbox. Pure: the case and its parties come in as values.
 */
import type { Effect, OrderSnapshot, Resolution } from '../../workflows';
import { renderBuyerMessage } from './buyer-message';

/** An outbox row as a step writes it. */
export interface NotificationValues {
  party: 'merchant' | 'supplier';
  party_id: string;
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
}

/**
 * The notification an accepted event's `notify` effect records. The buyer's message names the
 * event's own tracking number (`RESHIPPED`, `FORCE_RESHIP`, `SHIPPED`: the new parcel, not the
 * order's first one) and reason (`VERIFICATION_REJECTED`) when it has them. `resolution` is what
 * the supplier owes on a claim (reship or refund), null otherwise. A party without a webhook URL
 * gets the row too, as `no_endpoint`, so the outbox shows what it was not sent.
 */
export function caseNotification(
  notified: NotifiedCase,
  effect: Extract<Effect, { type: 'notify' }>,
  payload: Record<string, unknown>,
  resolution: Resolution | null,
  now: Date,
): NotificationValues {
  const order = notified.order_snapshot as unknown as OrderSnapshot;
  const partyId = effect.party === 'merchant' ? notified.merchant_id : notified.supplier_id;
  const url = effect.party === 'merchant' ? notified.m_webhook_url : notified.s_webhook_url;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  const buyer = renderBuyerMessage(
    effect.notification,
    notified.buyer_language ?? notified.m_language,
    {
      orderRef: order.ref ?? '',
      trackingNumber: text(payload.trackingNumber) || (order.trackingNumber ?? ''),
      reason: text(payload.reason),
      outcome: notified.outcome ?? '',
    },
  );
  return {
    party: effect.party,
    party_id: partyId,
    type: effect.notification,
    body: {
      type: effect.notification,
      caseId: notified.id,
      caseType: notified.type,
      state: notified.state,
      status: notified.status,
      outcome: notified.outcome,
      version: notified.version,
      orderRef: order.ref ?? null,
      ...(resolution ? { preferredResolution: resolution } : {}),
      occurredAt: now.toISOString(),
      ...(buyer ? { buyerMessage: buyer } : {}),
    },
    state: url ? 'pending' : 'no_endpoint',
  };
}
