/**
 * Liability by rule (lost-and-disputed.md, the seeds' seller protection): who a case's facts hold
 * liable at opening. Later facts and ops' `SET_LIABILITY` are the machines' (fragments/liability.ts).
 */
import { isShipped } from './workflow.orders';
import { type Liability, type OpenCaseInput } from './workflow.types';

/**
 * The order shipped by the end of `promisedShipBy` (supplier's timezone, as the case service
 * found it; else compared by UTC date); an order without a promise cannot have shipped late.
 */
export function shippedOnTime(input: OpenCaseInput): boolean {
  if (typeof input.shippedOnTime === 'boolean') return input.shippedOnTime;
  const { promisedShipBy, shippedAt } = input.order;
  if (!promisedShipBy || !shippedAt) return Boolean(shippedAt);
  return shippedAt.slice(0, 10) <= promisedShipBy;
}

/** Liability at opening, from the case type and the order. */
export function initialLiability(input: OpenCaseInput): Liability {
  switch (input.type) {
    // A supplier out of stock, unable to ship as sold, late, silent, or that sent the wrong or too few items.
    case 'out_of_stock':
    case 'oversize':
    case 'late_shipment':
    case 'unresponsive_supplier':
    case 'wrong_item':
    case 'missing_item':
      return 'supplier';
    case 'address_error':
      return input.source === 'buyer'
        ? 'buyer'
        : input.source === 'merchant'
          ? 'merchant'
          : 'undetermined';
    case 'buyer_cancellation':
      return isShipped(input.order) ? 'buyer' : 'undetermined';
    // Seller protection: a parcel lost after on-time shipping is the carrier's.
    case 'lost_parcel':
      return shippedOnTime(input) ? 'carrier' : 'supplier';
    // Damage is the supplier's once its verification confirms it; customs is the carrier's past 30 days.
    case 'damaged_item':
    case 'customs_delay':
    case 'payment_dispute':
      return 'undetermined';
  }
}
