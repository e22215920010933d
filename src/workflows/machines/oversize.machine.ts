import { caseMachine } from '../fragments/case-machine';
import { refundPending } from '../fragments/refund';

/**
 * `oversize`: an oversize or overweight item the supplier cannot ship as sold, so the refund
 * request goes to the supplier at opening.
 *
 * - `refund_pending` (initial): `REFUNDED` within 15 business days (`refund_due`) closes the case
 *   as `refunded`; the timer firing first escalates it, breached.
 * - `escalated`, `closed`: as for every case.
 */
export const OversizeMachine = caseMachine('oversize', {
  initial: 'refund_pending',
  states: { refund_pending: refundPending() },
});
