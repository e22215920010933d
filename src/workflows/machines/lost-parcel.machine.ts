import { close, openState } from '../fragments/shared-states';
import { caseMachine } from '../fragments/case-machine';
import { claimStates } from '../fragments/claim';
import { schedule } from '../fragments/timers';

/**
 * `lost_parcel` (version 2 on): a shipped parcel has not arrived ("not received").
 *
 * - `awaiting_carrier` (initial): the carrier or the supplier has a week to find the parcel
 *   (`carrier_due`, 7 calendar days). `FOUND` (supplier or merchant) closes the case as `found`,
 *   `DELIVERED` as `delivered`. `DECLARED_LOST` (supplier, merchant, ops), or `carrier_due`
 *   firing (no breach: the week was the carrier's to search), moves to `resolution_pending`.
 * - `resolution_pending`: as for claims, `RESHIPPED` or `REFUNDED` within 15 business days
 *   (`resolution_due`), else escalated, breached.
 * - `escalated`, `closed`: as for every case. Liability: `carrier` if the order shipped by
 *   `promisedShipBy`, else `supplier` (workflow.liability.ts).
 */
export const LostParcelMachine = caseMachine('lost_parcel', {
  since: 2,
  initial: 'awaiting_carrier',
  states: {
    awaiting_carrier: openState('awaiting_carrier', {
      waitingOn: 'supplier',
      entry: [schedule('carrier_due')],
      on: {
        FOUND: close('found'),
        DELIVERED: close('delivered'),
        DECLARED_LOST: { target: 'resolution_pending' },
      },
      timers: { carrier_due: { target: 'resolution_pending' } },
    }),
    resolution_pending: claimStates.resolution_pending,
  },
});
