import { close, notify, openState } from '../fragments/shared-states';
import { caseMachine } from '../fragments/case-machine';
import { refundPending, toRefund } from '../fragments/refund';
import { assign, enqueueActions, MAX_CUSTOMS_REMINDERS } from '../fragments/machine-setup';
import { schedule } from '../fragments/timers';
import { liableNow } from '../fragments/liability';

/** Sends a clearance reminder to the merchant and schedules the next, up to the cap. */
const remindMerchant = enqueueActions(({ context, enqueue }) => {
  enqueue(notify('merchant', 'merchant.customs_reminder'));
  enqueue(assign({ remindersSent: ({ context: c }) => c.remindersSent + 1 }));
  if (context.remindersSent + 1 < MAX_CUSTOMS_REMINDERS) enqueue(schedule('customs_reminder'));
});

/**
 * `customs_delay`: a shipped parcel held at customs.
 *
 * - `awaiting_clearance` (initial): a clearance reminder goes to the merchant at opening and every
 *   3 business days of the merchant's country (`customs_reminder`), 5 in all. `CLEARED` closes the
 *   case as `cleared`; `RETURNED_TO_SENDER` goes to `refund_pending`; `customs_due` (30 calendar
 *   days after opening) escalates, breached. From version 2, tracking's `DELIVERED` closes it as
 *   `delivered` and `CUSTOMS_HELD` is taken without a change.
 * - `refund_pending`, `escalated`, `closed`: as elsewhere.
 */
export const CustomsDelayMachine = caseMachine('customs_delay', {
  initial: 'awaiting_clearance',
  states: {
    // The merchant is reminded to get the buyer through customs (duties, papers): it waits on them.
    awaiting_clearance: openState('awaiting_clearance', {
      waitingOn: 'merchant',
      entry: [remindMerchant, schedule('customs_due')],
      on: { CLEARED: close('cleared'), RETURNED_TO_SENDER: toRefund },
      timers: { customs_reminder: { actions: [remindMerchant] }, customs_due: 'escalate' },
      // Version 2: held more than 30 days, the parcel is the carrier's (lost-and-disputed.md);
      // tracking (intake.md): delivered closes the case, another customs hold changes nothing.
      v2: {
        on: { DELIVERED: close('delivered'), CUSTOMS_HELD: {} },
        timers: { customs_due: { escalate: true, actions: [liableNow('carrier')] } },
      },
    }),
    refund_pending: refundPending(),
  },
});
