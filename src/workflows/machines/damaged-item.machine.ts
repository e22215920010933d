import { claimMachine } from '../fragments/claim';

/**
 * `damaged_item`: the item arrived damaged. The claim flow (see {@link claimMachine}):
 * `awaiting_evidence` -> `awaiting_verification` -> `resolution_pending` (reship or refund within
 * 15 business days) or `verification_rejected` (one appeal), then `closed`; `escalated` when a
 * deadline is missed or ops takes over.
 */
export const DamagedItemMachine = claimMachine('damaged_item');
