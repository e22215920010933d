import { Injectable, Logger } from '@nestjs/common';
import { CaseService } from '../../cases/case.service';
import { INTAKE_ACTOR } from '../../cases/system-opening';
import { ApiError } from '../../common/errors/api-error';
import { OrderService } from '../../orders/order.service';
import { IntegrationsService, type MerchantSettings } from '../integrations.service';

/** The case types that open by themselves (intake.md). */
export type AutoOpenType = 'late_shipment' | 'customs_delay' | 'lost_parcel' | 'buyer_cancellation';

/** What an automatic opening did. */
export type AutoOpenResult =
  | { opened: true; caseId: string }
  | {
      opened: false;
      reason: 'switched_off' | 'no_supplier' | 'case_exists' | 'unfit' | 'unknown_order';
    };

/**
 * Opens cases by themselves when the merchant's settings ask for it (intake.md): a copy of the
 * merchant's order, its supplier, opened by `{kind: "system", id: "intake"}` through the same door
 * as everyone's (CaseService.open), the merchant told with `merchant.case_opened` and the reason.
 * An order that already has an open case of the type is left as it is (`case_exists`).
 */
@Injectable()
export class AutoOpenService {
  private readonly logger = new Logger(AutoOpenService.name);

  constructor(
    private readonly cases: CaseService,
    private readonly orders: OrderService,
    private readonly integrations: IntegrationsService,
  ) {}

  async open(
    merchantId: string,
    orderRef: string,
    type: AutoOpenType,
    reason: string,
    settings?: MerchantSettings,
  ): Promise<AutoOpenResult> {
    const switches = (settings ?? (await this.integrations.settings(merchantId))).autoOpen;
    if (!switches[type]) return { opened: false, reason: 'switched_off' };
    let found;
    try {
      found = await this.orders.snapshotFor(merchantId, orderRef);
    } catch (error) {
      if (error instanceof ApiError) return { opened: false, reason: 'unknown_order' };
      throw error;
    }
    if (!found.supplierId) return { opened: false, reason: 'no_supplier' };
    try {
      const opened = await this.cases.open({
        type,
        merchantId,
        supplierId: found.supplierId,
        order: found.order,
        description: reason,
        actor: INTAKE_ACTOR,
        reason,
      });
      return { opened: true, caseId: opened.id };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'case_exists') return { opened: false, reason: 'case_exists' };
      this.logger.warn(`${type} for order ${orderRef} not opened: ${error.message}`);
      return { opened: false, reason: 'unfit' };
    }
  }
}
