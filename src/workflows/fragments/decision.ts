/**
 * `awaiting_decision`: the merchant chooses `REQUEST_REFUND` or `SWITCH_SUPPLIER` (out_of_stock, and
 * late_shipment after `late_4d`, where a late `SHIPPED` still closes the case).
 */
import { close, openState } from './shared-states';
import { switchSupplier, toRefund } from './refund';
import type { WorkflowStateConfig } from './machine-setup';

export function awaitingDecision(options: { shippedCloses: boolean }): WorkflowStateConfig {
  return openState('awaiting_decision', {
    on: {
      REQUEST_REFUND: toRefund,
      SWITCH_SUPPLIER: switchSupplier,
      ...(options.shippedCloses ? { SHIPPED: close('shipped') } : {}),
    },
  });
}
