import { Injectable } from '@nestjs/common';
import { CaseService, type CaseScope } from '../cases/case.service';
import { ApiError } from '../common/errors/api-error';
import { outstandingOf } from './case-money';
import { formatAmount } from './money';
import { MoneyRepository, type BalanceRow } from './money.repository';

export interface Ledger {
  caseId: string;
  currency: string;
  claimed: string;
  supplierRefunded: string;
  outstanding: string;
  buyerRefunded: string;
  writtenOff: string;
  net: string;
  entries: { seq: number; at: string; kind: string; amount: string; reference: string | null }[];
}

export interface BalanceItem {
  currency: string;
  claimed: string;
  refunded: string;
  outstanding: string;
  overdue: string;
  writtenOff: string;
  openCases: number;
}

export interface Receivable extends BalanceItem {
  supplierId: string;
  supplierName: string;
  lastActivityAt: string;
}

function balanceItem(row: BalanceRow): BalanceItem {
  const amount = (text: string) => formatAmount(BigInt(text), row.currency);
  return {
    currency: row.currency,
    claimed: amount(row.claimed),
    refunded: amount(row.refunded),
    outstanding: amount(row.outstanding),
    overdue: amount(row.overdue),
    writtenOff: amount(row.written_off),
    openCases: row.open_cases,
  };
}

/**
 * What is claimed, refunded and still owed (money.md): a case's ledger, a supplier's balance and
 * a merchant's receivables. The figures are the running totals the case service's steps keep.
 */
@Injectable()
export class MoneyService {
  constructor(
    private readonly cases: CaseService,
    private readonly repository: MoneyRepository,
  ) {}

  /** A case's ledger, for whoever may read the case (404 otherwise). */
  async ledger(caseId: string, scope: CaseScope): Promise<Ledger> {
    const row = await this.cases.get(caseId, scope);
    const entries = await this.repository.ledger(row.id);
    const amount = (minor: string | bigint) => formatAmount(BigInt(minor), row.currency);
    const refunded = BigInt(row.supplier_refunded_minor);
    const buyer = BigInt(row.buyer_refunded_minor);
    return {
      caseId: row.id,
      currency: row.currency,
      claimed: amount(row.claimed_minor),
      supplierRefunded: amount(refunded),
      outstanding: amount(outstandingOf(row)),
      buyerRefunded: amount(buyer),
      writtenOff: amount(row.written_off_minor),
      net: amount(refunded - buyer),
      entries: entries.map((e) => ({
        seq: e.seq,
        at: new Date(e.at).toISOString(),
        kind: e.kind,
        amount: amount(e.amount_minor),
        reference: e.reference,
      })),
    };
  }

  /** A supplier's balance per currency; a merchant's key sees only its own cases' share. */
  async supplierBalance(
    supplierId: string,
    merchantId: string | null,
  ): Promise<{ supplierId: string; items: BalanceItem[] }> {
    if (!(await this.repository.supplierExists(supplierId))) throw ApiError.notFound('Supplier');
    const rows = await this.repository.supplierBalance(supplierId, merchantId);
    return { supplierId, items: rows.map(balanceItem) };
  }

  /** Per supplier and currency, newest activity first. */
  async receivables(merchantId: string): Promise<{ merchantId: string; items: Receivable[] }> {
    if (!(await this.repository.merchantExists(merchantId))) throw ApiError.notFound('Merchant');
    const rows = await this.repository.receivables(merchantId);
    return {
      merchantId,
      items: rows.map((row) => ({
        supplierId: row.supplier_id,
        supplierName: row.supplier_name ?? '',
        ...balanceItem(row),
        lastActivityAt: new Date(row.last_activity_at).toISOString(),
      })),
    };
  }
}

const CSV_COLUMNS = [
  'supplierId',
  'supplierName',
  'currency',
  'claimed',
  'refunded',
  'outstanding',
  'overdue',
  'writtenOff',
  'openCases',
  'lastActivityAt',
] as const;

/**
 * Receivables as CSV (RFC 4180), with a header row. A text cell that a spreadsheet would read as
 * a formula (`=`, `+`, `-`, `@`) is written with a leading `'`.
 */
export function receivablesCsv(items: Receivable[]): string {
  const cell = (value: string | number) => {
    let text = String(value);
    if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text)) {
      text = `'${text}`;
    }
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const item of items) lines.push(CSV_COLUMNS.map((c) => cell(item[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
