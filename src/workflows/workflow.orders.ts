/**
 * What the workflows read from an order snapshot: shipped or not, domestic or not, and whether the
 * order fits a case type (spec/workflows.md). The order's shape is validated elsewhere.
 */
import type { CaseType, OrderSnapshot, Phase } from './workflow.types';

const PRE_SHIPMENT_TYPES: readonly CaseType[] = [
  'out_of_stock',
  'oversize',
  'late_shipment',
  'unresponsive_supplier',
];
const NEEDS_SHIPPED_ORDER: readonly CaseType[] = [
  'customs_delay',
  'wrong_item',
  'missing_item',
  'damaged_item',
  'lost_parcel',
];
/** Case types whose phase (and starting state) follows the order: shipped or not. */
export const PHASE_FOLLOWS_ORDER: readonly CaseType[] = ['address_error', 'buyer_cancellation'];

export function isShipped(order: OrderSnapshot): boolean {
  return typeof order.shippedAt === 'string' && order.shippedAt.length > 0;
}

export function isDomestic(order: OrderSnapshot): boolean {
  return order.originCountry.toUpperCase() === order.destinationCountry.toUpperCase();
}

export function phaseOf(type: CaseType, order: OrderSnapshot): Phase {
  if (PRE_SHIPMENT_TYPES.includes(type)) return 'pre_shipment';
  if (NEEDS_SHIPPED_ORDER.includes(type)) return 'post_shipment';
  return isShipped(order) ? 'post_shipment' : 'pre_shipment';
}

/**
 * Why the order does not fit the case type (api.md: 422 `unprocessable`), or null when it does.
 */
export function validateOrderForType(type: CaseType, order: OrderSnapshot): string | null {
  if (type === 'late_shipment') {
    if (!order.promisedShipBy) return 'late_shipment needs order.promisedShipBy';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(order.promisedShipBy)) {
      return 'order.promisedShipBy must be a date (YYYY-MM-DD)';
    }
    if (isShipped(order)) return 'late_shipment needs an unshipped order (order.shippedAt is set)';
  }
  if (NEEDS_SHIPPED_ORDER.includes(type) && !isShipped(order)) {
    return `${type} needs a shipped order (order.shippedAt is missing)`;
  }
  return null;
}

/**
 * Why a case of this type closes at opening (outcome `ineligible`), or null: a shipped
 * international parcel can be neither intercepted nor refunded.
 */
export function ineligibleReason(type: CaseType, order: OrderSnapshot): string | null {
  if (!PHASE_FOLLOWS_ORDER.includes(type) || !isShipped(order) || isDomestic(order)) return null;
  return (
    `${type}: the order shipped internationally (${order.originCountry} to ` +
    `${order.destinationCountry}); an international parcel can be neither intercepted nor refunded`
  );
}
