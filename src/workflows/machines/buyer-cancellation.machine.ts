import { interceptionMachine } from '../fragments/interception';

/**
 * `buyer_cancellation`: the buyer cancelled. Unshipped: `refund_pending`; shipped domestically:
 * `interception_requested`; shipped internationally: closed as `ineligible`.
 * See {@link interceptionMachine}.
 */
export const BuyerCancellationMachine = interceptionMachine('buyer_cancellation');
