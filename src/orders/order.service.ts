import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';
import { isUuid } from '../common/validation/uuid-param.pipe';
import { DueDateService } from '../deadlines/due-date.service';
import type { OrderSnapshot } from '../workflows';
import { CsvUnreadable, readOrdersCsv, type RowFailure } from './order-csv';
import { OrderRepository } from './order.repository';
import type {
  OrderInput,
  OrderRow,
  OrderSource,
  ShipmentInput,
  ShipmentsListener,
  TrackingRow,
  UpsertedOrder,
} from './order.types';
import { orderSnapshot } from './order.view';

/** Orders are written this many at a time by an import (one statement per step each). */
const IMPORT_BATCH = 5_000;

/**
 * Orders (intake.md): created or updated by their merchant's `ref`, by hand, by CSV or by Shopify,
 * with their parcels; read in the merchant's scope (404 outside it). Each write also keeps the
 * order's `late_shipment` timer: live while the order is promised, unshipped and has a supplier,
 * due at the end of `promisedShipBy` + 1 day in the supplier's timezone (the scheduler fires it,
 * see src/integrations/intake). Listeners hear of the tracking numbers written (tracking updates
 * that came before their order are replayed then).
 */
@Injectable()
export class OrderService {
  private readonly listeners: ShipmentsListener[] = [];

  constructor(
    private readonly repository: OrderRepository,
    private readonly clock: Clock,
    private readonly dueDates: DueDateService,
  ) {}

  /** Registers a listener for the tracking numbers of written orders. */
  onShipments(listener: ShipmentsListener): void {
    this.listeners.push(listener);
  }

  /** Creates or updates one order; 400 when its supplier does not exist. */
  async upsert(merchantId: string, order: OrderInput, source: OrderSource): Promise<UpsertedOrder> {
    if (order.supplierId) {
      const found = await this.repository.existingSuppliers([order.supplierId]);
      if (!found.has(order.supplierId))
        throw ApiError.validation([{ field: 'supplierId', problem: 'names no supplier' }]);
    }
    const [written] = await this.write(merchantId, [order], source);
    return written;
  }

  /**
   * Imports a CSV of order lines: `{created, updated, failed}`; a bad row (or one naming a
   * supplier that does not exist) is reported by its line number and left out.
   */
  async importCsv(
    merchantId: string,
    text: string,
  ): Promise<{ created: number; updated: number; failed: RowFailure[] }> {
    let read;
    try {
      read = readOrdersCsv(text);
    } catch (error) {
      if (!(error instanceof CsvUnreadable)) throw error;
      throw ApiError.validation([
        { field: 'body', problem: `is not a readable CSV: ${error.message}` },
      ]);
    }
    const failed = [...read.failed];
    const named = [...new Set(read.orders.flatMap((o) => o.order.supplierId ?? []))];
    const suppliers = await this.repository.existingSuppliers(named.filter(isUuid));
    const good = read.orders.filter(({ order, rows }) => {
      if (!order.supplierId || suppliers.has(order.supplierId)) return true;
      for (const row of rows)
        failed.push({ row, field: 'supplierId', problem: 'names no supplier' });
      return false;
    });
    let created = 0;
    let updated = 0;
    for (let i = 0; i < good.length; i += IMPORT_BATCH) {
      const batch = good.slice(i, i + IMPORT_BATCH).map((o) => o.order);
      for (const written of await this.write(merchantId, batch, 'csv')) {
        if (written.created) created++;
        else updated++;
      }
    }
    failed.sort((a, b) => a.row - b.row);
    return { created, updated, failed };
  }

  /**
   * Adds parcels to an existing order (a shop's fulfillment): it is shipped from then on, its
   * late-shipment timer ends, and listeners hear of the tracking numbers.
   */
  async addShipments(
    merchantId: string,
    order: { id: string; ref: string },
    shipments: ShipmentInput[],
  ): Promise<void> {
    const now = this.clock.now();
    const parcels = shipments.map((s) => ({ ...s, ref: order.ref }));
    await this.repository.transaction(async (tx) => {
      await this.repository.addShipments(tx, merchantId, parcels, now);
      await this.keepLateTimers(tx, [order.id], now);
    });
    await this.tell(
      merchantId,
      shipments.map((s) => s.trackingNumber),
    );
  }

  /** The merchant's order with this shop id (or else this ref), if any. */
  findForShop(merchantId: string, externalId: string | null, ref: string | null) {
    return this.repository.findForShop(merchantId, externalId, ref);
  }

  /** One order in the caller's scope (merchant: its own), with its tracking updates; else 404. */
  async get(
    id: string,
    merchantId: string | null,
  ): Promise<{ row: OrderRow; tracking: TrackingRow[] }> {
    if (!isUuid(id)) throw ApiError.notFound('Order');
    const row = await this.repository.findById(id);
    if (!row || (merchantId && row.merchant_id !== merchantId)) throw ApiError.notFound('Order');
    return { row, tracking: await this.repository.tracking(id) };
  }

  findByRef(ref: string, merchantId: string | null): Promise<OrderRow[]> {
    return this.repository.findByRef(ref, merchantId);
  }

  list(merchantId: string | null, limit: number, after: { createdAt: Date; id: string } | null) {
    return this.repository.list(merchantId, limit, after);
  }

  /**
   * The merchant's order as a case keeps it, with its supplier: 422 `unknown_order` when the
   * merchant has no order with this ref.
   */
  async snapshotFor(
    merchantId: string,
    ref: string,
  ): Promise<{ order: OrderSnapshot; supplierId: string | null }> {
    const [row] = await this.repository.findByRef(ref, merchantId);
    if (!row) throw new ApiError('unknown_order', `No order with ref ${ref} for this merchant`);
    return { order: orderSnapshot(row), supplierId: row.supplier_id };
  }

  /** Writes orders (refs unique), their parcels and their timers in one transaction. */
  private async write(
    merchantId: string,
    orders: OrderInput[],
    source: OrderSource,
  ): Promise<UpsertedOrder[]> {
    const now = this.clock.now();
    const shipments = orders.flatMap((o) => {
      const parcels = [...o.shipments];
      if (o.trackingNumber && !parcels.some((p) => p.trackingNumber === o.trackingNumber)) {
        parcels.push({
          trackingNumber: o.trackingNumber,
          carrier: null,
          shippedAt: o.shippedAt ?? null,
        });
      }
      return parcels.map((p) => ({ ...p, ref: o.ref }));
    });
    const unique = [...new Map(shipments.map((s) => [s.trackingNumber, s])).values()];
    const written = await this.repository.transaction(async (tx) => {
      const upserted = await this.repository.upsert(tx, merchantId, orders, source, now);
      await this.repository.addShipments(tx, merchantId, unique, now);
      await this.keepLateTimers(
        tx,
        upserted.map((o) => o.id),
        now,
      );
      return upserted;
    });
    await this.tell(
      merchantId,
      unique.map((s) => s.trackingNumber),
    );
    return written;
  }

  private async tell(merchantId: string, trackingNumbers: string[]): Promise<void> {
    if (trackingNumbers.length === 0) return;
    for (const listener of this.listeners) await listener(merchantId, trackingNumbers);
  }

  /** Live `late_shipment` timers for the watched orders, cancelled for the others. */
  private async keepLateTimers(tx: EntityManager, orderIds: string[], now: Date): Promise<void> {
    const candidates = await this.repository.lateCandidates(tx, orderIds);
    const live: { orderId: string; dueAt: Date }[] = [];
    const cancel: string[] = [];
    for (const c of candidates) {
      if (!c.watched || !c.promised_ship_by || !c.s_country) {
        cancel.push(c.id);
        continue;
      }
      const supplier = { country: c.s_country.trim(), timezone: c.s_timezone };
      const dueAt = this.dueDates.resolve(
        { rule: 'end_of_day_after_date', date: c.promised_ship_by, days: 1, calendar: 'supplier' },
        now,
        { supplier, merchant: supplier },
      );
      live.push({ orderId: c.id, dueAt });
    }
    await this.repository.setLateTimers(tx, live, cancel, now);
  }
}
