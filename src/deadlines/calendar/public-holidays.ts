/**
 * Countries' public holidays from date-holidays: `public` type only, no state or region (workflows.md:
 * "its regional holidays are not counted"), so GB is the UK-wide list, US the federal one, DE the
 * federal one, CA and AU the national ones.
 *
 * A holiday makes a date a day off when it covers that date's working hours (09:00-17:00 local):
 * date-holidays also has half days (CN 03-08 from 12:00, CW 12-31 from 12:00) and holidays that
 * start at the eve's sunset (Islamic and Jewish holidays: "1 Shawwal" runs from 18:00 the day
 * before); the first are not days off, the second count for the day itself, not for the eve.
 */
import Holidays from 'date-holidays';
import { addDays } from './calendar-date';
import { localDateTimeOf } from './time-zone';

/**
 * Multi-zone countries where date-holidays' first zone is not the capital's. Elsewhere its first
 * zone is the capital's (US America/New_York, CA America/Toronto, AU Australia/Sydney, RU
 * Europe/Moscow, BR America/Sao_Paulo, CN Asia/Shanghai, MX America/Mexico_City, ...); a test
 * pins them.
 */
const CAPITAL_TIME_ZONES: Readonly<Record<string, string>> = {
  // date-holidays lists Africa/Maputo (Lubumbashi, UTC+2) first; Kinshasa is UTC+1.
  CD: 'Africa/Kinshasa',
  // date-holidays lists Asia/Samarkand first (same offset as Tashkent, the capital).
  UZ: 'Asia/Tashkent',
};

const WORKING_HOURS = { start: 'T09:00', end: 'T17:00' } as const;

interface LibraryPatch {
  /** date-holidays rules to remove: not days off for everyone. */
  remove: readonly string[];
  /** date-holidays rules to add, all `public`. */
  add: readonly { rule: string; name: string }[];
}

/**
 * Corrections to date-holidays' rules. They matter only for years that no official source covers
 * (official-calendar.ts), since an official source replaces the library for the years it has.
 */
const LIBRARY_PATCHES: Readonly<Record<string, LibraryPatch>> = {
  // 全国年节及纪念日放假办法 as revised in November 2024 (State Council decree 798, in force
  // 2025-01-01), article 2, holidays for all citizens: 元旦 1 day, 春节 4 days (除夕 to 初三),
  // 清明节, 劳动节 2 days (May 1-2), 端午节, 中秋节 1 day each, 国庆节 3 days (Oct 1-3).
  // date-holidays has 除夕 to 初二 and May 1 only, and lists as public the days of article 3 that
  // are holidays for some citizens only (women, youth, children, soldiers).
  CN: {
    remove: ['03-08 12:00', '05-04 12:00', '06-01', '08-01 12:00'],
    add: [
      { rule: 'chinese 01-0-03', name: '春节' },
      { rule: '05-02', name: '劳动节' },
    ],
  },
};

let countryCodes: ReadonlySet<string> | undefined;

function knownCountryCodes(): ReadonlySet<string> {
  countryCodes ??= new Set(Object.keys(new Holidays().getCountries()));
  return countryCodes;
}

/**
 * True for an upper-case ISO 3166-1 alpha-2 code whose public holidays date-holidays has (207
 * countries). Business days cannot be counted elsewhere, so merchants and suppliers must be in one.
 */
export function hasPublicHolidayData(country: unknown): boolean {
  return (
    typeof country === 'string' && /^[A-Z]{2}$/.test(country) && knownCountryCodes().has(country)
  );
}

/** Public holidays per country and date. Building a country's rules is slow: each is built once. */
export class PublicHolidays {
  private readonly libraries = new Map<string, Holidays>();
  private readonly daysByYear = new Map<string, ReadonlySet<string>>();

  /** An upper-case ISO 3166-1 alpha-2 code that date-holidays knows. */
  isKnownCountry(country: string): boolean {
    return hasPublicHolidayData(country);
  }

  /** Every country with data, by code, with its English name and its capital's zone. */
  countries(): { code: string; name: string; timezone: string }[] {
    return Object.entries(new Holidays().getCountries('en'))
      .map(([code, name]) => ({ code, name, timezone: this.timeZoneOf(code) }))
      .sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The zone of the country's capital. The country must be known. */
  timeZoneOf(country: string): string {
    return CAPITAL_TIME_ZONES[country] ?? this.library(country).getTimezones()[0];
  }

  /** True when `date` (`YYYY-MM-DD`, local) is a public holiday of `country`. */
  isHoliday(country: string, date: string): boolean {
    const year = Number(date.slice(0, 4));
    if (this.daysOf(country, year).has(date)) return true;
    // A holiday of the year before may run into January (Eswatini's Incwala from 28 Dec).
    return date.slice(5, 7) === '01' && this.daysOf(country, year - 1).has(date);
  }

  /** The days off given by the public holidays that date-holidays lists in `year`. */
  daysOf(country: string, year: number): ReadonlySet<string> {
    const key = `${country}:${year}`;
    let days = this.daysByYear.get(key);
    if (!days) {
      days = this.computeDaysOf(country, year);
      this.daysByYear.set(key, days);
    }
    return days;
  }

  private computeDaysOf(country: string, year: number): ReadonlySet<string> {
    const timeZone = this.timeZoneOf(country);
    const days = new Set<string>();
    for (const holiday of this.library(country).getHolidays(year)) {
      if (holiday.type !== 'public') continue;
      const start = localDateTimeOf(holiday.start, timeZone);
      const end = localDateTimeOf(holiday.end, timeZone);
      for (let date = start.slice(0, 10); `${date}T00:00` < end; date = addDays(date, 1)) {
        if (start <= date + WORKING_HOURS.start && end >= date + WORKING_HOURS.end) days.add(date);
      }
    }
    return days;
  }

  private library(country: string): Holidays {
    let library = this.libraries.get(country);
    if (!library) {
      library = new Holidays(country, { types: ['public'] });
      // Holidays' start and end instants in the zone the calendar reads them in.
      library.setTimezone(CAPITAL_TIME_ZONES[country] ?? library.getTimezones()[0]);
      const patch = LIBRARY_PATCHES[country];
      for (const rule of patch?.remove ?? []) library.unsetRule(rule);
      for (const { rule, name } of patch?.add ?? []) {
        library.setHoliday(rule, { name, type: 'public' });
      }
      this.libraries.set(country, library);
    }
    return library;
  }
}
