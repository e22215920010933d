import { close, notify, openState } from '../fragments/shared-states';
import { awaitingDecision } from '../fragments/decision';
import { caseMachine } from '../fragments/case-machine';
import { refundPending } from '../fragments/refund';
import { schedule } from '../fragments/timers';

const toAwaitingDecision = {
  target: 'awaiting_decision',
  actions: [notify('merchant', 'merchant.decision_required')],
};

/**
 * `late_shipment`: the supplier has not shipped by `order.promisedShipBy`. Late by 2 days: press
 * the supplier; late by 4 days: a deeper stock problem, the merchant decides.
 *
 * - `awaiting_shipment` (initial): `late_2d` (end of promisedShipBy + 2 days, supplier's timezone)
 *   moves to `supplier_nudged`, which nudges the supplier. `late_4d` (+4 days) belongs to
 *   `awaiting_shipment` and `supplier_nudged` together and moves to `awaiting_decision`.
 * - `awaiting_decision`: `REQUEST_REFUND` or `SWITCH_SUPPLIER`, as for out_of_stock.
 * - `SHIPPED` in any of the three closes the case as `shipped`.
 * - `refund_pending`, `escalated`, `closed`: as elsewhere. A case opened late starts in
 *   `awaiting_shipment` too: the case service fires the timers already due, in order.
 */
export const LateShipmentMachine = caseMachine('late_shipment', {
  initial: 'awaiting_shipment',
  states: {
    awaiting_shipment: openState('awaiting_shipment', {
      waitingOn: 'supplier',
      entry: [schedule('late_2d'), schedule('late_4d')],
      on: { SHIPPED: close('shipped') },
      timers: { late_2d: { target: 'supplier_nudged' }, late_4d: toAwaitingDecision },
    }),
    supplier_nudged: openState('supplier_nudged', {
      waitingOn: 'supplier',
      entry: [notify('supplier', 'supplier.nudge')],
      on: { SHIPPED: close('shipped') },
      timers: { late_4d: toAwaitingDecision },
    }),
    awaiting_decision: awaitingDecision({ shippedCloses: true }),
    refund_pending: refundPending(),
  },
});
