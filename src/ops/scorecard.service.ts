import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock/clock.service';
import { ApiError } from '../common/errors/api-error';

export const SCORECARD_DEFAULT_DAYS = 28;
export const SCORECARD_MAX_DAYS = 366;
const DAY_MS = 86_400_000;

/** Outcomes in which the supplier paid money back. */
export const REFUND_OUTCOMES = ['refunded', 'intercepted_refunded', 'supplier_switched'];

export interface Scorecard {
  supplierId: string;
  from: string;
  to: string;
  cases: number;
  byType: Record<string, number>;
  firstResponseMedianSeconds: number | null;
  supplierResponseBreachRate: number | null;
  resolutionBreachRate: number | null;
  verificationConfirmRate: number | null;
  refunds: number;
  reships: number;
  lateShipmentRate: number | null;
}

/** The definitions, for the OpenAPI description (one place, so docs and SQL agree). */
export const SCORECARD_DEFINITIONS = [
  "Cases: the supplier's cases opened from `from` 00:00 UTC to `to` 23:59:59.999 UTC, except " +
    'withdrawn ones (workflows.md: a withdrawn case counts in no metric). Rates are fractions ' +
    '0..1, null when their denominator is 0.',
  '`byType`: those cases counted by case type.',
  '`firstResponseMedianSeconds`: median, over the cases the supplier acted on, of the time from ' +
    "the case's opening to its first timeline entry with `actor.kind = supplier`; null if none.",
  '`supplierResponseBreachRate`: cases whose `supplier_response` deadline was missed / cases ' +
    'whose `supplier_response` deadline is settled (fired or cleared); an open case whose 24 h ' +
    'have not run out yet is not counted.',
  '`resolutionBreachRate`: cases with a missed `resolution_due` or `refund_due` deadline / ' +
    'cases that had one of those deadlines settled (fired or cancelled).',
  '`verificationConfirmRate`: `VERIFICATION_CONFIRMED` / (`VERIFICATION_CONFIRMED` + ' +
    '`VERIFICATION_REJECTED`) decisions on those cases (an appeal can bring a second decision).',
  '`refunds`: cases closed with outcome `refunded`, `intercepted_refunded` or ' +
    '`supplier_switched`; `reships`: cases closed with outcome `reshipped`.',
  '`lateShipmentRate`: `late_shipment` cases / all cases.',
].join('\n\n');

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

interface ScorecardRow {
  cases: number;
  by_type: Record<string, number>;
  first_response_median: number | null;
  sr_settled: number;
  sr_missed: number;
  res_settled: number;
  res_missed: number;
  confirmed: number;
  decided: number;
  refunds: number;
  reships: number;
  late: number;
}

/** The supplier scorecard (workflows.md, "Measures"): one SQL round trip over the window. */
@Injectable()
export class ScorecardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async scorecard(supplierId: string, fromDay?: string, toDay?: string): Promise<Scorecard> {
    const to = toDay ?? utcDay(this.clock.now());
    const from =
      fromDay ??
      utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - (SCORECARD_DEFAULT_DAYS - 1) * DAY_MS));
    const start = new Date(`${from}T00:00:00.000Z`);
    const end = new Date(Date.parse(`${to}T00:00:00.000Z`) + DAY_MS);
    if (end.getTime() <= start.getTime()) {
      throw ApiError.validation([{ field: 'to', problem: 'must be on or after from' }]);
    }
    if (end.getTime() - start.getTime() > SCORECARD_MAX_DAYS * DAY_MS) {
      throw ApiError.validation([
        { field: 'from', problem: `the window may span at most ${SCORECARD_MAX_DAYS} days` },
      ]);
    }
    const exists = await this.dataSource.query<unknown[]>(`SELECT 1 FROM suppliers WHERE id = $1`, [
      supplierId,
    ]);
    if (exists.length === 0) throw ApiError.notFound('Supplier');

    const rows = await this.dataSource.query<ScorecardRow[]>(
      `WITH c AS (
         SELECT id, type, outcome, created_at FROM cases
         WHERE supplier_id = $1 AND created_at >= $2 AND created_at < $3
           AND outcome IS DISTINCT FROM 'withdrawn'
       ),
       first_response AS (
         SELECT extract(epoch FROM min(t.at) - c.created_at)::float8 AS seconds
         FROM c JOIN timeline_entries t ON t.case_id = c.id AND t.actor->>'kind' = 'supplier'
         GROUP BY c.id, c.created_at
       ),
       deadlines AS (
         SELECT
           bool_or(k.kind = 'supplier_response') AS sr,
           bool_or(k.kind = 'supplier_response' AND k.breached) AS sr_missed,
           bool_or(k.kind IN ('resolution_due', 'refund_due')) AS res,
           bool_or(k.kind IN ('resolution_due', 'refund_due') AND k.breached) AS res_missed
         FROM c JOIN case_timers k ON k.case_id = c.id
         WHERE k.fired_at IS NOT NULL OR k.cancelled_at IS NOT NULL
         GROUP BY c.id
       ),
       decisions AS (
         SELECT count(*) FILTER (WHERE t.type = 'VERIFICATION_CONFIRMED')::int AS confirmed,
                count(*)::int AS decided
         FROM c JOIN timeline_entries t ON t.case_id = c.id
         WHERE t.type IN ('VERIFICATION_CONFIRMED', 'VERIFICATION_REJECTED')
       )
       SELECT
         (SELECT count(*)::int FROM c) AS cases,
         (SELECT COALESCE(json_object_agg(type, n ORDER BY type), '{}'::json)
            FROM (SELECT type, count(*)::int AS n FROM c GROUP BY type) by_type) AS by_type,
         (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) FROM first_response)
           AS first_response_median,
         (SELECT count(*) FILTER (WHERE sr)::int FROM deadlines) AS sr_settled,
         (SELECT count(*) FILTER (WHERE sr_missed)::int FROM deadlines) AS sr_missed,
         (SELECT count(*) FILTER (WHERE res)::int FROM deadlines) AS res_settled,
         (SELECT count(*) FILTER (WHERE res_missed)::int FROM deadlines) AS res_missed,
         (SELECT confirmed FROM decisions) AS confirmed,
         (SELECT decided FROM decisions) AS decided,
         (SELECT count(*) FILTER (WHERE outcome = ANY($4))::int FROM c) AS refunds,
         (SELECT count(*) FILTER (WHERE outcome = 'reshipped')::int FROM c) AS reships,
         (SELECT count(*) FILTER (WHERE type = 'late_shipment')::int FROM c) AS late`,
      [supplierId, start, end, REFUND_OUTCOMES],
    );
    const r = rows[0];
    return {
      supplierId,
      from,
      to,
      cases: r.cases,
      byType: r.by_type,
      firstResponseMedianSeconds:
        r.first_response_median === null ? null : Number(r.first_response_median),
      supplierResponseBreachRate: ratio(r.sr_missed, r.sr_settled),
      resolutionBreachRate: ratio(r.res_missed, r.res_settled),
      verificationConfirmRate: ratio(r.confirmed, r.decided),
      refunds: r.refunds,
      reships: r.reships,
      lateShipmentRate: ratio(r.late, r.cases),
    };
  }
}
