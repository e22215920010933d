/**
 * The supplier scorecard's money measures (money.md, "Measures"), kept apart from the other
 * measures: per currency, what the window's cases claimed, were refunded, still owe and wrote
 * off, and the median business days (the supplier's calendar) from the claim to its full refund.
 * Pure: the rows read by scorecard-money.repository.ts in, the measures out.
 */
import type { BusinessCalendar, CalendarSpec } from '../deadlines/calendar';
import { formatAmount } from '../money/money';

export interface ScorecardMoney {
  currency: string;
  claimed: string;
  refunded: string;
  outstanding: string;
  writtenOff: string;
  /** Null when no case of the window was refunded in full. */
  medianBusinessDaysToFullRefund: number | null;
}

export const SCORECARD_MONEY_DEFINITION =
  '`money`: per currency of those cases, `claimed`, `refunded` (by the supplier), ' +
  '`outstanding` (still owed on open cases), `writtenOff` (`partially_refunded` and ' +
  '`written_off` outcomes: a merchant loss, not counted as refunds), and ' +
  '`medianBusinessDaysToFullRefund`: over the cases whose supplier refunds reached the claim, ' +
  "the business days of the supplier's calendar from the opening's local date to the full " +
  "refund's (0 on the same day); null if none.";

export interface MoneyRow {
  currency: string;
  claimed: string;
  refunded: string;
  outstanding: string;
  written_off: string;
  /** [opened, fully refunded] pairs of the cases refunded in full. */
  refunds: [string, string][] | null;
}

/** The business days after `from`'s local date up to `to`'s, in `spec`'s calendar. */
export function businessDaysBetween(
  calendar: BusinessCalendar,
  from: Date,
  to: Date,
  spec: CalendarSpec,
): number {
  const zone = calendar.timezoneOf(spec);
  const last = calendar.localDate(to, zone);
  let date = calendar.localDate(from, zone);
  let days = 0;
  for (let guard = 0; date < last && guard < 3660; guard++) {
    date = calendar.addCalendarDays(date, 1);
    if (calendar.isBusinessDay(date, spec)) days++;
  }
  return days;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The measures of the rows of one supplier's window, its calendar given. */
export function moneyMeasures(
  rows: MoneyRow[],
  calendar: BusinessCalendar,
  spec: CalendarSpec,
): ScorecardMoney[] {
  return rows.map((r) => ({
    currency: r.currency,
    claimed: formatAmount(BigInt(r.claimed), r.currency),
    refunded: formatAmount(BigInt(r.refunded), r.currency),
    outstanding: formatAmount(BigInt(r.outstanding), r.currency),
    writtenOff: formatAmount(BigInt(r.written_off), r.currency),
    medianBusinessDaysToFullRefund: median(
      (r.refunds ?? [])
        .filter(([, refunded]) => refunded !== null)
        .map(([opened, refunded]) =>
          businessDaysBetween(calendar, new Date(opened), new Date(refunded), spec),
        ),
    ),
  }));
}
