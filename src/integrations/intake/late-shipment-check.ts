import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DueWork } from '../../deadlines/due-work';
import { OrderRepository } from '../../orders/order.repository';
import { AutoOpenService } from './auto-open.service';

/** Order timers claimed per statement. */
const CLAIM_BATCH = 100;

/**
 * The automatic `late_shipment` check (intake.md): each promised, unshipped order with a supplier
 * has a `late_shipment` timer due at the end of `promisedShipBy` + 1 day in the supplier's
 * timezone (kept by OrderService with every write of the order: a shipment cancels it). The
 * scheduler's tick (and the test clock) drains the due ones here: claimed once with `FOR UPDATE
 * SKIP LOCKED` by any number of instances, then a case opened when the merchant's switch is on.
 * No scan of every order: only due timers are read, through a partial index.
 */
@Injectable()
export class LateShipmentCheck implements OnModuleInit {
  private readonly logger = new Logger(LateShipmentCheck.name);

  constructor(
    private readonly orders: OrderRepository,
    private readonly autoOpen: AutoOpenService,
    private readonly dueWork: DueWork,
  ) {}

  onModuleInit(): void {
    this.dueWork.register('late-shipment-check', (now) => this.drainDue(now));
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
          const reason =
            `Order ${order.ref} was not shipped by the end of ${order.promised_ship_by} + 1 day ` +
            `(the supplier's timezone)`;
          await this.autoOpen.open(order.merchant_id, order.ref, 'late_shipment', reason);
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
}
