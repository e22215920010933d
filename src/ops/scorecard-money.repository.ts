/**
 * The SQL of the scorecard's money measures (see scorecard-money.ts): one statement over the
 * window's cases and their running totals, and the supplier's calendar.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DueDateService } from '../deadlines/due-date.service';
import type { BusinessCalendar, CalendarSpec } from '../deadlines/calendar';
import { moneyMeasures, type MoneyRow, type ScorecardMoney } from './scorecard-money';

/**
 * The money measures of a supplier's cases opened in [start, end), withdrawn ones left out. A
 * full refund's instant is its last supplier refund's entry (the one that reached the claim).
 */
@Injectable()
export class ScorecardMoneyRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dueDates: DueDateService,
  ) {}

  measures(supplierId: string, start: Date, end: Date): Promise<ScorecardMoney[]> {
    return scorecardMoney(this.dataSource, this.dueDates.calendar, supplierId, start, end);
  }
}

async function scorecardMoney(
  dataSource: DataSource,
  calendar: BusinessCalendar,
  supplierId: string,
  start: Date,
  end: Date,
): Promise<ScorecardMoney[]> {
  const rows = await dataSource.query<MoneyRow[]>(
    `SELECT c.currency, sum(c.claimed_minor)::text AS claimed,
       sum(c.supplier_refunded_minor)::text AS refunded,
       sum(CASE WHEN c.status = 'open'
         THEN c.claimed_minor - c.supplier_refunded_minor - c.written_off_minor ELSE 0 END)::text AS outstanding,
       sum(c.written_off_minor)::text AS written_off,
       json_agg(json_build_array(c.created_at, (SELECT max(l.at) FROM case_ledger l
         WHERE l.case_id = c.id AND l.kind = 'supplier_refund')))
         FILTER (WHERE c.claimed_minor > 0 AND c.supplier_refunded_minor >= c.claimed_minor) AS refunds
     FROM cases c
     WHERE c.supplier_id = $1 AND c.created_at >= $2 AND c.created_at < $3
       AND c.outcome IS DISTINCT FROM 'withdrawn'
     GROUP BY c.currency ORDER BY c.currency`,
    [supplierId, start, end],
  );
  if (rows.length === 0) return [];
  return moneyMeasures(rows, calendar, await supplierCalendar(dataSource, supplierId));
}

async function supplierCalendar(dataSource: DataSource, supplierId: string): Promise<CalendarSpec> {
  const [row] = await dataSource.query<
    { country: string; timezone: string | null; closures: { from: string; to: string }[] }[]
  >(
    `SELECT s.country, s.timezone, COALESCE((SELECT json_agg(json_build_object(
       'from', to_char(sc.from_date, 'YYYY-MM-DD'), 'to', to_char(sc.to_date, 'YYYY-MM-DD')))
       FROM supplier_closures sc WHERE sc.supplier_id = s.id), '[]') AS closures
     FROM suppliers s WHERE s.id = $1`,
    [supplierId],
  );
  return { country: row.country, timezone: row.timezone, closures: row.closures };
}
