import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { prepared } from '../database/prepared';

/** One ledger row of a case (amounts in minor units, as text). */
export interface LedgerRow {
  seq: number;
  at: Date;
  kind: string;
  amount_minor: string;
  reference: string | null;
}

/** Running totals summed over balance rows (minor units as text). */
export interface BalanceRow {
  supplier_id: string;
  supplier_name?: string;
  currency: string;
  claimed: string;
  refunded: string;
  written_off: string;
  outstanding: string;
  overdue: string;
  open_cases: number;
  last_activity_at: Date;
}

const SUMS = `sum(b.claimed_minor)::text AS claimed, sum(b.refunded_minor)::text AS refunded,
  sum(b.written_off_minor)::text AS written_off, sum(b.outstanding_minor)::text AS outstanding,
  sum(b.overdue_minor)::text AS overdue, sum(b.open_cases)::int AS open_cases,
  max(b.last_activity_at) AS last_activity_at`;

/**
 * The SQL of money's reads. Balances read the running totals the steps keep (a few rows per
 * supplier, merchant and currency), never the cases: their cost does not grow with the cases.
 */
@Injectable()
export class MoneyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A case's ledger entries, oldest first. */
  async ledger(caseId: string): Promise<LedgerRow[]> {
    return this.dataSource.query<LedgerRow[]>(
      prepared(`SELECT seq, at, kind, amount_minor::text AS amount_minor, reference
        FROM case_ledger WHERE case_id = $1 ORDER BY seq, kind`),
      [caseId],
    );
  }

  async supplierExists(supplierId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM suppliers WHERE id = $1`, [
      supplierId,
    ]);
    return rows.length > 0;
  }

  async merchantExists(merchantId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(`SELECT 1 FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    return rows.length > 0;
  }

  /** A supplier's balance per currency; with `merchantId`, that merchant's share only. */
  async supplierBalance(supplierId: string, merchantId: string | null): Promise<BalanceRow[]> {
    return this.dataSource.query<BalanceRow[]>(
      prepared(`SELECT b.supplier_id, b.currency, ${SUMS} FROM supplier_balances b
        WHERE b.supplier_id = $1 AND ($2::uuid IS NULL OR b.merchant_id = $2::uuid)
        GROUP BY b.supplier_id, b.currency ORDER BY b.currency`),
      [supplierId, merchantId],
    );
  }

  /** What a merchant's suppliers owe it, per supplier and currency, newest activity first. */
  async receivables(merchantId: string): Promise<BalanceRow[]> {
    return this.dataSource.query<BalanceRow[]>(
      prepared(`SELECT b.supplier_id, s.name AS supplier_name, b.currency, ${SUMS}
        FROM supplier_balances b JOIN suppliers s ON s.id = b.supplier_id
        WHERE b.merchant_id = $1
        GROUP BY b.supplier_id, s.name, b.currency
        ORDER BY max(b.last_activity_at) DESC, b.supplier_id, b.currency`),
      [merchantId],
    );
  }
}
