import { caseMachine } from './case-machine';
import { close, notify, openState } from './shared-states';
import { refundPending } from './refund';
import { assign } from './machine-setup';
import type { CaseType } from '../workflow.types';

/**
 * The machine of a case that wants the order stopped: a wrong address or a buyer's cancellation.
 * Where it starts follows the order (`opening` is a choice, never a resting state):
 *
 * - not shipped: `refund_pending` (the supplier cancels and refunds); for address_error,
 *   `ADDRESS_CORRECTED` there closes the case as `address_corrected`.
 * - shipped internationally: closed at once as `ineligible` (an international parcel can be neither
 *   intercepted nor refunded); no timer, nothing sent to the supplier.
 * - shipped domestically: `interception_requested`. `INTERCEPTED` goes to `refund_pending`, where
 *   `REFUNDED` closes as `intercepted_refunded`; `INTERCEPTION_FAILED` closes as `not_intercepted`.
 */
export function interceptionMachine(
  type: Extract<CaseType, 'address_error' | 'buyer_cancellation'>,
) {
  return caseMachine(type, {
    initial: 'opening',
    states: {
      opening: {
        always: [
          { guard: 'ineligible', ...close('ineligible') },
          { guard: 'orderShipped', target: 'interception_requested' },
          { target: 'refund_pending' },
        ],
      },
      interception_requested: openState('interception_requested', {
        waitingOn: 'supplier',
        entry: [notify('supplier', 'supplier.interception_requested')],
        on: {
          INTERCEPTED: {
            target: 'refund_pending',
            actions: [assign({ refundOutcome: 'intercepted_refunded' })],
          },
          INTERCEPTION_FAILED: close('not_intercepted'),
        },
      }),
      refund_pending: refundPending({ addressCorrection: type === 'address_error' }),
    },
  });
}
