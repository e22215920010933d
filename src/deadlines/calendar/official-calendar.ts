/**
 * Official day arrangements that a holiday library cannot compute: the days off and the weekend
 * days worked instead ("make-up working days", China's 调休) that a government announces each year.
 *
 * The calendar reads them through {@link OfficialCalendarSource}, so the data can come from a file
 * kept in this repository (today, {@link notices}) or from a package behind a small adapter.
 */
import { assertCalendarDate, datesBetween, isWeekend } from './calendar-date';

/** One festival of a yearly notice, as the notice writes it. */
export interface HolidayArrangement {
  /** The festival's name in the notice. */
  name: string;
  /** First and last day off, both included (weekend days inside the range included). */
  off: readonly [from: string, to: string];
  /** Weekend days that are working days instead (上班); empty when the notice says none. */
  workdays: readonly string[];
}

/** One government notice fixing a year's arrangements. */
export interface OfficialNotice {
  year: number;
  title: string;
  /** The document number, when we have it from the text. */
  reference?: string;
  /** Publication date, `YYYY-MM-DD`. */
  published: string;
  url: string;
  arrangements: readonly HolidayArrangement[];
}

/** Where the calendar gets a country's official arrangements. */
export interface OfficialCalendarSource {
  /** ISO 3166-1 alpha-2, upper-case. */
  readonly country: string;
  /** Years whose public holidays are entirely given by this source (no library fallback). */
  readonly years: readonly number[];
  /** Every day off the source knows (any year), `YYYY-MM-DD`. */
  daysOff(): Iterable<string>;
  /** Every weekend day that the source makes a working day (any year), `YYYY-MM-DD`. */
  workdays(): Iterable<string>;
}

/** A source made of yearly notices written out in a data file of this repository. */
export function notices(
  country: string,
  yearlyNotices: readonly OfficialNotice[],
): OfficialCalendarSource {
  return {
    country,
    years: yearlyNotices.map((notice) => notice.year),
    *daysOff() {
      for (const notice of yearlyNotices) {
        for (const { off } of notice.arrangements) yield* datesBetween(off[0], off[1]);
      }
    },
    *workdays() {
      for (const notice of yearlyNotices) {
        for (const arrangement of notice.arrangements) yield* arrangement.workdays;
      }
    },
  };
}

/**
 * The dates of one country's source, checked once: real dates, ranges in order, a make-up working
 * day always a weekend day and never also a day off. A data-entry slip fails loudly at start-up.
 */
export class OfficialDays {
  readonly country: string;
  private readonly years: ReadonlySet<number>;
  private readonly off = new Set<string>();
  private readonly work = new Set<string>();

  constructor(source: OfficialCalendarSource) {
    this.country = source.country;
    this.years = new Set(source.years);
    for (const date of source.daysOff()) {
      assertCalendarDate(date, `${source.country} official day off`);
      this.off.add(date);
    }
    for (const date of source.workdays()) {
      assertCalendarDate(date, `${source.country} official working day`);
      if (!isWeekend(date) || this.off.has(date)) {
        throw new Error(
          `${source.country} official working day ${date} must be a weekend day and not a day off`,
        );
      }
      this.work.add(date);
    }
  }

  /** True when the source gives the whole of `year`'s public holidays. */
  covers(year: number): boolean {
    return this.years.has(year);
  }

  isDayOff(date: string): boolean {
    return this.off.has(date);
  }

  isMakeUpWorkday(date: string): boolean {
    return this.work.has(date);
  }
}
