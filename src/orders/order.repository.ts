import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { prepared } from '../database/prepared';
import type { OrderInput, OrderRow, OrderSource, TrackingRow, UpsertedOrder } from './order.types';

type Queryable = Pick<EntityManager, 'query'>;

const SHIPMENTS_SQL = `COALESCE((SELECT json_agg(json_build_object('tracking_number', s.tracking_number,
    'carrier', s.carrier, 'shipped_at', s.shipped_at, 'last_tag', s.last_tag) ORDER BY s.created_at, s.tracking_number)
    FROM order_shipments s WHERE s.order_id = o.id), '[]') AS shipments`;
const ORDER_COLUMNS = `o.id, o.merchant_id, o.ref, o.supplier_id, o.placed_at, o.promised_ship_by::text AS promised_ship_by,
    o.shipped_at, o.tracking_number, o.origin_country, o.destination_country, o.items, o.total, o.source,
    o.created_at, o.updated_at, ${SHIPMENTS_SQL}`;

/** A tracking update's one statement (see OrderRepository.applyTracking). */
const TRACKING_SQL = `WITH fresh AS (
         INSERT INTO integration_receipts (merchant_id, sender, delivery_id, received_at)
         VALUES ($1, 'aftership', $2, $3) ON CONFLICT DO NOTHING RETURNING 1),
       parcel AS (
         SELECT s.order_id, o.ref, s.last_tag, s.last_checkpoint_at, s.customs_held_at
         FROM order_shipments s JOIN orders o ON o.id = s.order_id
         WHERE s.merchant_id = $1 AND s.tracking_number = $4 AND EXISTS (SELECT 1 FROM fresh)
         FOR UPDATE OF s),
       verdict AS (
         SELECT p.*, NOT (COALESCE(p.last_tag = 'Delivered' AND $6::text <> 'Delivered', false)
           OR COALESCE($5::timestamptz < p.last_checkpoint_at, false)) AS recorded
         FROM parcel p),
       moved AS (
         UPDATE order_shipments s SET last_tag = $6, last_checkpoint_at = $5,
           customs_held_at = CASE WHEN $9::boolean THEN COALESCE(s.customs_held_at, $3) ELSE s.customs_held_at END
         FROM verdict v WHERE s.merchant_id = $1 AND s.tracking_number = $4 AND v.recorded),
       written AS (
         INSERT INTO order_tracking (order_id, tracking_number, at, tag, subtag, message, received_at,
           customs, pending_since)
         SELECT v.order_id, $4, $5, $6, $7, $8, $3, $9, CASE WHEN $12::boolean THEN $3::timestamptz END
         FROM verdict v WHERE v.recorded
         RETURNING id),
       kept AS (
         INSERT INTO unmatched_tracking (merchant_id, tracking_number, body, received_at, expires_at)
         SELECT $1, $4, $10::jsonb, $3, $11
         WHERE EXISTS (SELECT 1 FROM fresh) AND NOT EXISTS (SELECT 1 FROM parcel))
       SELECT EXISTS (SELECT 1 FROM fresh) AS fresh, v.order_id, v.ref, COALESCE(v.recorded, false) AS recorded,
         (SELECT id::text FROM written) AS tracking_id,
         (v.customs_held_at IS NULL AND $9::boolean AND COALESCE(v.recorded, false)) AS first_customs
       FROM (SELECT 1) one LEFT JOIN verdict v ON true`;

/** What the late shipment check needs of an order (see OrderService). */
export interface LateCandidate {
  id: string;
  promised_ship_by: string | null;
  /** Promised, not shipped, with a supplier: the order gets a live `late_shipment` timer. */
  watched: boolean;
  s_country: string | null;
  s_timezone: string | null;
}

/** What {@link OrderRepository.applyTracking} did. */
export interface TrackingOutcome {
  /** False: the delivery was seen before, nothing happened. */
  fresh: boolean;
  /** Null: no parcel has the number (the body was kept). */
  order_id: string | null;
  ref: string | null;
  recorded: boolean;
  /** The recorded update's id (null when not recorded). */
  tracking_id: string | null;
  /** The parcel's first customs exception. */
  first_customs: boolean;
}

/** A recorded update whose cases were not driven yet (see {@link OrderRepository.claimPending}). */
export interface PendingTracking {
  id: string;
  merchant_id: string;
  ref: string;
  tracking_number: string;
  at: Date;
  tag: string;
  subtag: string | null;
  message: string | null;
  customs: boolean;
}

/** An order's timer claimed by the scheduler. */
export interface ClaimedOrderTimer {
  id: string;
  order_id: string;
  kind: string;
  due_at: Date;
}

/**
 * The SQL of orders, their parcels, their tracking updates and their timers. Writes take a set
 * of orders at once (`jsonb_to_recordset`): one POST and a 10,000-line CSV import cost the same
 * few statements.
 */
@Injectable()
export class OrderRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Creates or updates the orders by `(merchant_id, ref)` (refs unique within the call). A null
   * supplier, ship date or tracking number keeps the stored one; `created` tells which happened.
   */
  async upsert(
    tx: Queryable,
    merchantId: string,
    orders: OrderInput[],
    source: OrderSource,
    now: Date,
  ): Promise<UpsertedOrder[]> {
    const input = orders.map((o) => ({
      ref: o.ref,
      supplier_id: o.supplierId,
      placed_at: o.placedAt,
      promised_ship_by: o.promisedShipBy ?? null,
      shipped_at: o.shippedAt ?? null,
      tracking_number: o.trackingNumber ?? null,
      origin_country: o.originCountry,
      destination_country: o.destinationCountry,
      items: o.items,
      total: o.total,
      external_id: o.externalId ?? null,
    }));
    return tx.query<UpsertedOrder[]>(
      `INSERT INTO orders AS o (merchant_id, ref, supplier_id, placed_at, promised_ship_by, shipped_at,
         tracking_number, origin_country, destination_country, items, total, source, external_id, created_at, updated_at)
       SELECT $1, x.ref, x.supplier_id, x.placed_at, x.promised_ship_by, x.shipped_at, x.tracking_number,
         x.origin_country, x.destination_country, x.items, x.total, $3, x.external_id, $4, $4
       FROM jsonb_to_recordset($2::jsonb) AS x(ref text, supplier_id uuid, placed_at timestamptz,
         promised_ship_by date, shipped_at timestamptz, tracking_number text, origin_country text,
         destination_country text, items jsonb, total jsonb, external_id text)
       ON CONFLICT (merchant_id, ref) DO UPDATE SET
         supplier_id = COALESCE(EXCLUDED.supplier_id, o.supplier_id),
         placed_at = EXCLUDED.placed_at,
         promised_ship_by = COALESCE(EXCLUDED.promised_ship_by, o.promised_ship_by),
         shipped_at = COALESCE(o.shipped_at, EXCLUDED.shipped_at),
         tracking_number = COALESCE(o.tracking_number, EXCLUDED.tracking_number),
         origin_country = EXCLUDED.origin_country,
         destination_country = EXCLUDED.destination_country,
         items = EXCLUDED.items, total = EXCLUDED.total, updated_at = EXCLUDED.updated_at,
         external_id = COALESCE(EXCLUDED.external_id, o.external_id)
       RETURNING o.id, o.ref, (xmax = 0) AS created`,
      [merchantId, JSON.stringify(input), source, now],
    );
  }

  /**
   * Adds parcels to the merchant's orders by ref (a tracking number moves to the order that names
   * it last), and marks those orders shipped (their earliest parcel) when they were not.
   */
  async addShipments(
    tx: Queryable,
    merchantId: string,
    shipments: {
      ref: string;
      trackingNumber: string;
      carrier: string | null;
      shippedAt: string | null;
    }[],
    now: Date,
  ): Promise<void> {
    if (shipments.length === 0) return;
    const input = JSON.stringify(
      shipments.map((s) => ({
        ref: s.ref,
        tracking_number: s.trackingNumber,
        carrier: s.carrier,
        shipped_at: s.shippedAt,
      })),
    );
    await tx.query(
      `INSERT INTO order_shipments AS s (merchant_id, tracking_number, order_id, carrier, shipped_at, created_at)
       SELECT $1, x.tracking_number, o.id, x.carrier, x.shipped_at, $3
       FROM jsonb_to_recordset($2::jsonb) AS x(ref text, tracking_number text, carrier text, shipped_at timestamptz)
       JOIN orders o ON o.merchant_id = $1 AND o.ref = x.ref
       ON CONFLICT (merchant_id, tracking_number) DO UPDATE SET order_id = EXCLUDED.order_id,
         carrier = COALESCE(EXCLUDED.carrier, s.carrier), shipped_at = COALESCE(EXCLUDED.shipped_at, s.shipped_at)`,
      [merchantId, input, now],
    );
    await tx.query(
      `UPDATE orders o SET shipped_at = COALESCE(o.shipped_at, f.shipped_at, $3),
         tracking_number = COALESCE(o.tracking_number, f.tracking_number), updated_at = $3
       FROM (SELECT DISTINCT ON (s.order_id) s.order_id, s.shipped_at, s.tracking_number
             FROM order_shipments s JOIN orders o2 ON o2.id = s.order_id
             WHERE s.merchant_id = $1 AND o2.ref = ANY($2::text[])
             ORDER BY s.order_id, s.shipped_at NULLS LAST, s.created_at) f
       WHERE o.id = f.order_id AND (o.shipped_at IS NULL OR o.tracking_number IS NULL)`,
      [merchantId, [...new Set(shipments.map((s) => s.ref))], now],
    );
  }

  /** The orders' late-shipment facts, with their supplier's calendar. */
  async lateCandidates(tx: Queryable, orderIds: string[]): Promise<LateCandidate[]> {
    return tx.query<LateCandidate[]>(
      `SELECT o.id, o.promised_ship_by::text AS promised_ship_by,
         (o.promised_ship_by IS NOT NULL AND o.shipped_at IS NULL AND o.supplier_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM order_shipments s WHERE s.order_id = o.id)) AS watched,
         s.country AS s_country, s.timezone AS s_timezone
       FROM orders o LEFT JOIN suppliers s ON s.id = o.supplier_id
       WHERE o.id = ANY($1::uuid[])`,
      [orderIds],
    );
  }

  /** Sets (or moves) the live `late_shipment` timers of some orders and cancels others'. */
  async setLateTimers(
    tx: Queryable,
    live: { orderId: string; dueAt: Date }[],
    cancelOrderIds: string[],
    now: Date,
  ): Promise<void> {
    if (cancelOrderIds.length > 0) {
      await tx.query(
        `UPDATE order_timers SET cancelled_at = $2
         WHERE order_id = ANY($1::uuid[]) AND kind = 'late_shipment' AND fired_at IS NULL AND cancelled_at IS NULL`,
        [cancelOrderIds, now],
      );
    }
    if (live.length > 0) {
      await tx.query(
        `INSERT INTO order_timers (order_id, kind, due_at)
         SELECT x.order_id, 'late_shipment', x.due_at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS x(order_id, due_at)
         ON CONFLICT (order_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL
         DO UPDATE SET due_at = EXCLUDED.due_at`,
        [live.map((t) => t.orderId), live.map((t) => t.dueAt)],
      );
    }
  }

  /**
   * Claims due order timers, marking them fired, skipping any another claimer holds (`FOR UPDATE
   * SKIP LOCKED`, served by the partial index `order_timers_due`): each is claimed once.
   */
  async claimDueTimers(
    now: Date,
    limit: number,
    tx: Queryable = this.dataSource,
  ): Promise<ClaimedOrderTimer[]> {
    return tx.query<ClaimedOrderTimer[]>(
      // A SELECT around the UPDATE: TypeORM answers a bare UPDATE ... RETURNING as [rows, count].
      `WITH claimed AS (
         UPDATE order_timers t SET fired_at = $1
         WHERE t.id IN (SELECT id FROM order_timers
                        WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= $1
                        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING t.id::text AS id, t.order_id, t.kind, t.due_at)
       SELECT * FROM claimed ORDER BY due_at`,
      [now, limit],
    );
  }

  /** Which of these supplier ids exist. */
  async existingSuppliers(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM suppliers WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Gives a claimed timer back (its work failed): the next drain claims it again. */
  async unfireTimer(timerId: string): Promise<void> {
    await this.dataSource.query(`UPDATE order_timers SET fired_at = NULL WHERE id = $1`, [timerId]);
  }

  async findById(id: string): Promise<OrderRow | undefined> {
    const rows = await this.dataSource.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = $1`,
      [id],
    );
    return rows[0];
  }

  /** Orders by ref, the merchant's one or (ops, no merchant) every merchant's. */
  async findByRef(ref: string, merchantId: string | null): Promise<OrderRow[]> {
    return this.dataSource.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o
       WHERE o.ref = $1 AND ($2::uuid IS NULL OR o.merchant_id = $2)
       ORDER BY o.created_at, o.id LIMIT 100`,
      [ref, merchantId],
    );
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(
    merchantId: string | null,
    limit: number,
    after: { createdAt: Date; id: string } | null,
  ): Promise<OrderRow[]> {
    return this.dataSource.query<OrderRow[]>(
      `SELECT ${ORDER_COLUMNS} FROM orders o
       WHERE ($1::uuid IS NULL OR o.merchant_id = $1)
         AND ($2::timestamptz IS NULL OR (o.created_at, o.id) < ($2, $3::uuid))
       ORDER BY o.created_at DESC, o.id DESC LIMIT $4`,
      [merchantId, after?.createdAt ?? null, after?.id ?? null, limit],
    );
  }

  async tracking(orderId: string): Promise<TrackingRow[]> {
    return this.dataSource.query<TrackingRow[]>(
      `SELECT tracking_number, at, tag, subtag, message FROM order_tracking
       WHERE order_id = $1 ORDER BY at, id`,
      [orderId],
    );
  }

  /** The merchant's order with this shop id, or else with this ref. */
  async findForShop(
    merchantId: string,
    externalId: string | null,
    ref: string | null,
  ): Promise<{ id: string; ref: string } | undefined> {
    const rows = await this.dataSource.query<{ id: string; ref: string }[]>(
      `SELECT id, ref FROM orders WHERE merchant_id = $1 AND (external_id = $2 OR ref = $3)
       ORDER BY (external_id = $2) DESC NULLS LAST LIMIT 1`,
      [merchantId, externalId, ref],
    );
    return rows[0];
  }

  /**
   * A tracking update in one statement (the hot path of tracking webhooks): the delivery's receipt
   * (`integration_receipts`, nothing else happens for one seen before), the parcel locked, the
   * update recorded on its order unless older than what the parcel told already or after it was
   * delivered, or else, for a tracking number no parcel has, the body kept until `keepUntil`.
   * All or nothing. The lock is taken by the `parcel` CTE and the update matches the parcel by its
   * key only (no version in its predicate), so it applies to the row version the lock returned.
   */
  async applyTracking(
    merchantId: string,
    deliveryId: string,
    update: {
      trackingNumber: string;
      at: Date;
      tag: string;
      subtag: string | null;
      message: string | null;
      customs: boolean;
    },
    body: unknown,
    now: Date,
    keepUntil: Date,
    drivesCases: boolean,
  ): Promise<TrackingOutcome> {
    // Prepared: its plan is settled once per connection (src/database/prepared.ts).
    const rows = await this.dataSource.query<TrackingOutcome[]>(prepared(TRACKING_SQL), [
      merchantId,
      deliveryId,
      now,
      update.trackingNumber,
      update.at,
      update.tag,
      update.subtag,
      update.message,
      update.customs,
      JSON.stringify(body),
      keepUntil,
      drivesCases,
    ]);
    return rows[0];
  }

  /** The recorded update's cases were driven: no longer pending. */
  async settleTracking(trackingId: string): Promise<void> {
    await this.dataSource.query(`UPDATE order_tracking SET pending_since = NULL WHERE id = $1`, [
      trackingId,
    ]);
  }

  /**
   * Claims recorded updates still pending since before `before` (their app stopped before it
   * drove their cases), settled as claimed, skipping any another claimer holds.
   */
  async claimPending(before: Date, limit: number): Promise<PendingTracking[]> {
    return this.dataSource.query<PendingTracking[]>(
      `WITH claimed AS (
         UPDATE order_tracking t SET pending_since = NULL
         WHERE t.id IN (SELECT id FROM order_tracking WHERE pending_since <= $1
                        ORDER BY pending_since LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING t.id, t.order_id, t.tracking_number, t.at, t.tag, t.subtag, t.message, t.customs)
       SELECT c.id::text AS id, o.merchant_id, o.ref, c.tracking_number, c.at, c.tag, c.subtag,
         c.message, c.customs
       FROM claimed c JOIN orders o ON o.id = c.order_id ORDER BY c.at, c.id`,
      [before, limit],
    );
  }

  /** Gives a claimed update back (driving its cases failed): claimed again later. */
  async unsettleTracking(trackingId: string, since: Date): Promise<void> {
    await this.dataSource.query(`UPDATE order_tracking SET pending_since = $2 WHERE id = $1`, [
      trackingId,
      since,
    ]);
  }

  /** Takes (deletes and answers) the kept updates of these tracking numbers, oldest first. */
  async takeUnmatched(
    merchantId: string,
    trackingNumbers: string[],
    now: Date,
  ): Promise<{ body: unknown }[]> {
    return this.dataSource.query<{ body: unknown }[]>(
      `WITH taken AS (
         DELETE FROM unmatched_tracking
         WHERE merchant_id = $1 AND tracking_number = ANY($2::text[]) AND expires_at > $3
         RETURNING id, body)
       SELECT body FROM taken ORDER BY id`,
      [merchantId, trackingNumbers, now],
    );
  }

  /** Forgets kept updates past their time; answers how many. */
  async purgeUnmatched(now: Date): Promise<number> {
    const [, count] = await this.dataSource.query<[unknown, number]>(
      `DELETE FROM unmatched_tracking WHERE expires_at <= $1`,
      [now],
    );
    return count;
  }
}
