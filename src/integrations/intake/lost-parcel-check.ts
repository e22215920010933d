import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.service';
import { OrderService } from '../../orders/order.service';
import type { OrderRow } from '../../orders/order.types';
import { IntegrationsService } from '../integrations.service';
import { AutoOpenService, type AutoOpenResult } from './auto-open.service';
import { LostParcelRepository } from './lost-parcel.repository';

const DAY_MS = 24 * 3_600_000;

/** A parcel silent for this long after its last news is no longer watched (no carrier tracks it). */
export const LOST_WATCH_LIMIT_DAYS = 180;

/** What a fired `lost_parcel` timer did. */
export type LostParcelOutcome =
  | AutoOpenResult
  | { opened: false; reason: 'delivered' | 'expired' | 'rearmed' | 'unwatched' };

/**
 * The automatic `lost_parcel` opening after silence (intake.md): "a parcel with no tracking update
 * for `lostAfterDays`". Each shipped order gets a `lost_parcel` timer when its parcels are written
 * (domestic or international days, by its countries); when it fires ({@link OrderTimers}), the
 * order's latest news (ship date, carrier checkpoints) is read again: news since then re-arms the
 * timer for `lostAfterDays` after it, a delivered parcel or one the carrier gave up on (`Expired`,
 * opened by the tracking webhook) ends it, else a case opens if the merchant's switch is on (off:
 * re-armed, so switching on later still watches the parcel). Tracking webhooks stay one statement:
 * they never touch the timer.
 */
@Injectable()
export class LostParcelCheck implements OnModuleInit {
  constructor(
    private readonly timers: LostParcelRepository,
    private readonly orders: OrderService,
    private readonly integrations: IntegrationsService,
    private readonly autoOpen: AutoOpenService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.orders.onShipments((merchantId, numbers) => this.arm(merchantId, numbers));
  }

  private async arm(merchantId: string, trackingNumbers: string[]): Promise<void> {
    const { lostAfterDays } = await this.integrations.settings(merchantId);
    await this.timers.arm(merchantId, trackingNumbers, lostAfterDays, this.clock.now());
  }

  async fire(order: OrderRow, now: Date): Promise<LostParcelOutcome> {
    const facts = await this.timers.facts(order.id);
    if (!facts || facts.delivered) return { opened: false, reason: 'delivered' };
    if (facts.expired) return { opened: false, reason: 'expired' };
    const settings = await this.integrations.settings(facts.merchant_id);
    const days = facts.domestic
      ? settings.lostAfterDays.domestic
      : settings.lostAfterDays.international;
    const since = facts.last_activity ?? now;
    const due = new Date(since.getTime() + days * DAY_MS);
    if (now.getTime() - since.getTime() > LOST_WATCH_LIMIT_DAYS * DAY_MS)
      return { opened: false, reason: 'unwatched' };
    if (due > now) {
      await this.timers.rearm(order.id, due);
      return { opened: false, reason: 'rearmed' };
    }
    if (!settings.autoOpen.lost_parcel) {
      await this.timers.rearm(order.id, new Date(now.getTime() + days * DAY_MS));
      return { opened: false, reason: 'switched_off' };
    }
    const reason =
      `The parcel of order ${facts.ref} has had no tracking update for ${days} days ` +
      `(last news ${since.toISOString().slice(0, 10)})`;
    return this.autoOpen.open(facts.merchant_id, facts.ref, 'lost_parcel', reason, settings);
  }
}
