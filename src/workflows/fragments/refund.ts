/**
 * The refund leg shared by most case types: `refund_pending` waits for the supplier's `REFUNDED`
 * within 15 business days (`refund_due`), else the case is escalated, breached.
 */
import {
  close,
  notify,
  openState,
  refundedV2,
  acceptPartial,
  type StateBuilder,
} from './shared-states';
import { assign, stringField, type WorkflowTransition } from './machine-setup';
import { schedule } from './timers';

/** `REQUEST_REFUND` (or any plain move to the refund leg). */
export const toRefund: WorkflowTransition = { target: 'refund_pending' };

/** `SWITCH_SUPPLIER`: the replacement order is recorded; the refund then closes as `supplier_switched`. */
export const switchSupplier: WorkflowTransition = {
  target: 'refund_pending',
  actions: [
    assign({
      refundOutcome: 'supplier_switched',
      replacement: ({ event }) => ({
        supplierId: stringField(event, 'supplierId'),
        orderRef: stringField(event, 'orderRef'),
      }),
    }),
  ],
};

/**
 * `refund_pending`. With `addressCorrection` (address_error), `ADDRESS_CORRECTED` closes an
 * unshipped order's case as `address_corrected`.
 */
export function refundPending(options: { addressCorrection?: boolean } = {}): StateBuilder {
  return openState('refund_pending', {
    waitingOn: 'supplier',
    entry: [schedule('refund_due'), notify('supplier', 'supplier.refund_requested')],
    on: {
      REFUNDED: close('refund_outcome'),
      ...(options.addressCorrection
        ? { ADDRESS_CORRECTED: { guard: 'orderUnshipped', ...close('address_corrected') } }
        : {}),
    },
    timers: { refund_due: 'escalate' },
    // money.md: a partial refund keeps the state and its deadline.
    v2: { on: { REFUNDED: refundedV2('refund_outcome'), ACCEPT_PARTIAL: acceptPartial } },
  });
}
