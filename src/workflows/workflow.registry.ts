/**
 * One machine per case type, in every version a case may have been opened with (api.md
 * `workflowVersion`); a new case gets the current one and keeps it for life. Version 2
 * (collaboration.md) adds the message thread's rules, the supplier clock that runs only while
 * the case waits on the supplier, `supplier_replied`, and the deadlines `verification_due`,
 * `decision_reminder` and `ops_due`; version 1 is the machine as it was, so old cases finish
 * under the rules they were opened with (their snapshots read as before: no migration).
 * `lost_parcel` and `payment_dispute` (lost-and-disputed.md) exist from version 2 only.
 */
import type { CaseMachine, VersionedMachine } from './fragments/case-machine';
import { AddressErrorMachine } from './machines/address-error.machine';
import { BuyerCancellationMachine } from './machines/buyer-cancellation.machine';
import { CustomsDelayMachine } from './machines/customs-delay.machine';
import { DamagedItemMachine } from './machines/damaged-item.machine';
import { LateShipmentMachine } from './machines/late-shipment.machine';
import { LostParcelMachine } from './machines/lost-parcel.machine';
import { PaymentDisputeMachine } from './machines/payment-dispute.machine';
import { MissingItemMachine } from './machines/missing-item.machine';
import { OutOfStockMachine } from './machines/out-of-stock.machine';
import { OversizeMachine } from './machines/oversize.machine';
import { UnresponsiveSupplierMachine } from './machines/unresponsive-supplier.machine';
import { WrongItemMachine } from './machines/wrong-item.machine';
import {
  CASE_TYPES,
  CURRENT_WORKFLOW_VERSION,
  WORKFLOW_VERSIONS,
  type CaseType,
  type WorkflowVersion,
} from './workflow.types';

const REGISTRY: Record<CaseType, VersionedMachine> = {
  out_of_stock: OutOfStockMachine,
  oversize: OversizeMachine,
  late_shipment: LateShipmentMachine,
  unresponsive_supplier: UnresponsiveSupplierMachine,
  customs_delay: CustomsDelayMachine,
  wrong_item: WrongItemMachine,
  missing_item: MissingItemMachine,
  damaged_item: DamagedItemMachine,
  address_error: AddressErrorMachine,
  buyer_cancellation: BuyerCancellationMachine,
  lost_parcel: LostParcelMachine,
  payment_dispute: PaymentDisputeMachine,
};

export function isCaseType(type: string): type is CaseType {
  return (CASE_TYPES as readonly string[]).includes(type);
}

export function isWorkflowVersion(version: number): version is WorkflowVersion {
  return (WORKFLOW_VERSIONS as readonly number[]).includes(version);
}

/** The machine of a case type in a version (the current one unless told). */
export function machineFor(
  type: CaseType,
  version: number = CURRENT_WORKFLOW_VERSION,
): CaseMachine {
  if (!isCaseType(type)) throw new Error(`Unknown case type: ${String(type)}`);
  const machine = isWorkflowVersion(version) ? REGISTRY[type][version] : undefined;
  if (!machine) throw new Error(`Unknown ${type} version: ${String(version)}`);
  return machine;
}

/** The versions a case type exists in, oldest first (a type added later starts later). */
export function versionsOf(type: CaseType): WorkflowVersion[] {
  return WORKFLOW_VERSIONS.filter((version) => REGISTRY[type][version] !== undefined);
}

/** The machine's id, stored with a case's snapshot (it is the case type). */
export function machineId(type: CaseType): string {
  return machineFor(type).id;
}

/** The version a case opened now gets. */
export function workflowVersion(type: CaseType): WorkflowVersion {
  machineFor(type);
  return CURRENT_WORKFLOW_VERSION;
}
