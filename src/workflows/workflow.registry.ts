/**
 * One machine per case type, with the version a case keeps for life (api.md `workflowVersion`).
 * A change to a machine that old snapshots cannot read bumps its version and needs a migration of
 * those snapshots, with a test.
 */
import type { CaseMachine } from './fragments/case-machine';
import { AddressErrorMachine } from './machines/address-error.machine';
import { BuyerCancellationMachine } from './machines/buyer-cancellation.machine';
import { CustomsDelayMachine } from './machines/customs-delay.machine';
import { DamagedItemMachine } from './machines/damaged-item.machine';
import { LateShipmentMachine } from './machines/late-shipment.machine';
import { MissingItemMachine } from './machines/missing-item.machine';
import { OutOfStockMachine } from './machines/out-of-stock.machine';
import { OversizeMachine } from './machines/oversize.machine';
import { UnresponsiveSupplierMachine } from './machines/unresponsive-supplier.machine';
import { WrongItemMachine } from './machines/wrong-item.machine';
import { CASE_TYPES, type CaseType } from './workflow.types';

interface RegisteredWorkflow {
  machine: CaseMachine;
  version: number;
}

const REGISTRY: Record<CaseType, RegisteredWorkflow> = {
  out_of_stock: { machine: OutOfStockMachine, version: 1 },
  oversize: { machine: OversizeMachine, version: 1 },
  late_shipment: { machine: LateShipmentMachine, version: 1 },
  unresponsive_supplier: { machine: UnresponsiveSupplierMachine, version: 1 },
  customs_delay: { machine: CustomsDelayMachine, version: 1 },
  wrong_item: { machine: WrongItemMachine, version: 1 },
  missing_item: { machine: MissingItemMachine, version: 1 },
  damaged_item: { machine: DamagedItemMachine, version: 1 },
  address_error: { machine: AddressErrorMachine, version: 1 },
  buyer_cancellation: { machine: BuyerCancellationMachine, version: 1 },
};

export function isCaseType(type: string): type is CaseType {
  return (CASE_TYPES as readonly string[]).includes(type);
}

function entry(type: CaseType): RegisteredWorkflow {
  if (!isCaseType(type)) throw new Error(`Unknown case type: ${String(type)}`);
  return REGISTRY[type];
}

export function machineFor(type: CaseType): CaseMachine {
  return entry(type).machine;
}

/** The machine's id, stored with a case's snapshot (it is the case type). */
export function machineId(type: CaseType): string {
  return entry(type).machine.id;
}

export function workflowVersion(type: CaseType): number {
  return entry(type).version;
}
