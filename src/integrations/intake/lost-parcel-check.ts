import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../../common/clock/clock.service';
import { OrderService } from '../../orders/order.service';
import type { OrderRow } from '../../orders/order.types';
import { IntegrationsService, type MerchantSettings } from '../integrations.service';
import { AutoOpenService, type AutoOpenResult } from './auto-open.service';
import { LostParcelRepository, type LostParcelFacts } from './lost-parcel.repository';

const DAY_MS = 24 * 3_600_000;

/** A parcel silent for this long after its last news is no longer watched (no carrier tracks it). */
export const LOST_WATCH_LIMIT_DAYS = 180;

/** What a fired `lost_parcel` timer did. */
export type LostParcelOutcome =
  | AutoOpenResult
  | { opened: false; reason: 'delivered' | 'expired' | 'rearmed' | 'unwatched' };

/** What a fired `lost_parcel` timer should do with an order. */
export type LostParcelVerdict =
  | { kind: 'end'; reason: 'delivered' | 'expired' | 'unwatched' }
  | { kind: 'wait'; until: Date; switchedOff: boolean }
  | { kind: 'open'; reason: string };

/**
 * The rule of a fired `lost_parcel` timer, pure: lost after `lostAfterDays` (domestic or
 * international) without news; news since re-arms; delivered, expired or silent past the watch
 * limit ends it; with the switch off it waits another `lostAfterDays`.
 */
export function lostParcelVerdict(
  facts: Pick<LostParcelFacts, 'ref' | 'domestic' | 'delivered' | 'expired' | 'last_activity'>,
  settings: MerchantSettings,
  now: Date,
): LostParcelVerdict {
  if (facts.delivered) return { kind: 'end', reason: 'delivered' };
  if (facts.expired) return { kind: 'end', reason: 'expired' };
  const days = facts.domestic
    ? settings.lostAfterDays.domestic
    : settings.lostAfterDays.international;
  const since = facts.last_activity ?? now;
  if (now.getTime() - since.getTime() > LOST_WATCH_LIMIT_DAYS * DAY_MS)
    return { kind: 'end', reason: 'unwatched' };
  const due = new Date(since.getTime() + days * DAY_MS);
  if (due > now) return { kind: 'wait', until: due, switchedOff: false };
  if (!settings.autoOpen.lost_parcel)
    return { kind: 'wait', until: new Date(now.getTime() + days * DAY_MS), switchedOff: true };
  return {
    kind: 'open',
    reason:
      `The parcel of order ${facts.ref} has had no tracking update for ${days} days ` +
      `(last news ${since.toISOString().slice(0, 10)})`,
  };
}

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
    this.integrations.onSettings((merchantId, before, after) =>
      this.followSettings(merchantId, before, after),
    );
  }

  /**
   * New `lostAfterDays`, or the switch turned on: the merchant's timers are judged again at the
   * next tick, so that shorter days (or a parcel already silent too long) count at once.
   */
  private async followSettings(
    merchantId: string,
    before: MerchantSettings,
    after: MerchantSettings,
  ): Promise<void> {
    const days = (s: MerchantSettings) =>
      `${s.lostAfterDays.domestic}/${s.lostAfterDays.international}`;
    const switchedOn = after.autoOpen.lost_parcel && !before.autoOpen.lost_parcel;
    if (switchedOn || days(before) !== days(after))
      await this.timers.dueNow(merchantId, this.clock.now());
  }

  private async arm(merchantId: string, trackingNumbers: string[]): Promise<void> {
    const { lostAfterDays } = await this.integrations.settings(merchantId);
    await this.timers.arm(merchantId, trackingNumbers, lostAfterDays, this.clock.now());
  }

  async fire(order: OrderRow, now: Date): Promise<LostParcelOutcome> {
    const facts = await this.timers.facts(order.id);
    if (!facts) return { opened: false, reason: 'delivered' };
    const settings = await this.integrations.settings(facts.merchant_id);
    const verdict = lostParcelVerdict(facts, settings, now);
    if (verdict.kind === 'end') return { opened: false, reason: verdict.reason };
    if (verdict.kind === 'wait') {
      await this.timers.rearm(order.id, verdict.until);
      return { opened: false, reason: verdict.switchedOff ? 'switched_off' : 'rearmed' };
    }
    return this.autoOpen.open(
      facts.merchant_id,
      facts.ref,
      'lost_parcel',
      verdict.reason,
      settings,
    );
  }
}
