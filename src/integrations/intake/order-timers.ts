import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DueWork } from '../../deadlines/due-work';
import { OrderRepository } from '../../orders/order.repository';
import type { OrderRow } from '../../orders/order.types';
import { LateShipmentCheck } from './late-shipment-check';
import { LostParcelCheck } from './lost-parcel-check';

/** Order timers claimed per statement. */
const CLAIM_BATCH = 100;

/**
 * The orders' timers (intake.md, "Cases that open by themselves"): `late_shipment` and
 * `lost_parcel`. The scheduler's tick (and the test clock) drains the due ones here: claimed once
 * with `FOR UPDATE SKIP LOCKED` by any number of instances, then handed to the check of their
 * kind. No scan of every order: only due timers are read, through a partial index.
 */
@Injectable()
export class OrderTimers implements OnModuleInit {
  private readonly logger = new Logger(OrderTimers.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly late: LateShipmentCheck,
    private readonly lost: LostParcelCheck,
    private readonly dueWork: DueWork,
  ) {}

  onModuleInit(): void {
    this.dueWork.register('order-timers', (now) => this.drainDue(now));
  }

  /** Fires every order timer due at `now`; answers how many fired. */
  async drainDue(now: Date): Promise<number> {
    let fired = 0;
    for (;;) {
      let failed = false;
      const claimed = await this.orders.claimDueTimers(now, CLAIM_BATCH);
      for (const timer of claimed) {
        try {
          const order = await this.orders.findById(timer.order_id);
          if (!order) continue;
          await this.fire(timer.kind, order, now);
          fired++;
        } catch (error) {
          // Given back: the next drain claims it again.
          this.logger.error(`order timer ${timer.id} failed: ${String(error)}`);
          await this.orders.unfireTimer(timer.id);
          failed = true;
        }
      }
      // A timer given back would be claimed again at once: leave it for the next tick.
      if (failed || claimed.length < CLAIM_BATCH) return fired;
    }
  }

  private fire(kind: string, order: OrderRow, now: Date): Promise<unknown> {
    if (kind === 'lost_parcel') return this.lost.fire(order, now);
    return this.late.fire(order);
  }
}
