/**
 * A case's money (money.md), computed from values alone: what the case has claimed, been refunded
 * and written off, what one step changes of it (the case's running totals, its ledger entries,
 * and its share of the supplier's balance), and the rules an event's amount must pass once the
 * case is read. The case service plans with these; the step's one statement writes them.
 */
import { ApiError, type FieldProblem } from '../common/errors/api-error';
import type { MoneyFacts, Outcome } from '../workflows';
import { amountProblem, formatAmount, parseAmount } from './money';

/** The money columns of a case row (bigints come back from PostgreSQL as text). */
export interface CaseMoneyColumns {
  currency: string;
  claim_items: ClaimItem[];
  claimed_minor: string;
  supplier_refunded_minor: string;
  buyer_refunded_minor: string;
  written_off_minor: string;
}

export interface ClaimItem {
  sku: string;
  quantity: number;
}

/** What a case's money reads from its row: its columns, its state and its timers. */
export interface MoneyCase extends CaseMoneyColumns {
  id: string;
  merchant_id: string;
  supplier_id: string;
  status: 'open' | 'closed';
  outcome: string | null;
  version: number;
  order_snapshot: Record<string, unknown>;
  deadlines?: { kind: string; fired_at: string | null; breached: boolean }[];
}

/** Outcomes that write off what is still owed: a merchant loss, not a supplier refund. */
export const WRITE_OFF_OUTCOMES: readonly Outcome[] = ['partially_refunded', 'written_off'];
/** Deadlines whose breach makes what is owed on the case `overdue`. */
const OVERDUE_KINDS = ['refund_due', 'resolution_due'];

export type LedgerKind = 'supplier_refund' | 'buyer_refund' | 'written_off';

export interface LedgerValues {
  kind: LedgerKind;
  /** Minor units, as text. */
  amount: string;
  reference: string | null;
}

/** A case's figures in its supplier's balance (all minor units, open cases a count). */
export interface BalanceFigures {
  claimed: bigint;
  refunded: bigint;
  writtenOff: bigint;
  outstanding: bigint;
  overdue: bigint;
  openCases: bigint;
}

const big = (text: string | number | bigint | null | undefined) => BigInt(text ?? 0);

/** What is still owed on the case: claimed - refunded - written off, 0 once closed. */
export function outstandingOf(row: MoneyCase): bigint {
  if (row.status === 'closed') return 0n;
  return big(row.claimed_minor) - big(row.supplier_refunded_minor) - big(row.written_off_minor);
}

/** The case's share of its supplier's balance; nothing for a case not written yet. */
export function balanceFigures(row: MoneyCase, exists: boolean): BalanceFigures {
  if (!exists) {
    return {
      claimed: 0n,
      refunded: 0n,
      writtenOff: 0n,
      outstanding: 0n,
      overdue: 0n,
      openCases: 0n,
    };
  }
  const outstanding = outstandingOf(row);
  const overdue = (row.deadlines ?? []).some(
    (t) => t.breached && t.fired_at !== null && OVERDUE_KINDS.includes(t.kind),
  );
  return {
    claimed: big(row.claimed_minor),
    refunded: big(row.supplier_refunded_minor),
    writtenOff: big(row.written_off_minor),
    outstanding,
    overdue: overdue ? outstanding : 0n,
    openCases: row.status === 'open' ? 1n : 0n,
  };
}

/**
 * The running totals after a step, and the ledger entries it writes: a `REFUNDED` adds a supplier
 * refund, a `BUYER_REFUNDED` a buyer refund, and a step that closes the case as
 * `partially_refunded` or `written_off` writes off what was still owed. `moved` is the case as
 * the step leaves it (state, status, outcome), its totals still those of `before`.
 */
export function moneyTotals<T extends MoneyCase>(
  before: MoneyCase,
  moved: T,
  entry: { type: string; payload: Record<string, unknown> },
): { row: T; ledger: LedgerValues[] } {
  const ledger: LedgerValues[] = [];
  let refunded = big(before.supplier_refunded_minor);
  let buyer = big(before.buyer_refunded_minor);
  let writtenOff = big(before.written_off_minor);
  const reference = typeof entry.payload.reference === 'string' ? entry.payload.reference : null;
  const toBuyer = entry.type === 'BUYER_REFUNDED' || DISPUTE_REFUND_EVENTS.includes(entry.type);
  const money = entry.type === 'REFUNDED' || toBuyer;
  // Admitted events only reach here (admitMoney); a test's unchecked one moves no money.
  if (money && amountProblem(entry.payload.amount, before.currency) === null) {
    const amount = parseAmount(entry.payload.amount as string, before.currency);
    if (entry.type === 'REFUNDED') refunded += amount;
    else buyer += amount;
    const kind = entry.type === 'REFUNDED' ? 'supplier_refund' : 'buyer_refund';
    ledger.push({ kind, amount: amount.toString(), reference });
  }
  const closing = before.status === 'open' && moved.status === 'closed';
  if (closing && WRITE_OFF_OUTCOMES.includes(moved.outcome as Outcome)) {
    const rest = big(before.claimed_minor) - refunded - writtenOff;
    if (rest > 0n) {
      writtenOff += rest;
      ledger.push({ kind: 'written_off', amount: rest.toString(), reference });
    }
  }
  return {
    row: {
      ...moved,
      supplier_refunded_minor: refunded.toString(),
      buyer_refunded_minor: buyer.toString(),
      written_off_minor: writtenOff.toString(),
    },
    ledger,
  };
}

/** The change of the case's share of its supplier's balance; null when nothing moved. */
export function balanceDelta(
  before: MoneyCase,
  after: MoneyCase,
  existedBefore: boolean,
): BalanceFigures | null {
  const a = balanceFigures(after, true);
  const b = balanceFigures(before, existedBefore);
  const delta: BalanceFigures = {
    claimed: a.claimed - b.claimed,
    refunded: a.refunded - b.refunded,
    writtenOff: a.writtenOff - b.writtenOff,
    outstanding: a.outstanding - b.outstanding,
    overdue: a.overdue - b.overdue,
    openCases: a.openCases - b.openCases,
  };
  return Object.values(delta).some((v) => v !== 0n) ? delta : null;
}

const MONEY_EVENTS = new Set(['REFUNDED', 'BUYER_REFUNDED']);

/**
 * A lost or accepted payment dispute (lost-and-disputed.md): the platform paid the buyer back, a
 * `buyer_refund` of the ledger (its amount recorded on the entry: see cases/dispute-money.ts).
 */
export const DISPUTE_REFUND_EVENTS: readonly string[] = ['DISPUTE_LOST', 'DISPUTE_ACCEPTED'];

/**
 * The amount rules that need the case's currency and order (after the case is read, before the
 * machine): decimals of the currency (400), the order's currency (422 `currency_mismatch`), and a
 * refund's items (order lines, at most the quantity ordered: 400). Answers the facts the machine
 * steers by; undefined for events that carry no money.
 */
export function admitMoney(
  type: string,
  payload: Record<string, unknown>,
  row: MoneyCase,
): MoneyFacts | undefined {
  if (!MONEY_EVENTS.has(type)) return undefined;
  const problems: FieldProblem[] = [];
  const amountBad = amountProblem(payload.amount, row.currency);
  if (amountBad) problems.push({ field: 'payload.amount', problem: amountBad });
  if (type === 'REFUNDED' && payload.items !== undefined && payload.items !== null) {
    problems.push(...itemProblems(payload.items, row.order_snapshot, 'payload.items'));
  }
  if (problems.length) throw ApiError.validation(problems);
  if (payload.currency !== row.currency) {
    throw new ApiError(
      'currency_mismatch',
      `The case's money is in ${row.currency}; ${String(payload.currency)} was given`,
      { currency: row.currency },
    );
  }
  const amount = parseAmount(payload.amount as string, row.currency);
  return { refundCompletes: amount >= outstandingOf(row) };
}

/**
 * The limits checked once the machine accepts the event: a supplier refund is more than 0 and at
 * most what is still owed (422 `amount_exceeds_outstanding` with `outstanding`); refunds to the
 * buyer are more than 0 and at most `order.total` in all (422 `unprocessable`).
 */
export function checkMoneyLimits(
  type: string,
  payload: Record<string, unknown>,
  row: MoneyCase,
): void {
  if (!MONEY_EVENTS.has(type)) return;
  const amount = parseAmount(payload.amount as string, row.currency);
  if (type === 'REFUNDED') {
    const outstanding = outstandingOf(row);
    if (amount > 0n && amount <= outstanding) return;
    throw new ApiError(
      'amount_exceeds_outstanding',
      amount === 0n
        ? 'A refund must be more than 0'
        : `The refund exceeds what is still owed (${formatAmount(outstanding, row.currency)} ${row.currency})`,
      { outstanding: formatAmount(outstanding, row.currency), currency: row.currency },
    );
  }
  const total = orderTotal(row);
  const left = total - big(row.buyer_refunded_minor);
  if (amount > 0n && amount <= left) return;
  throw new ApiError(
    'unprocessable',
    amount === 0n
      ? 'A refund to the buyer must be more than 0'
      : `Refunds to the buyer may not exceed the order's total (${formatAmount(total, row.currency)} ${row.currency}); ${formatAmount(left, row.currency)} is left`,
    { refundable: formatAmount(left < 0n ? 0n : left, row.currency), currency: row.currency },
  );
}

/** The order's total in minor units (0 when it does not fit the currency's digits). */
export function orderTotal(row: Pick<MoneyCase, 'order_snapshot' | 'currency'>): bigint {
  const total = (row.order_snapshot.total ?? {}) as { amount?: unknown };
  return amountProblem(total.amount, row.currency) === null
    ? parseAmount(total.amount as string, row.currency)
    : 0n;
}

/** Problems with a list of `{sku, quantity}` against the order's lines. */
export function itemProblems(
  items: unknown,
  order: Record<string, unknown>,
  field: string,
): FieldProblem[] {
  if (!Array.isArray(items) || items.length === 0 || items.length > 500) {
    return [{ field, problem: 'must be a list of 1 to 500 {sku, quantity}' }];
  }
  const ordered = new Map<string, number>();
  for (const line of (order.items ?? []) as { sku: string; quantity: number }[]) {
    ordered.set(line.sku, (ordered.get(line.sku) ?? 0) + line.quantity);
  }
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  items.forEach((item: unknown, i) => {
    const at = `${field}[${i}]`;
    const { sku, quantity, ...rest } = (
      typeof item === 'object' && item !== null ? item : {}
    ) as Record<string, unknown>;
    if (Object.keys(rest).length) problems.push({ field: at, problem: 'has unknown fields' });
    if (typeof sku !== 'string' || !ordered.has(sku)) {
      problems.push({ field: `${at}.sku`, problem: 'must be a sku of the order' });
      return;
    }
    if (seen.has(sku)) problems.push({ field: `${at}.sku`, problem: 'is named twice' });
    seen.add(sku);
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
      problems.push({ field: `${at}.quantity`, problem: 'must be a whole number from 1' });
    } else if (quantity > ordered.get(sku)!) {
      problems.push({
        field: `${at}.quantity`,
        problem: `must be at most the quantity ordered (${ordered.get(sku)})`,
      });
    }
  });
  return problems;
}
