import { Injectable } from '@nestjs/common';
import type { OrderRow } from '../../orders/order.types';
import { AutoOpenService, type AutoOpenResult } from './auto-open.service';

/**
 * The automatic `late_shipment` opening (intake.md): each promised, unshipped order with a
 * supplier has a `late_shipment` timer due at the end of `promisedShipBy` + 1 day in the
 * supplier's timezone (kept by OrderService with every write of the order: a shipment cancels
 * it). When it fires ({@link OrderTimers}), a case opens if the merchant's switch is on.
 */
@Injectable()
export class LateShipmentCheck {
  constructor(private readonly autoOpen: AutoOpenService) {}

  fire(order: OrderRow): Promise<AutoOpenResult> {
    const reason =
      `Order ${order.ref} was not shipped by the end of ${order.promised_ship_by} + 1 day ` +
      `(the supplier's timezone)`;
    return this.autoOpen.open(order.merchant_id, order.ref, 'late_shipment', reason);
  }
}
