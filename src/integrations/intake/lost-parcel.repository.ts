import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** What the lost-parcel check reads of an order when its timer fires. */
export interface LostParcelFacts {
  merchant_id: string;
  ref: string;
  /** Shipped from and to the same country: `lostAfterDays.domestic` applies. */
  domestic: boolean;
  /** Every parcel of the order delivered. */
  delivered: boolean;
  /** A parcel the carrier gave up on (`Expired`): the tracking webhook handled it. */
  expired: boolean;
  /** The latest of the ship date and the carrier's last checkpoint. */
  last_activity: Date | null;
}

/** The days without a tracking update after which a parcel counts as lost, per merchant. */
export interface LostAfterDays {
  domestic: number;
  international: number;
}

/**
 * The SQL of the `lost_parcel` order timers (intake.md): armed when an order's parcels are
 * written, read and re-armed when one fires. Beside the check, not in OrderRepository: the
 * tracking webhook's own statement never touches them.
 */
@Injectable()
export class LostParcelRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Gives each order of these parcels a live `lost_parcel` timer unless it has one: due
   * `lostAfterDays` after the ship date (now, when the order does not say), domestic or
   * international by the order's countries. An order whose parcels are all delivered gets none.
   */
  async arm(
    merchantId: string,
    trackingNumbers: string[],
    days: LostAfterDays,
    now: Date,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO order_timers (order_id, kind, due_at)
       SELECT o.id, 'lost_parcel', COALESCE(o.shipped_at, $3) + make_interval(days =>
         CASE WHEN o.origin_country = o.destination_country THEN $4::int ELSE $5::int END)
       FROM orders o
       WHERE o.id IN (SELECT s.order_id FROM order_shipments s
                      WHERE s.merchant_id = $1 AND s.tracking_number = ANY($2::text[]))
         AND EXISTS (SELECT 1 FROM order_shipments s WHERE s.order_id = o.id
                     AND s.last_tag IS DISTINCT FROM 'Delivered')
       ON CONFLICT (order_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL DO NOTHING`,
      [merchantId, trackingNumbers, now, days.domestic, days.international],
    );
  }

  async facts(orderId: string): Promise<LostParcelFacts | undefined> {
    const rows = await this.dataSource.query<LostParcelFacts[]>(
      `SELECT o.merchant_id, o.ref, o.origin_country = o.destination_country AS domestic,
         COALESCE(bool_and(s.last_tag = 'Delivered'), false) AS delivered,
         COALESCE(bool_or(s.last_tag = 'Expired'), false) AS expired,
         GREATEST(o.shipped_at, max(s.last_checkpoint_at)) AS last_activity
       FROM orders o LEFT JOIN order_shipments s ON s.order_id = o.id
       WHERE o.id = $1 GROUP BY o.id`,
      [orderId],
    );
    return rows[0];
  }

  /** A new live `lost_parcel` timer for the order (its fired one stays as the record). */
  async rearm(orderId: string, dueAt: Date): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO order_timers (order_id, kind, due_at) VALUES ($1, 'lost_parcel', $2)
       ON CONFLICT (order_id, kind) WHERE fired_at IS NULL AND cancelled_at IS NULL
       DO UPDATE SET due_at = LEAST(order_timers.due_at, EXCLUDED.due_at)`,
      [orderId, dueAt],
    );
  }

  /**
   * Brings the merchant's live `lost_parcel` timers due after `now` to `now`: each fires at the
   * next tick and its verdict re-arms it with the merchant's days as they are now.
   */
  async dueNow(merchantId: string, now: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE order_timers t SET due_at = $2 FROM orders o
       WHERE o.id = t.order_id AND o.merchant_id = $1 AND t.kind = 'lost_parcel'
         AND t.fired_at IS NULL AND t.cancelled_at IS NULL AND t.due_at > $2`,
      [merchantId, now],
    );
  }
}
