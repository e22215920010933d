import { awaitingDecision } from '../fragments/decision';
import { caseMachine } from '../fragments/case-machine';
import { refundPending } from '../fragments/refund';

/**
 * `out_of_stock`: the supplier has no stock; the merchant decides what happens.
 *
 * - `awaiting_decision` (initial): the merchant sends `REQUEST_REFUND` (to `refund_pending`) or
 *   `SWITCH_SUPPLIER` with the replacement order (to `refund_pending`, closing as
 *   `supplier_switched` instead of `refunded`).
 * - `refund_pending`: the supplier owes the refund within 15 business days (`refund_due`);
 *   `REFUNDED` closes the case, the timer firing first escalates it, breached.
 * - `escalated`, `closed`: as for every case (see fragments/shared-states.ts).
 */
export const OutOfStockMachine = caseMachine('out_of_stock', {
  initial: 'awaiting_decision',
  states: {
    awaiting_decision: awaitingDecision({ shippedCloses: false }),
    refund_pending: refundPending(),
  },
});
