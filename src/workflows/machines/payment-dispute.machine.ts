import { close, openState } from '../fragments/shared-states';
import { caseMachine } from '../fragments/case-machine';
import { schedule } from '../fragments/timers';

/** The platform's decision, or the merchant's concession: what closes a dispute. */
const decisions = {
  DISPUTE_WON: close('won'),
  DISPUTE_LOST: close('lost'),
  DISPUTE_ACCEPTED: close('accepted'),
};

/**
 * `payment_dispute` (version 2 on): a chargeback, a PayPal or marketplace dispute, whose answer
 * is due on a date the platform sets (`external.dueBy`). The supplier is not a party to it.
 *
 * - `preparing_response` (initial): the merchant prepares its answer (the linked case's evidence
 *   packet is what it uploads). `external_due` = `dueBy` - 24 h: missed, the case escalates,
 *   breached (warnings 72 h and 24 h before it). `RESPONSE_SUBMITTED` moves to
 *   `awaiting_decision`; `DISPUTE_ACCEPTED` (the merchant concedes) closes it as `accepted`.
 * - `awaiting_decision`: the platform decides; the merchant reports `DISPUTE_WON`,
 *   `DISPUTE_LOST` or `DISPUTE_ACCEPTED` (outcomes `won`, `lost`, `accepted`). A lost or accepted
 *   dispute's amount is the buyer's refund (money.md's ledger, `buyer_refund`).
 * - `escalated`: the decisions still close it; `closed`: as for every case.
 */
export const PaymentDisputeMachine = caseMachine('payment_dispute', {
  since: 2,
  initial: 'preparing_response',
  states: {
    preparing_response: openState('preparing_response', {
      waitingOn: 'merchant',
      entry: [schedule('external_due')],
      on: {
        RESPONSE_SUBMITTED: { target: 'awaiting_decision' },
        DISPUTE_ACCEPTED: close('accepted'),
      },
      timers: { external_due: 'escalate' },
    }),
    // Nobody here can hasten the platform: the merchant reports its decision when it comes.
    awaiting_decision: openState('awaiting_decision', { waitingOn: 'merchant', on: decisions }),
  },
  escalatedClosers: decisions,
});
