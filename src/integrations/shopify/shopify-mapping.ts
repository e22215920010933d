/**
 * Shopify's webhook payloads (REST Admin API `Order` and `Fulfillment` resources, as its
 * `orders/*` and `fulfillments/*` topics send them) mapped to Redress's orders (intake.md). Pure.
 * Fixtures of the shapes: test/fixtures/shopify/.
 */
import { toUtcTime } from '../../common/validation/validators';
import type { OrderInput, ShipmentInput } from '../../orders/order.types';

/** The topics Redress acts on; any other is answered 200 and ignored. */
export const SHOPIFY_TOPICS = [
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'fulfillments/create',
  'fulfillments/update',
] as const;
export type ShopifyTopic = (typeof SHOPIFY_TOPICS)[number];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : null;
const DECIMAL = /^\d{1,15}(\.\d{1,4})?$/;
const COUNTRY = /^[A-Z]{2}$/;

/** A Shopify order that cannot be taken in, and why (answered, and logged; nothing written). */
export class UnusableShopifyPayload extends Error {}

/** The order of an `orders/*` payload; `fallbackCountry` stands in for a country it lacks. */
export function shopifyOrder(
  payload: unknown,
  defaults: { country: string; supplierId: string | null },
): OrderInput {
  if (!isObject(payload)) throw new UnusableShopifyPayload('the body is not an order');
  const ref = str(payload.name);
  if (!ref || ref.length > 200) throw new UnusableShopifyPayload('name (the order ref) is missing');
  const placedAt = toUtcTime(payload.created_at);
  if (!placedAt) throw new UnusableShopifyPayload('created_at is not an ISO 8601 time');
  const currency = str(payload.currency);
  const totalPrice = str(payload.total_price);
  if (!currency || !/^[A-Z]{3}$/.test(currency) || !totalPrice || !DECIMAL.test(totalPrice))
    throw new UnusableShopifyPayload('currency or total_price is missing');
  const lines = Array.isArray(payload.line_items) ? payload.line_items.filter(isObject) : [];
  const items = lines.flatMap((line) => {
    const sku =
      str(line.sku) ?? (str(line.variant_id) ? `variant-${str(line.variant_id)}` : str(line.title));
    const quantity = typeof line.quantity === 'number' ? line.quantity : NaN;
    const price = str(line.price);
    if (!sku || !Number.isInteger(quantity) || quantity < 1 || !price || !DECIMAL.test(price))
      return [];
    return [{ sku: sku.slice(0, 200), quantity, unitPrice: price }];
  });
  if (items.length === 0) throw new UnusableShopifyPayload('line_items has no usable line');
  const address = isObject(payload.shipping_address)
    ? payload.shipping_address
    : isObject(payload.billing_address)
      ? payload.billing_address
      : {};
  const destination = str(address.country_code);
  const fulfillments = Array.isArray(payload.fulfillments) ? payload.fulfillments : [];
  const shipments = fulfillments.flatMap((f) => shopifyShipment(f) ?? []);
  return {
    ref,
    externalId: str(payload.id),
    placedAt,
    promisedShipBy: null,
    shippedAt: null,
    trackingNumber: null,
    originCountry: defaults.country,
    destinationCountry: destination && COUNTRY.test(destination) ? destination : defaults.country,
    items,
    total: { amount: totalPrice, currency },
    supplierId: defaults.supplierId,
    shipments,
  };
}

/** The parcel of a fulfillment (`tracking_number` or `tracking_numbers[0]`), or null without one. */
export function shopifyShipment(payload: unknown): ShipmentInput | null {
  if (!isObject(payload)) return null;
  const numbers = Array.isArray(payload.tracking_numbers) ? payload.tracking_numbers : [];
  const trackingNumber = str(payload.tracking_number) ?? str(numbers[0]);
  if (!trackingNumber || trackingNumber.length > 100) return null;
  return {
    trackingNumber,
    carrier: str(payload.tracking_company)?.slice(0, 100) ?? null,
    shippedAt: toUtcTime(payload.created_at),
  };
}

/** Which order a fulfillment belongs to: Shopify's `order_id`, and the ref its `name` implies. */
export function fulfillmentOrder(payload: unknown): {
  externalId: string | null;
  ref: string | null;
} {
  if (!isObject(payload)) return { externalId: null, ref: null };
  const name = str(payload.name);
  // A fulfillment is named after its order: "#1001.1" is the first of order "#1001".
  return { externalId: str(payload.order_id), ref: name ? name.replace(/\.\d+$/, '') : null };
}

/** Why the buyer cancelled, in words for the case. */
export function cancelReason(payload: unknown): string {
  const reason = isObject(payload) ? str(payload.cancel_reason) : null;
  return reason ? `Cancelled in Shopify (${reason})` : 'Cancelled in Shopify';
}
