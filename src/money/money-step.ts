/**
 * What one step of a case writes of its money (money.md), planned from values alone, and the
 * CTEs the step's one statement (src/cases/step-write.ts) adds for it: the case's ledger entries
 * and its share of the supplier's balance. A step that moves no money adds nothing to the
 * statement.
 */
import {
  balanceDelta,
  moneyTotals,
  type BalanceFigures,
  type LedgerValues,
  type MoneyCase,
} from './case-money';

/** Balance rows per (supplier, merchant, currency): concurrent steps of a pair rarely share one. */
export const BALANCE_SHARDS = 32;

export interface MoneyWrite {
  currency: string;
  /** The step's ledger entries, numbered with its timeline entry. */
  ledger: (LedgerValues & { seq: number })[];
  balance: {
    supplierId: string;
    merchantId: string;
    shard: number;
    delta: BalanceFigures;
  } | null;
}

/** The balance row a case counts in (its shard is fixed by its id). */
export function balanceShard(caseId: string): number {
  return parseInt(caseId.slice(0, 2), 16) % BALANCE_SHARDS;
}

/** Orders cases by the balance row they count in: steps of many cases lock rows in one order. */
export function byBalanceRow<T extends MoneyCase>(cases: T[]): T[] {
  const key = (c: T) =>
    `${c.supplier_id}|${c.merchant_id}|${c.currency}|${balanceShard(c.id)}|${c.id}`;
  return [...cases].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * A step's money, in two halves: `row` is the case as the step leaves it with its totals moved
 * (before its entries are chained), and `write` the ledger and balance rows once the case's
 * deadlines after the step are known (a breached refund deadline makes what is owed overdue).
 */
export function planMoney<T extends MoneyCase>(
  loaded: MoneyCase,
  moved: T,
  entry: { type: string; payload: Record<string, unknown> },
) {
  const { row, ledger } = moneyTotals(loaded, moved, entry);
  return {
    row,
    write(after: MoneyCase): MoneyWrite | undefined {
      const delta = balanceDelta(loaded, after, loaded.version > 0);
      if (!delta && ledger.length === 0) return undefined;
      return {
        currency: loaded.currency,
        ledger: ledger.map((l) => ({ ...l, seq: loaded.version + 1 })),
        balance: delta && {
          supplierId: loaded.supplier_id,
          merchantId: loaded.merchant_id,
          shard: balanceShard(loaded.id),
          delta,
        },
      };
    },
  };
}

type Add = (value: unknown, cast?: string) => string;

/** The CTEs of a step's money, hanging off the case row's write (`written`). */
export function moneyCtes(money: MoneyWrite, add: Add, now: string): string[] {
  const ctes: string[] = [];
  if (money.ledger.length) {
    ctes.push(`ledgered AS (
      INSERT INTO case_ledger (case_id, seq, kind, amount_minor, currency, reference, at)
      SELECT w.id, l.seq, l.kind, l.amount, ${add(money.currency)}, l.reference, ${now}
      FROM written w, jsonb_to_recordset(${add(JSON.stringify(money.ledger))}::jsonb)
        AS l(seq integer, kind text, amount bigint, reference text))`);
  }
  const b = money.balance;
  if (b) {
    const d = b.delta;
    const n = (v: bigint) => add(v.toString(), '::numeric');
    ctes.push(`balanced AS (
      INSERT INTO supplier_balances AS s (supplier_id, merchant_id, currency, shard, claimed_minor,
        refunded_minor, written_off_minor, outstanding_minor, overdue_minor, open_cases, last_activity_at)
      SELECT ${add(b.supplierId, '::uuid')}, ${add(b.merchantId, '::uuid')}, ${add(money.currency)},
        ${add(b.shard, '::smallint')}, ${n(d.claimed)}, ${n(d.refunded)}, ${n(d.writtenOff)},
        ${n(d.outstanding)}, ${n(d.overdue)}, ${add(Number(d.openCases), '::int')}, ${now}
      FROM written
      ON CONFLICT (supplier_id, merchant_id, currency, shard) DO UPDATE SET
        claimed_minor = s.claimed_minor + EXCLUDED.claimed_minor,
        refunded_minor = s.refunded_minor + EXCLUDED.refunded_minor,
        written_off_minor = s.written_off_minor + EXCLUDED.written_off_minor,
        outstanding_minor = s.outstanding_minor + EXCLUDED.outstanding_minor,
        overdue_minor = s.overdue_minor + EXCLUDED.overdue_minor,
        open_cases = s.open_cases + EXCLUDED.open_cases,
        last_activity_at = GREATEST(s.last_activity_at, EXCLUDED.last_activity_at))`);
  }
  return ctes;
}
