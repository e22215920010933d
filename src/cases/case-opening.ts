/**
 * Opening a case, from values alone: which fields fit which type, whether the order shipped on
 * time (liability), what the machine opens with, the new case in memory and its opening step (an
 * insert, `CASE_OPENED` first), and the `LINKED` entry a payment dispute leaves on the supplier
 * case it names, written in the opening's transaction. Events on an open case: case-step.ts.
 */
import type { FieldProblem } from '../common/errors/api-error';
import { resolveClaim } from '../money/claim';
import { GENESIS_HASH } from '../timeline/hash-chain';
import {
  machineId,
  phaseOf,
  workflowVersion,
  type OpenCaseInput,
  type OrderSnapshot,
  type WorkflowStep,
} from '../workflows';
import type { CaseRow, LoadedCase, OpenCaseCommand, Parties } from './case.types';
import {
  planStep,
  sameStateEntry,
  type DueResolver,
  type NewEntry,
  type PlannedStep,
  type StepClock,
} from './case-step';

/** Fields of the opening that only some types take: 400 `validation_failed` otherwise. */
export function openingProblems(command: OpenCaseCommand): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const dispute = command.type === 'payment_dispute';
  if (dispute && !command.external)
    problems.push({ field: 'external', problem: 'is required for payment_dispute' });
  if (!dispute && command.external)
    problems.push({ field: 'external', problem: 'is only for payment_dispute' });
  if (!dispute && command.linkedCaseId)
    problems.push({ field: 'linkedCaseId', problem: 'is only for payment_dispute' });
  if (command.source && command.type !== 'address_error')
    problems.push({ field: 'source', problem: 'is only for address_error' });
  return problems;
}

/**
 * The order shipped by the end of `promisedShipBy` in the supplier's timezone (null: the order
 * has no promise or no shipment, the machine decides).
 */
export function shippedOnTime(
  order: OrderSnapshot,
  parties: Parties,
  resolveDue: DueResolver,
): boolean | null {
  if (!order.promisedShipBy || !order.shippedAt) return null;
  const promise = resolveDue(
    { rule: 'end_of_day_after_date', date: order.promisedShipBy, days: 0, calendar: 'supplier' },
    new Date(order.shippedAt),
    {
      supplier: {
        country: parties.s_country,
        timezone: parties.s_timezone,
        closures: parties.closures,
      },
      merchant: { country: parties.m_country, timezone: parties.m_timezone },
    },
  );
  return new Date(order.shippedAt).getTime() <= promise.getTime();
}

/** What the machine opens the case with. */
export function openingInput(
  command: OpenCaseCommand,
  now: Date,
  parties: Parties,
  resolveDue: DueResolver,
): OpenCaseInput {
  return {
    type: command.type,
    order: command.order,
    openedAt: now.toISOString(),
    preferredResolution: command.preferredResolution ?? null,
    external: command.external ?? null,
    platformWindow: command.platformWindow ?? null,
    source: command.source ?? null,
    shippedOnTime: shippedOnTime(command.order, parties, resolveDue),
  };
}

/** The `LINKED` entry on the case a new payment dispute names: no change of its state. */
export function linkedEntry(linked: CaseRow, dispute: CaseRow, command: OpenCaseCommand): NewEntry {
  const external = dispute.external;
  const actor = command.actor ?? { kind: 'merchant', id: command.merchantId };
  return sameStateEntry(linked, 'LINKED', actor, {
    caseId: dispute.id,
    caseType: dispute.type,
    ...(external ? { platform: external.platform, reference: external.reference } : {}),
  });
}

/**
 * A new case in memory, before its first step: no state, version 0, the chain's genesis, its
 * claim (money.md; a refused claim throws its 400 or 422).
 */
export function newCaseRecord(
  command: OpenCaseCommand,
  parties: Parties,
  id: string,
  now: Date,
): LoadedCase {
  const claim = resolveClaim(command.order, command.claim);
  return {
    ...parties,
    id,
    merchant_id: command.merchantId,
    supplier_id: command.supplierId,
    type: command.type,
    phase: phaseOf(command.type, command.order),
    machine_id: machineId(command.type),
    workflow_version: workflowVersion(command.type),
    snapshot: null,
    state: '',
    status: 'open',
    outcome: null,
    order_snapshot: command.order as unknown as Record<string, unknown>,
    description: command.description ?? null,
    buyer_language: command.buyerLanguage ?? null,
    preferred_resolution: command.preferredResolution ?? 'refund',
    breached: false,
    evidence_count: 0,
    photo_video_count: 0,
    message_count: 0,
    first_supplier_response_at: null,
    liability: 'undetermined',
    waiting_on: null,
    next_deadline_at: null,
    next_deadline_kind: null,
    next_deadline_party: null,
    external: command.external ?? null,
    platform_window: command.platformWindow ?? null,
    linked_case_id: command.linkedCaseId ?? null,
    version: 0,
    last_hash: GENESIS_HASH,
    created_at: now,
    updated_at: now,
    closed_at: null,
    currency: claim.currency,
    claim_items: claim.items,
    claimed_minor: claim.amount.toString(),
    supplier_refunded_minor: '0',
    buyer_refunded_minor: '0',
    written_off_minor: '0',
    evidence: [],
    deadlines: [],
  };
}

/** The opening step of a new case (from {@link newCaseRecord}): an insert, `CASE_OPENED` first. */
export function planOpening(
  fresh: LoadedCase,
  opened: WorkflowStep,
  command: OpenCaseCommand,
  clock: StepClock,
): PlannedStep {
  const preferredResolution = command.preferredResolution ?? 'refund';
  const payload: Record<string, unknown> = {
    caseType: command.type,
    merchantId: command.merchantId,
    supplierId: command.supplierId,
    orderRef: command.order.ref,
    preferredResolution,
  };
  if (opened.reason) payload.reason = opened.reason;
  if (command.external) payload.external = command.external;
  if (command.platformWindow) payload.platformWindow = command.platformWindow;
  if (command.linkedCaseId) payload.linkedCaseId = command.linkedCaseId;
  if (command.source) payload.source = command.source;
  const entry: NewEntry = {
    type: 'CASE_OPENED',
    actor: command.actor ?? { kind: 'merchant', id: command.merchantId },
    fromState: null,
    toState: opened.state,
    payload,
  };
  const planned = planStep(fresh, opened, entry, clock);
  const { expectedVersion: _none, ...write } = planned.write;
  return {
    ...planned,
    write: {
      ...write,
      insert: {
        merchantId: command.merchantId,
        supplierId: command.supplierId,
        type: command.type,
        machineId: machineId(command.type),
        workflowVersion: workflowVersion(command.type),
        order: command.order,
        description: command.description ?? null,
        buyerLanguage: command.buyerLanguage ?? null,
        preferredResolution,
        external: command.external ?? null,
        platformWindow: command.platformWindow ?? null,
        linkedCaseId: command.linkedCaseId ?? null,
        currency: fresh.currency,
        claimItems: fresh.claim_items,
        claimed: fresh.claimed_minor,
      },
    },
  };
}
