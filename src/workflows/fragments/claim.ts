/**
 * The claim flow of wrong_item, missing_item and damaged_item: evidence from the buyer, the
 * supplier's verification (one appeal against a rejection), then a reship or a refund within
 * 15 business days of the confirmation.
 */
import type { ClaimType, Resolution } from '../workflow.types';
import { caseMachine } from './case-machine';
import {
  close,
  notify,
  openState,
  refundedV2,
  acceptPartial,
  type StateBuilder,
} from './shared-states';
import { assign, evidenceOf, payloadOf, type WorkflowTransition } from './machine-setup';
import { schedule } from './timers';
import { liableNow } from './liability';

const RESOLUTIONS: readonly unknown[] = ['reship', 'refund'] satisfies Resolution[];

/** `CHOOSE_RESOLUTION`: records the merchant's choice; the state stays. */
const chooseResolution: WorkflowTransition = {
  actions: [
    assign({
      chosenResolution: ({ context, event }) => {
        const resolution = payloadOf(event).resolution;
        return RESOLUTIONS.includes(resolution)
          ? (resolution as Resolution)
          : context.chosenResolution;
      },
    }),
  ],
};

export const claimStates: Record<string, StateBuilder> = {
  /** Waiting for photo or video evidence from the buyer, 7 calendar days. */
  awaiting_evidence: openState('awaiting_evidence', {
    waitingOn: 'merchant',
    entry: [schedule('evidence_due')],
    on: {
      SUBMIT_EVIDENCE: { guard: 'hasPhotoOrVideo', target: 'awaiting_verification' },
      CHOOSE_RESOLUTION: chooseResolution,
    },
    timers: { evidence_due: close('expired') },
  }),

  /** The supplier checks the evidence (from version 2: within 3 business days, else escalated). */
  awaiting_verification: openState('awaiting_verification', {
    waitingOn: 'supplier',
    entry: [notify('supplier', 'supplier.verification_requested')],
    on: {
      CHOOSE_RESOLUTION: chooseResolution,
      VERIFICATION_CONFIRMED: { target: 'resolution_pending' },
      VERIFICATION_REJECTED: {
        target: 'verification_rejected',
        actions: [assign({ evidenceAtRejection: ({ event }) => evidenceOf(event).total })],
      },
    },
    v2: {
      entry: [schedule('verification_due')],
      timers: { verification_due: 'escalate' },
      // Damage confirmed by the supplier's own verification is the supplier's (lost-and-disputed.md).
      on: {
        VERIFICATION_CONFIRMED: { target: 'resolution_pending', actions: [liableNow('supplier')] },
      },
    },
  }),

  /** The merchant may appeal once, with new evidence, within 7 calendar days, or accept. */
  verification_rejected: openState('verification_rejected', {
    waitingOn: 'merchant',
    entry: [schedule('appeal_due'), notify('merchant', 'merchant.verification_rejected')],
    on: {
      APPEAL: {
        guard: 'mayAppeal',
        target: 'awaiting_verification',
        actions: [assign({ appealsUsed: ({ context }) => context.appealsUsed + 1 })],
      },
      ACCEPT_REJECTION: close('rejected'),
    },
    timers: { appeal_due: close('rejected') },
  }),

  /** Verified: the supplier reships or refunds within 15 business days, else escalation. */
  resolution_pending: openState('resolution_pending', {
    waitingOn: 'supplier',
    entry: [schedule('resolution_due'), notify('supplier', 'supplier.resolution_requested')],
    on: {
      RESHIPPED: close('reshipped'),
      REFUNDED: close('refunded'),
    },
    timers: { resolution_due: 'escalate' },
    // money.md: a partial refund keeps the state and its deadline.
    v2: { on: { REFUNDED: refundedV2('refunded'), ACCEPT_PARTIAL: acceptPartial } },
  }),
};

/**
 * The claim machine of an item that arrived wrong, missing or damaged.
 *
 * - `awaiting_evidence` (initial): `SUBMIT_EVIDENCE` needs a photo or video on the case
 *   (`evidence_required` otherwise) and moves to `awaiting_verification`; `evidence_due`
 *   (7 calendar days after opening) closes the case as `expired`.
 * - `awaiting_verification`: `VERIFICATION_CONFIRMED` to `resolution_pending`,
 *   `VERIFICATION_REJECTED` to `verification_rejected`; from version 2, `verification_due`
 *   (3 business days of the supplier's calendar, end of day) escalates, breached.
 * - `verification_rejected`: one `APPEAL` with new evidence (back to `awaiting_verification`), or
 *   `ACCEPT_REJECTION`, or `appeal_due` (7 calendar days): closed as `rejected`.
 * - `resolution_pending`: `RESHIPPED` or `REFUNDED` within 15 business days (`resolution_due`),
 *   else escalated, breached.
 * - `CHOOSE_RESOLUTION` (`reship` | `refund`) in the first two states records the choice.
 * - `escalated`, `closed`: as for every case.
 */
export function claimMachine(type: ClaimType) {
  return caseMachine(type, { initial: 'awaiting_evidence', states: claimStates });
}
