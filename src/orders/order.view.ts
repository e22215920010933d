import type { OrderSnapshot } from '../workflows';
import type { OrderRow, TrackingRow } from './order.types';

const iso = (value: Date | string | null): string | null =>
  value === null ? null : new Date(value).toISOString();

/** A date column as `YYYY-MM-DD` (pg gives `date` columns as text here). */
const day = (value: string | Date | null): string | null =>
  value === null ? null : typeof value === 'string' ? value.slice(0, 10) : iso(value)!.slice(0, 10);

/** The order as a case keeps it (workflows.md's order shape): a copy taken at opening. */
export function orderSnapshot(row: OrderRow): OrderSnapshot {
  return {
    ref: row.ref,
    placedAt: iso(row.placed_at)!,
    promisedShipBy: day(row.promised_ship_by),
    shippedAt: iso(row.shipped_at),
    trackingNumber: row.tracking_number,
    originCountry: row.origin_country.trim(),
    destinationCountry: row.destination_country.trim(),
    items: row.items,
    total: row.total,
  };
}

/** An order as the contract shows it, with its parcels and (when read) its tracking updates. */
export function orderView(row: OrderRow, tracking?: TrackingRow[]) {
  return {
    id: row.id,
    merchantId: row.merchant_id,
    supplierId: row.supplier_id,
    ...orderSnapshot(row),
    shipments: row.shipments.map((s) => ({
      trackingNumber: s.tracking_number,
      carrier: s.carrier,
      shippedAt: iso(s.shipped_at),
      lastTag: s.last_tag,
    })),
    ...(tracking
      ? {
          tracking: tracking.map((t) => ({
            trackingNumber: t.tracking_number,
            at: iso(t.at),
            tag: t.tag,
            subtag: t.subtag,
            message: t.message,
          })),
        }
      : {}),
    source: row.source,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
