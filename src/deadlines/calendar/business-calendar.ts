/**
 * The business-day calendar of workflows.md ("Business days"): Monday to Friday, minus the public
 * holidays of a country (date-holidays, `public` type, no regional holidays), minus the supplier's
 * own closures, plus the official make-up working days where a country has them (China's 调休).
 *
 * "N business days after T" is the end (23:59:59.999 local) of the N-th business day after T's
 * local date, in the supplier's timezone when one is set, else in the zone of the country's capital.
 * Counting starts on the day after T's local date, so N = 0 is the end of T's own local day, a
 * business day or not (`addCalendarDays(d, 0)` is `d` too).
 *
 * Pure: no Nest, no clock, no I/O; the country data comes from date-holidays and from official
 * sources (official-calendar.ts) given to the constructor.
 */
import { CN_STATE_COUNCIL_NOTICES } from './data/cn-state-council-notices';
import { addDays, assertCalendarDate, isCalendarDate, isWeekend } from './calendar-date';
import { CalendarError } from './calendar-error';
import { notices, OfficialCalendarSource, OfficialDays } from './official-calendar';
import { PublicHolidays } from './public-holidays';
import { assertTimeZone, endOfLocalDay, localDateOf } from './time-zone';

/** A supplier's closure (factory holiday, "vacation mode"): both dates included, `YYYY-MM-DD`. */
export interface SupplierClosure {
  from: string;
  to: string;
}

/** Whose business days: a country's, with a supplier's own timezone and closures when it has them. */
export interface CalendarSpec {
  /** ISO 3166-1 alpha-2, upper-case (`FR`, `CN`, `GB`). */
  country: string;
  /** The supplier's IANA zone; null or absent: the capital's zone of `country`. */
  timezone?: string | null;
  closures?: readonly SupplierClosure[];
}

export interface BusinessDayDeadline {
  /** The N-th business day, local date `YYYY-MM-DD`. */
  dueDate: string;
  /** The last millisecond of `dueDate` in the calendar's zone. */
  dueAt: Date;
}

/** More than any deadline of the spec needs (its longest is 15), and bounds the work of a request. */
export const MAX_BUSINESS_DAYS = 3650;

/** The official sources the calendar uses by default. */
export const DEFAULT_OFFICIAL_SOURCES: readonly OfficialCalendarSource[] = [
  notices('CN', CN_STATE_COUNCIL_NOTICES),
];

/** The last date a deadline may fall on: dates are written with four-digit years. */
const LAST_DATE = '9999-12-30';

/** A country whose business calendar is known: its code, English name and capital's zone. */
export interface CalendarCountry {
  code: string;
  name: string;
  timezone: string;
}

/**
 * Business days and deadlines (see the file comment for the rule). Build one and keep it: it
 * caches each country's holidays, which are slow to compute.
 */
export class BusinessCalendar {
  private readonly holidays = new PublicHolidays();
  private countryList?: readonly CalendarCountry[];
  private readonly official = new Map<string, OfficialDays>();

  /** `sources` replace date-holidays for the years they cover (tests may pass their own). */
  constructor(sources: readonly OfficialCalendarSource[] = DEFAULT_OFFICIAL_SOURCES) {
    for (const source of sources) this.official.set(source.country, new OfficialDays(source));
  }

  /**
   * The end of the `days`-th business day after `from`'s local date (`days` = 0: the end of that
   * date itself).
   * @throws CalendarError for an unknown country, a bad timezone or closure, or `days` that is not
   * an integer from 0 to {@link MAX_BUSINESS_DAYS}.
   */
  addBusinessDays(from: Date, days: number, spec: CalendarSpec): BusinessDayDeadline {
    assertInstant(from, 'from');
    if (!Number.isInteger(days) || days < 0 || days > MAX_BUSINESS_DAYS) {
      throw new CalendarError(
        'invalid_days',
        `days must be an integer from 0 to ${MAX_BUSINESS_DAYS}, got ${String(days)}`,
      );
    }
    const timeZone = this.timezoneOf(spec);
    const closures = checkedClosures(spec.closures);
    let date = localDateOf(from, timeZone);
    for (let counted = 0; counted < days; ) {
      date = addDays(date, 1);
      const closure = closures.find((range) => range.from <= date && date <= range.to);
      if (closure) {
        date = closure.to; // a long "vacation mode" is skipped, not walked day by day
      } else if (this.isWorkingDay(spec.country, date)) {
        counted += 1;
      }
      if (date >= LAST_DATE) {
        throw new CalendarError(
          'out_of_range',
          `business day number ${days} after ${localDateOf(from, timeZone)} is not before ${LAST_DATE}`,
        );
      }
    }
    return { dueDate: date, dueAt: endOfLocalDay(date, timeZone) };
  }

  /** True when `date` (`YYYY-MM-DD`) is a business day of `spec`, closures included. */
  isBusinessDay(date: string, spec: CalendarSpec): boolean {
    assertCalendarDate(date);
    this.timezoneOf(spec);
    const closures = checkedClosures(spec.closures);
    if (closures.some((range) => range.from <= date && date <= range.to)) return false;
    return this.isWorkingDay(spec.country, date);
  }

  /** The last millisecond (23:59:59.999 local) of `date` in `timezone`, correct across DST. */
  endOfLocalDay(date: string, timezone: string): Date {
    assertCalendarDate(date);
    assertTimeZone(timezone);
    return endOfLocalDay(date, timezone);
  }

  /** The local date (`YYYY-MM-DD`) of `instant` in `timezone`. */
  localDate(instant: Date, timezone: string): string {
    assertInstant(instant, 'instant');
    assertTimeZone(timezone);
    return localDateOf(instant, timezone);
  }

  /** The date `days` calendar days after `date` (before it when negative). */
  addCalendarDays(date: string, days: number): string {
    assertCalendarDate(date);
    if (!Number.isSafeInteger(days)) {
      throw new CalendarError('invalid_days', `days must be an integer, got ${String(days)}`);
    }
    const result = Math.abs(days) <= 4_000_000 ? addDays(date, days) : '';
    if (!isCalendarDate(result)) {
      throw new CalendarError(
        'out_of_range',
        `${date} + ${days} days is not a four-digit-year date`,
      );
    }
    return result;
  }

  /** The zone deadlines of `spec` are computed in: the supplier's, else the country capital's. */
  timezoneOf(spec: CalendarSpec): string {
    if (!this.isKnownCountry(spec.country)) {
      throw new CalendarError(
        'unknown_country',
        `country must be an upper-case ISO 3166-1 alpha-2 code with holiday data, got ${JSON.stringify(spec.country)}`,
      );
    }
    if (spec.timezone === undefined || spec.timezone === null) {
      return this.holidays.timeZoneOf(spec.country);
    }
    assertTimeZone(spec.timezone);
    return spec.timezone;
  }

  /** The countries business days can be counted in, by code (computed once). */
  countries(): readonly CalendarCountry[] {
    this.countryList ??= this.holidays.countries();
    return this.countryList;
  }

  /** True for an upper-case ISO 3166-1 alpha-2 code whose public holidays we know. */
  isKnownCountry(country: string): boolean {
    return typeof country === 'string' && this.holidays.isKnownCountry(country);
  }

  /** Weekdays that are not public holidays, and official make-up working days. */
  private isWorkingDay(country: string, date: string): boolean {
    const official = this.official.get(country);
    if (official?.isMakeUpWorkday(date)) return true;
    if (isWeekend(date)) return false;
    if (official?.isDayOff(date)) return false;
    if (official?.covers(Number(date.slice(0, 4)))) return true;
    return !this.holidays.isHoliday(country, date);
  }
}

function assertInstant(value: unknown, what: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new CalendarError('invalid_date', `${what} must be a valid Date`);
  }
}

function checkedClosures(closures: readonly SupplierClosure[] | undefined): SupplierClosure[] {
  if (closures === undefined || closures === null) return [];
  if (!Array.isArray(closures)) {
    throw new CalendarError('invalid_closure', 'closures must be a list of {from, to} date ranges');
  }
  return closures.map((closure: SupplierClosure, index) => {
    const { from, to } = closure ?? {};
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) {
      throw new CalendarError(
        'invalid_closure',
        `closures[${index}] must be {from, to} with real YYYY-MM-DD dates and from <= to, got ${JSON.stringify(closure)}`,
      );
    }
    return { from, to };
  });
}
