import { claimMachine } from '../fragments/claim';

/**
 * `wrong_item`: the buyer received another item than the one ordered. The claim flow (see {@link claimMachine}):
 * `awaiting_evidence` -> `awaiting_verification` -> `resolution_pending` (reship or refund within
 * 15 business days) or `verification_rejected` (one appeal), then `closed`; `escalated` when a
 * deadline is missed or ops takes over.
 */
export const WrongItemMachine = claimMachine('wrong_item');
