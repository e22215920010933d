import { asArray, close, messageTransition, openState } from '../fragments/shared-states';
import { caseMachine } from '../fragments/case-machine';
import type { WorkflowAction, WorkflowTransition } from '../fragments/machine-setup';
import { supplierReplied } from '../fragments/decision';
import { refundPending, toRefund } from '../fragments/refund';

/** Version 2: any answer of the supplier (a reply, a message, an acknowledgement) is the reply. */
const toSupplierReplied = { guard: 'fromSupplier', target: 'supplier_replied' } as const;

/**
 * Version 1: a supplier's message closes as `supplier_responded`, as its `message.created` webhook
 * (then `SUPPLIER_REPLIED`) did when those cases were opened.
 */
const closesAsResponded: WorkflowTransition = {
  guard: 'fromSupplier',
  target: 'closed',
  actions: [
    ...asArray(close('supplier_responded').actions as WorkflowAction[]),
    ...asArray(messageTransition.actions as WorkflowAction[]),
  ],
};

/**
 * `unresponsive_supplier`: the supplier does not answer; a claim gets an answer within 24 hours.
 *
 * - `awaiting_supplier_reply` (initial): the merchant may `REQUEST_REFUND` at once;
 *   `supplier_response` firing (24 h after opening) is a breach and goes straight to
 *   `refund_pending`. Version 1: `SUPPLIER_REPLIED` (or a supplier's `MESSAGE`) closes the case as
 *   `supplier_responded`.
 *   Version 2 (collaboration.md): the supplier's reply (`SUPPLIER_REPLIED`, or any `MESSAGE` or
 *   `ACKNOWLEDGED` from the supplier) moves to `supplier_replied`, where the merchant decides.
 * - `supplier_replied` (version 2): `WITHDRAW` (solved), `REQUEST_REFUND` or `SWITCH_SUPPLIER`.
 * - `refund_pending`, `escalated`, `closed`: as elsewhere.
 */
export const UnresponsiveSupplierMachine = caseMachine('unresponsive_supplier', {
  initial: 'awaiting_supplier_reply',
  states: {
    awaiting_supplier_reply: openState('awaiting_supplier_reply', {
      waitingOn: 'supplier',
      on: {
        SUPPLIER_REPLIED: close('supplier_responded'),
        MESSAGE: [closesAsResponded, messageTransition],
        REQUEST_REFUND: toRefund,
      },
      timers: { supplier_response: toRefund },
      v2: {
        on: {
          SUPPLIER_REPLIED: { target: 'supplier_replied' },
          MESSAGE: [{ ...toSupplierReplied, ...messageTransition }, messageTransition],
          ACKNOWLEDGED: toSupplierReplied,
        },
      },
    }),
    supplier_replied: supplierReplied,
    refund_pending: refundPending(),
  },
});
