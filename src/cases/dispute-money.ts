/**
 * A lost or accepted payment dispute is money the merchant's buyer got back: money.md's ledger
 * reads it as a `buyer_refund`. The entry's payload carries `{amount, currency}` in the shape that
 * ledger reads from `BUYER_REFUNDED`: the amount given, else the order's total, in the order's
 * currency (a dispute is about the whole payment unless the platform says otherwise).
 */
import { DISPUTE_REFUND_EVENTS } from '../money/case-money';
import type { OrderSnapshot } from '../workflows';

/** The payload a dispute's closing is recorded with (other events: as sent). */
export function withRefundAmount(
  type: string,
  payload: Record<string, unknown>,
  order: Record<string, unknown>,
): Record<string, unknown> {
  if (!DISPUTE_REFUND_EVENTS.includes(type)) return payload;
  const total = (order as unknown as OrderSnapshot).total;
  const amount = typeof payload.amount === 'string' ? payload.amount : total.amount;
  return { ...payload, amount, currency: total.currency };
}
