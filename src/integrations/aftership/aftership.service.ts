import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CaseService } from '../../cases/case.service';
import { INTAKE_ACTOR } from '../../cases/system-opening';
import { Clock } from '../../common/clock/clock.service';
import { ApiError } from '../../common/errors/api-error';
import { OrderRepository } from '../../orders/order.repository';
import { OrderService } from '../../orders/order.service';
import { AutoOpenService } from '../intake/auto-open.service';
import { IntegrationsService } from '../integrations.service';
import { trackingUpdate, UnusableTrackingPayload, type TrackingUpdate } from './aftership-mapping';

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
 * nothing), then sent to the order's open cases through CaseService.apply: `Delivered` ->
 * `DELIVERED`, a customs `Exception` -> `CUSTOMS_HELD` (and the customs_delay opening),
 * `Expired` -> `DECLARED_LOST` (and the lost_parcel opening, declared lost at once).
 */
@Injectable()
export class AfterShipService implements OnModuleInit {
  private readonly logger = new Logger(AfterShipService.name);

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly orders: OrderService,
    private readonly orderRows: OrderRepository,
    private readonly cases: CaseService,
    private readonly autoOpen: AutoOpenService,
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
    const outcome = await this.orderRows.applyTracking(
      merchantId,
      deliveryId,
      update,
      body,
      now,
      keepUntil,
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
    const ref = outcome.ref;
    result.events = await this.driveCases(merchantId, ref, update);
    if (outcome.first_customs) {
      const reason = `Parcel ${trackingNumber} held at customs: ${update.message ?? update.subtag ?? 'Exception'}`;
      const opened = await this.autoOpen.open(merchantId, ref, 'customs_delay', reason);
      if (opened.opened) return { ...result, opened: opened.caseId };
    }
    if (update.tag === 'Expired' && result.events.length === 0) {
      const reason = `Parcel ${trackingNumber} expired: the carrier stopped tracking it`;
      const opened = await this.autoOpen.open(merchantId, ref, 'lost_parcel', reason);
      if (!opened.opened) return result;
      // The carrier gave up: the case opens declared lost, past the week it would wait for it.
      const declared = await this.send(opened.caseId, merchantId, 'DECLARED_LOST', update);
      return { ...result, events: declared ? [declared] : [], opened: opened.caseId };
    }
    return result;
  }

  /** What each tracking update tells the open cases of its order, and which types take it. */
  private static eventOf(update: TrackingUpdate): { type: string; takers: string[] } | null {
    if (update.tag === 'Delivered')
      return { type: 'DELIVERED', takers: ['customs_delay', 'lost_parcel'] };
    if (update.tag === 'Expired') return { type: 'DECLARED_LOST', takers: ['lost_parcel'] };
    if (update.customs) return { type: 'CUSTOMS_HELD', takers: ['customs_delay'] };
    return null;
  }

  /** Sends the update's event to each open case of the order whose type takes it. */
  private async driveCases(
    merchantId: string,
    orderRef: string,
    update: TrackingUpdate,
  ): Promise<string[]> {
    const told = AfterShipService.eventOf(update);
    if (!told) return [];
    const sent: string[] = [];
    for (const open of await this.integrations.openCases(merchantId, orderRef)) {
      if (!told.takers.includes(open.type)) continue;
      const done = await this.send(open.id, merchantId, told.type, update);
      if (done) sent.push(done);
    }
    return sent;
  }

  /** Sends one event to one case as `{kind: "system", id: "intake"}`; `TYPE:caseId` if taken. */
  private async send(
    caseId: string,
    merchantId: string,
    type: string,
    update: TrackingUpdate,
  ): Promise<string | null> {
    const payload: Record<string, unknown> =
      type === 'DECLARED_LOST'
        ? { reason: `The carrier stopped tracking parcel ${update.trackingNumber} (Expired)` }
        : { trackingNumber: update.trackingNumber };
    if (type === 'DELIVERED') payload.at = update.at.toISOString();
    else if (type === 'CUSTOMS_HELD' && update.message) payload.message = update.message;
    try {
      await this.cases.apply(caseId, { type, payload, actor: INTAKE_ACTOR, scope: { merchantId } });
      return `${type}:${caseId}`;
    } catch (error) {
      // A case of an older workflow version, or a state that does not take it: left as it is.
      if (!(error instanceof ApiError)) throw error;
      this.logger.debug(`${type} not taken by case ${caseId}: ${error.code}`);
      return null;
    }
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
