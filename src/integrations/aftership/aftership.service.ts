import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../../common/clock/clock.service';
import { ApiError } from '../../common/errors/api-error';
import { OrderRepository } from '../../orders/order.repository';
import { OrderService } from '../../orders/order.service';
import { IntegrationsService } from '../integrations.service';
import { trackingUpdate, UnusableTrackingPayload, type TrackingUpdate } from './aftership-mapping';
import { drivesCases, TrackingCases } from './tracking-cases';

/** How long an update for an unknown tracking number is kept, in case its order comes later. */
export const UNMATCHED_RETENTION_MS = 30 * 24 * 3_600_000;

export interface AfterShipDelivery {
  merchantId: string;
  headers: Record<string, string | string[] | undefined>;
  rawBody: Buffer | string | undefined;
  body: unknown;
}

export type AfterShipResult =
  | { duplicate: true }
  | { trackingNumber: string; unknownTracking: true }
  | {
      trackingNumber: string;
      orderId: string;
      recorded: boolean;
      events: string[];
      opened?: string;
    };

/**
 * AfterShip's tracking webhooks for one merchant (intake.md, "Tracking"): admitted by the one door
 * (`aftership-hmac-sha256` over the raw body, then `event_id` for dedupe), found by tracking
 * number (unknown: kept 30 days, replayed when an order names the number), recorded on the order
 * unless older than what the parcel already told (an `InTransit` after `Delivered` changes
 * nothing), then sent to the order's open cases ({@link TrackingCases}); an update that drives
 * cases is pending until it has, so the scheduler drives it again if the app stopped between.
 */
@Injectable()
export class AfterShipService implements OnModuleInit {
  private readonly logger = new Logger(AfterShipService.name);

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly orders: OrderService,
    private readonly orderRows: OrderRepository,
    private readonly trackingCases: TrackingCases,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.orders.onShipments((merchantId, numbers) => this.replay(merchantId, numbers));
  }

  async receive(delivery: AfterShipDelivery): Promise<{ status: number; body: AfterShipResult }> {
    const { merchantId } = delivery;
    const eventId = (delivery.body as { event_id?: unknown } | null)?.event_id;
    const verified = await this.integrations.verify('aftership', {
      merchantId,
      rawBody: delivery.rawBody,
      signature: delivery.headers['aftership-hmac-sha256'],
      deliveryId: typeof eventId === 'string' ? eventId : undefined,
    });
    let update: TrackingUpdate;
    try {
      update = trackingUpdate(delivery.body);
    } catch (error) {
      if (error instanceof UnusableTrackingPayload)
        throw ApiError.validation([{ field: 'msg', problem: error.message }]);
      throw error;
    }
    const result = await this.apply(merchantId, verified.deliveryId, update, delivery.body);
    const status = 'unknownTracking' in result ? 202 : 200;
    return { status, body: result };
  }

  /**
   * Records the update on its order (or keeps it for later) with the delivery's receipt, in one
   * statement (OrderRepository.applyTracking), then drives the open cases.
   */
  private async apply(
    merchantId: string,
    deliveryId: string,
    update: TrackingUpdate,
    body: unknown,
  ): Promise<AfterShipResult> {
    const now = this.clock.now();
    const { trackingNumber } = update;
    const keepUntil = new Date(now.getTime() + UNMATCHED_RETENTION_MS);
    // Recorded pending until its cases are driven (TrackingCases drives it again otherwise).
    const pending = drivesCases(update);
    const outcome = await this.orderRows.applyTracking(
      merchantId,
      deliveryId,
      update,
      body,
      now,
      keepUntil,
      pending,
    );
    if (!outcome.fresh) return { duplicate: true };
    if (!outcome.order_id || !outcome.ref) return { trackingNumber, unknownTracking: true };
    const result = {
      trackingNumber,
      orderId: outcome.order_id,
      recorded: outcome.recorded,
      events: [] as string[],
    };
    if (!outcome.recorded) return result;
    const driven = await this.trackingCases.drive(merchantId, outcome.ref, update, {
      firstCustoms: outcome.first_customs,
    });
    if (outcome.tracking_id && pending) await this.orderRows.settleTracking(outcome.tracking_id);
    return { ...result, ...driven };
  }

  /** Updates that came before their order: applied now that a shipment names their number. */
  private async replay(merchantId: string, trackingNumbers: string[]): Promise<void> {
    const kept = await this.orderRows.takeUnmatched(merchantId, trackingNumbers, this.clock.now());
    for (const { body } of kept) {
      try {
        // Its own receipt: the delivery's was written when it was kept.
        const eventId = (body as { event_id?: unknown } | null)?.event_id;
        const deliveryId = `replay:${typeof eventId === 'string' ? eventId : randomUUID()}`;
        await this.apply(merchantId, deliveryId, trackingUpdate(body), body);
      } catch (error) {
        this.logger.warn(`replaying a kept tracking update failed: ${String(error)}`);
      }
    }
  }

  /** Forgets kept updates past their 30 days. */
  purgeUnmatched(): Promise<number> {
    return this.orderRows.purgeUnmatched(this.clock.now());
  }
}
