import { close, openState } from '../fragments/shared-states';
import { caseMachine } from '../fragments/case-machine';
import { refundPending, toRefund } from '../fragments/refund';

/**
 * `unresponsive_supplier`: the supplier does not answer; a claim gets an answer within 24 hours.
 *
 * - `awaiting_supplier_reply` (initial): `SUPPLIER_REPLIED` closes the case as
 *   `supplier_responded`; the merchant may `REQUEST_REFUND` at once; `supplier_response` firing
 *   (24 h after opening) is a breach and goes straight to `refund_pending`.
 * - `refund_pending`, `escalated`, `closed`: as elsewhere.
 */
export const UnresponsiveSupplierMachine = caseMachine('unresponsive_supplier', {
  initial: 'awaiting_supplier_reply',
  states: {
    awaiting_supplier_reply: openState('awaiting_supplier_reply', {
      on: { SUPPLIER_REPLIED: close('supplier_responded'), REQUEST_REFUND: toRefund },
      timers: { supplier_response: toRefund },
    }),
    refund_pending: refundPending(),
  },
});
