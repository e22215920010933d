import type { OrderSnapshot } from '../workflows';

/** A parcel of an order: how tracking updates find the order. */
export interface ShipmentInput {
  trackingNumber: string;
  carrier: string | null;
  /** ISO 8601 (UTC), or null when the sender did not say. */
  shippedAt: string | null;
}

/**
 * An order as it comes in (POST /v1/orders, a CSV import, a Shopify webhook), checked already:
 * the order shape of workflows.md, its parcels and its supplier. A field left null on an update
 * keeps what the order had (an update never un-ships an order or forgets its supplier).
 */
export interface OrderInput extends OrderSnapshot {
  supplierId: string | null;
  /** The shop's own id of the order (Shopify's `id`), when it came from a shop. */
  externalId?: string | null;
  shipments: ShipmentInput[];
}

/** Who wrote the order. */
export type OrderSource = 'api' | 'csv' | 'shopify';

/** A row of `orders` with its parcels, as read. */
export interface OrderRow {
  id: string;
  merchant_id: string;
  ref: string;
  supplier_id: string | null;
  placed_at: Date;
  promised_ship_by: string | null;
  shipped_at: Date | null;
  tracking_number: string | null;
  origin_country: string;
  destination_country: string;
  items: OrderSnapshot['items'];
  total: OrderSnapshot['total'];
  source: OrderSource;
  created_at: Date;
  updated_at: Date;
  shipments: {
    tracking_number: string;
    carrier: string | null;
    shipped_at: string | null;
    last_tag: string | null;
  }[];
}

/** One tracking update recorded on an order. */
export interface TrackingRow {
  tracking_number: string;
  at: Date;
  tag: string;
  subtag: string | null;
  message: string | null;
}

/** What an upsert did to each order it was given. */
export interface UpsertedOrder {
  id: string;
  ref: string;
  created: boolean;
}

/** Told after orders were written, e.g. to replay tracking updates that came first. */
export type ShipmentsListener = (merchantId: string, trackingNumbers: string[]) => Promise<void>;
