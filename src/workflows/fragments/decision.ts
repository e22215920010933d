/**
 * The merchant's decisions: `awaiting_decision`, where the merchant chooses `REQUEST_REFUND` or
 * `SWITCH_SUPPLIER` (out_of_stock, and late_shipment after `late_4d`, where a late `SHIPPED` still
 * closes the case), and, from version 2, `supplier_replied` (unresponsive_supplier). Each reminds
 * the merchant after 3 days (`decision_reminder`: a notification, no breach, no change of state).
 */
import { close, notify, openState, type StateBuilder } from './shared-states';
import { switchSupplier, toRefund } from './refund';
import { schedule } from './timers';

const reminder = {
  entry: [schedule('decision_reminder')],
  timers: { decision_reminder: { actions: [notify('merchant', 'merchant.decision_reminder')] } },
};

export function awaitingDecision(options: { shippedCloses: boolean }): StateBuilder {
  return openState('awaiting_decision', {
    waitingOn: 'merchant',
    on: {
      REQUEST_REFUND: toRefund,
      SWITCH_SUPPLIER: switchSupplier,
      ...(options.shippedCloses ? { SHIPPED: close('shipped') } : {}),
    },
    v2: reminder,
  });
}

/**
 * `supplier_replied` (version 2): the unresponsive supplier answered; the merchant decides:
 * `WITHDRAW` (solved), `REQUEST_REFUND` or `SWITCH_SUPPLIER`.
 */
export const supplierReplied: StateBuilder = openState('supplier_replied', {
  since: 2,
  waitingOn: 'merchant',
  on: { REQUEST_REFUND: toRefund, SWITCH_SUPPLIER: switchSupplier },
  v2: reminder,
});
