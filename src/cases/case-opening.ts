/**
 * What opening a case needs besides the order (lost-and-disputed.md), from values alone: which
 * fields fit which type, whether the order shipped on time (liability), and the `LINKED` entry a
 * payment dispute leaves on the supplier case it names, written in the opening's transaction.
 */
import type { FieldProblem } from '../common/errors/api-error';
import type { OpenCaseInput, OrderSnapshot } from '../workflows';
import type { CaseRow, OpenCaseCommand, Parties } from './case.types';
import { sameStateEntry, type DueResolver, type NewEntry } from './case-step';

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
