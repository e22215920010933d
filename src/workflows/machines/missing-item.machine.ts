import { claimMachine } from '../fragments/claim';

/**
 * `missing_item`: the parcel arrived without (some of) the ordered items. The claim flow (see {@link claimMachine}):
 * `awaiting_evidence` -> `awaiting_verification` -> `resolution_pending` (reship or refund within
 * 15 business days) or `verification_rejected` (one appeal), then `closed`; `escalated` when a
 * deadline is missed or ops takes over.
 */
export const MissingItemMachine = claimMachine('missing_item');
