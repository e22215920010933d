import fc from 'fast-check';
import { BusinessCalendar, CalendarSpec, MAX_BUSINESS_DAYS } from './business-calendar';
import { CalendarError, CalendarErrorCode } from './calendar-error';
import { localDateTimeOf } from './time-zone';

const calendar = new BusinessCalendar();

/** [case, from (an instant), days, spec, expected dueDate, expected dueAt (optional)] */
type DeadlineRow = [string, string, number, CalendarSpec, string, string?];

function expectDeadline(...[, from, days, spec, dueDate, dueAt]: DeadlineRow): void {
  const result = calendar.addBusinessDays(new Date(from), days, spec);
  expect(result.dueDate).toBe(dueDate);
  if (dueAt) expect(result.dueAt.toISOString()).toBe(dueAt);
}

/** The end of a Beijing day (UTC+8 all year). */
const cnEnd = (date: string) => `${date}T15:59:59.999Z`;

const CN: CalendarSpec = { country: 'CN' };
const FR: CalendarSpec = { country: 'FR' };

function codeOf(action: () => unknown): CalendarErrorCode | 'no error' {
  try {
    action();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    return (error as CalendarError).code;
  }
}

describe('BusinessCalendar.addBusinessDays', () => {
  // prettier-ignore
  const specExamples: DeadlineRow[] = [
    ['FR, early on Mon 2 Nov (Paris), 15 days over 11 Nov', '2026-11-02T00:00:00+01:00', 15, FR, '2026-11-24', '2026-11-24T22:59:59.999Z'],
    ['FR, last ms of Mon 2 Nov (Paris)', '2026-11-02T23:59:59.999+01:00', 15, FR, '2026-11-24', '2026-11-24T22:59:59.999Z'],
    ['US, 5 days over Thanksgiving (26 Nov), New York time', '2026-11-20T12:00:00-05:00', 5, { country: 'US' }, '2026-11-30', '2026-12-01T04:59:59.999Z'],
  ];
  it.each(specExamples)('%s', expectDeadline);

  // Hand-computed from the State Council notices (data/cn-state-council-notices.ts).
  // prettier-ignore
  const china: DeadlineRow[] = [
    // 2025 National Day + Mid-Autumn: off Wed 1 - Wed 8 Oct; Sun 28 Sep and Sat 11 Oct worked.
    ['CN 2025-09-26 (Fri) +1: the make-up Sunday 28 Sep', '2025-09-26T10:00:00+08:00', 1, CN, '2025-09-28', cnEnd('2025-09-28')],
    ['CN 2025-09-26 +3: Tue 30 Sep', '2025-09-26T10:00:00+08:00', 3, CN, '2025-09-30'],
    ['CN 2025-09-26 +4: Thu 9 Oct, after the 8 days off', '2025-09-26T10:00:00+08:00', 4, CN, '2025-10-09', cnEnd('2025-10-09')],
    ['CN 2025-09-26 +6: the make-up Saturday 11 Oct', '2025-09-26T10:00:00+08:00', 6, CN, '2025-10-11'],
    ['CN 2025-09-26 +7: Mon 13 Oct', '2025-09-26T10:00:00+08:00', 7, CN, '2025-10-13', cnEnd('2025-10-13')],
    // 2026 Mid-Autumn (Fri 25 - Sun 27 Sep), National Day (Thu 1 - Wed 7 Oct); Sun 20 Sep, Sat 10 Oct worked.
    ['CN 2026-09-18 (Fri) +1: the make-up Sunday 20 Sep', '2026-09-18T09:00:00+08:00', 1, CN, '2026-09-20'],
    ['CN 2026-09-18 +6: Mon 28 Sep, after Mid-Autumn', '2026-09-18T09:00:00+08:00', 6, CN, '2026-09-28'],
    ['CN 2026-09-28 (Mon) +2: Wed 30 Sep', '2026-09-28T09:00:00+08:00', 2, CN, '2026-09-30'],
    ['CN 2026-09-28 +3: Thu 8 Oct, after the 7 days off', '2026-09-28T09:00:00+08:00', 3, CN, '2026-10-08', cnEnd('2026-10-08')],
    ['CN 2026-09-28 +5: the make-up Saturday 10 Oct', '2026-09-28T09:00:00+08:00', 5, CN, '2026-10-10', cnEnd('2026-10-10')],
    ['CN 2026-09-28 +6: Mon 12 Oct', '2026-09-28T09:00:00+08:00', 6, CN, '2026-10-12'],
    // 2024 National Day: off Tue 1 - Mon 7 Oct; Sun 29 Sep and Sat 12 Oct worked.
    ['CN 2024-09-27 (Fri) +1: the make-up Sunday 29 Sep', '2024-09-27T09:00:00+08:00', 1, CN, '2024-09-29'],
    ['CN 2024-09-27 +3: Tue 8 Oct', '2024-09-27T09:00:00+08:00', 3, CN, '2024-10-08'],
    ['CN 2024-09-27 +7: the make-up Saturday 12 Oct', '2024-09-27T09:00:00+08:00', 7, CN, '2024-10-12'],
    // 2026 Spring Festival: off Sun 15 - Mon 23 Feb (9 days); Sat 14 and Sat 28 Feb worked.
    // date-holidays alone has 16-18 Feb only and would answer 19 Feb for +2.
    ['CN 2026-02-12 (Thu) +1: Fri 13 Feb', '2026-02-12T09:00:00+08:00', 1, CN, '2026-02-13'],
    ['CN 2026-02-12 +2: the make-up Saturday 14 Feb', '2026-02-12T09:00:00+08:00', 2, CN, '2026-02-14'],
    ['CN 2026-02-12 +3: Tue 24 Feb, after the 9 days off', '2026-02-12T09:00:00+08:00', 3, CN, '2026-02-24', cnEnd('2026-02-24')],
    ['CN 2026-02-12 +7: the make-up Saturday 28 Feb', '2026-02-12T09:00:00+08:00', 7, CN, '2026-02-28'],
    ['CN 2026-02-12 +8: Mon 2 Mar', '2026-02-12T09:00:00+08:00', 8, CN, '2026-03-02'],
    // 2025 Spring Festival: off Tue 28 Jan (除夕) - Tue 4 Feb; Sun 26 Jan and Sat 8 Feb worked.
    ['CN 2025-01-24 (Fri) +1: the make-up Sunday 26 Jan', '2025-01-24T09:00:00+08:00', 1, CN, '2025-01-26'],
    ['CN 2025-01-24 +3: Wed 5 Feb', '2025-01-24T09:00:00+08:00', 3, CN, '2025-02-05'],
    ['CN 2025-01-24 +6: the make-up Saturday 8 Feb', '2025-01-24T09:00:00+08:00', 6, CN, '2025-02-08'],
    ['CN 2025-01-24 +7: Mon 10 Feb', '2025-01-24T09:00:00+08:00', 7, CN, '2025-02-10'],
    // No notice yet for 2027 or 2028: the statutory days (除夕 to 初三, 1-2 May), no make-up days.
    ['CN 2027 fallback: Spring Festival Fri 5 - Mon 8 Feb', '2027-02-04T09:00:00+08:00', 1, CN, '2027-02-09'],
    ['CN 2028 fallback: Labour Day Mon 1 - Tue 2 May', '2028-04-28T09:00:00+08:00', 1, CN, '2028-05-03'],
  ];
  it.each(china)('%s', expectDeadline);

  // prettier-ignore
  const oneHolidayPerCountry: DeadlineRow[] = [
    ['CN 清明节 Sat 4 - Mon 6 Apr 2026', '2026-04-03T12:00:00+08:00', 1, CN, '2026-04-07'],
    ['FR Ascension Thu 14 May 2026', '2026-05-13T12:00:00+02:00', 1, FR, '2026-05-15', '2026-05-15T21:59:59.999Z'],
    ['US Independence Day observed Fri 3 Jul 2026', '2026-07-02T12:00:00-04:00', 1, { country: 'US' }, '2026-07-06', '2026-07-07T03:59:59.999Z'],
    ['GB Christmas, Boxing Day and its substitute Mon 28 Dec 2026', '2026-12-24T12:00:00Z', 1, { country: 'GB' }, '2026-12-29', '2026-12-29T23:59:59.999Z'],
    ['DE Good Friday and Easter Monday 2026', '2026-04-02T12:00:00+02:00', 1, { country: 'DE' }, '2026-04-07', '2026-04-07T21:59:59.999Z'],
    ['ES Epiphany Tue 6 Jan 2026', '2026-01-05T12:00:00+01:00', 1, { country: 'ES' }, '2026-01-07'],
    ['IT Festa della Repubblica Tue 2 Jun 2026', '2026-06-01T12:00:00+02:00', 1, { country: 'IT' }, '2026-06-03'],
    ['NL Koningsdag Mon 27 Apr 2026', '2026-04-24T12:00:00+02:00', 1, { country: 'NL' }, '2026-04-28'],
    ['AU Australia Day Mon 26 Jan 2026, Sydney time', '2026-01-23T12:00:00+11:00', 1, { country: 'AU' }, '2026-01-27', '2026-01-27T12:59:59.999Z'],
    ['CA Canada Day Wed 1 Jul 2026, Toronto time', '2026-06-30T12:00:00-04:00', 1, { country: 'CA' }, '2026-07-02', '2026-07-03T03:59:59.999Z'],
  ];
  it.each(oneHolidayPerCountry)('%s', expectDeadline);

  // prettier-ignore
  const timeZones: DeadlineRow[] = [
    ['late evening UTC is already the next day in Shanghai (Thu 16:30Z = Fri 00:30)', '2026-11-05T16:30:00Z', 1, CN, '2026-11-09', '2026-11-09T15:59:59.999Z'],
    ["N = 0 is the end of T's local day (Shanghai)", '2026-11-05T16:30:00Z', 0, CN, '2026-11-06', '2026-11-06T15:59:59.999Z'],
    ['N = 0 on a Saturday stays on that Saturday', '2026-11-07T12:00:00+01:00', 0, FR, '2026-11-07', '2026-11-07T22:59:59.999Z'],
    ['Paris spring forward: due Mon 30 Mar is 21:59:59.999Z', '2026-03-27T10:00:00+01:00', 1, FR, '2026-03-30', '2026-03-30T21:59:59.999Z'],
    ['Paris before the change: due Fri 27 Mar is 22:59:59.999Z', '2026-03-26T10:00:00+01:00', 1, FR, '2026-03-27', '2026-03-27T22:59:59.999Z'],
    ['Paris fall back: due Mon 26 Oct is 22:59:59.999Z', '2026-10-23T10:00:00+02:00', 1, FR, '2026-10-26', '2026-10-26T22:59:59.999Z'],
    ["a supplier's zone overrides the country's: still Sunday in New York", '2026-11-02T03:00:00Z', 1, { country: 'FR', timezone: 'America/New_York' }, '2026-11-02', '2026-11-03T04:59:59.999Z'],
    ['the same instant in the country zone: already Monday in Paris', '2026-11-02T03:00:00Z', 1, { country: 'FR', timezone: null }, '2026-11-03', '2026-11-03T22:59:59.999Z'],
    ["a supplier's zone keeps the country's holidays (FR 11 Nov, Shanghai time)", '2026-11-10T12:00:00+08:00', 1, { country: 'FR', timezone: 'Asia/Shanghai' }, '2026-11-12', '2026-11-12T15:59:59.999Z'],
  ];
  it.each(timeZones)('%s', expectDeadline);

  const nov2 = '2026-11-02T09:00:00+01:00';
  const closed = (...ranges: [string, string][]): CalendarSpec => ({
    country: 'FR',
    closures: ranges.map(([from, to]) => ({ from, to })),
  });
  // prettier-ignore
  const closures: DeadlineRow[] = [
    ['no closure: Tue 24 Nov', nov2, 15, closed(), '2026-11-24'],
    ['closed Mon 16 - Wed 18 Nov, inside the count: 3 days later', nov2, 15, closed(['2026-11-16', '2026-11-18']), '2026-11-27', '2026-11-27T22:59:59.999Z'],
    ['closed Fri 13 - Sun 15 Nov, over a weekend: 1 day later', nov2, 15, closed(['2026-11-13', '2026-11-15']), '2026-11-25'],
    ['closed Fri 6 - Wed 11 Nov, over a weekend and a holiday: 3 days later', nov2, 15, closed(['2026-11-06', '2026-11-11']), '2026-11-27'],
    ['two closures', nov2, 15, closed(['2026-11-13', '2026-11-13'], ['2026-11-24', '2026-11-24']), '2026-11-26'],
    ["a closure ending on T's date changes nothing", nov2, 15, closed(['2026-10-20', '2026-11-02']), '2026-11-24'],
    ['a closure wins over a CN make-up Saturday (10 Oct 2026)', '2026-09-28T09:00:00+08:00', 5, { country: 'CN', closures: [{ from: '2026-10-10', to: '2026-10-10' }] }, '2026-10-12'],
    ['a years-long "vacation mode" is skipped (1 Jan 2031 is a holiday)', nov2, 1, closed(['2026-11-03', '2030-12-31']), '2031-01-02'],
  ];
  it.each(closures)('supplier closures: %s', expectDeadline);

  it('refuses a closure that never ends', () => {
    const spec = closed(['2026-11-03', '9999-12-31']);
    expect(codeOf(() => calendar.addBusinessDays(new Date(nov2), 1, spec))).toBe('out_of_range');
  });

  it('counts the most days allowed in one go', () => {
    const start = new Date('2026-01-01T12:00:00Z');
    const { dueDate } = calendar.addBusinessDays(start, MAX_BUSINESS_DAYS, FR);
    expect(dueDate > '2039-12-31' && dueDate < '2041-01-01').toBe(true);
  });
});

describe('BusinessCalendar.isBusinessDay', () => {
  // prettier-ignore
  const days: [string, string, CalendarSpec, boolean][] = [
    ['CN make-up Saturday', '2026-10-10', CN, true],
    ['CN ordinary Sunday', '2026-10-11', CN, false],
    ['CN National Day week (a Wednesday)', '2026-10-07', CN, false],
    ['CN after National Day', '2026-10-08', CN, true],
    ["CN Children's Day (for children only; date-holidays says public)", '2026-06-01', CN, true],
    ['CN Army Day (for soldiers only)', '2025-08-01', CN, true],
    ['FR Armistice', '2026-11-11', FR, false],
    ['a Saturday', '2026-11-14', FR, false],
    ['a closure day', '2026-11-12', { country: 'FR', closures: [{ from: '2026-11-12', to: '2026-11-12' }] }, false],
    ['US Thanksgiving', '2026-11-26', { country: 'US' }, false],
    ['US Black Friday', '2026-11-27', { country: 'US' }, true],
    ['GB Boxing Day substitute', '2026-12-28', { country: 'GB' }, false],
    // Regional holidays are not counted (workflows.md).
    ["GB: England & Wales' Summer bank holiday is not UK-wide", '2026-08-31', { country: 'GB' }, true],
    ['DE Epiphany (BW, BY, ST only)', '2026-01-06', { country: 'DE' }, true],
    ['ES Maundy Thursday (regional)', '2026-04-02', { country: 'ES' }, true],
    ["US Patriots' Day (MA, ME)", '2026-04-20', { country: 'US' }, true],
    ['CA Thanksgiving (provincial)', '2026-10-12', { country: 'CA' }, true],
    ["AU King's Birthday (states)", '2026-06-08', { country: 'AU' }, true],
  ];
  it.each(days)('%s: %s', (_case, date, spec, expected) => {
    expect(calendar.isBusinessDay(date, spec)).toBe(expected);
  });
});

describe('BusinessCalendar.endOfLocalDay', () => {
  it.each([
    ['2026-03-27', 'Europe/Paris', '2026-03-27T22:59:59.999Z'],
    ['2026-03-28', 'Europe/Paris', '2026-03-28T22:59:59.999Z'],
    ['2026-03-29', 'Europe/Paris', '2026-03-29T21:59:59.999Z'], // a 23-hour day
    ['2026-03-30', 'Europe/Paris', '2026-03-30T21:59:59.999Z'],
    ['2026-10-24', 'Europe/Paris', '2026-10-24T21:59:59.999Z'],
    ['2026-10-25', 'Europe/Paris', '2026-10-25T22:59:59.999Z'], // a 25-hour day
    ['2026-03-27', 'Asia/Shanghai', '2026-03-27T15:59:59.999Z'],
    ['2026-03-30', 'Asia/Shanghai', '2026-03-30T15:59:59.999Z'],
    ['2026-03-08', 'America/New_York', '2026-03-09T03:59:59.999Z'],
    ['2026-01-15', 'Asia/Kolkata', '2026-01-15T18:29:59.999Z'],
    // Santiago changes at midnight: 24:00 -> 01:00 in September, 24:00 -> 23:00 in April.
    ['2026-09-05', 'America/Santiago', '2026-09-06T03:59:59.999Z'],
    ['2026-04-04', 'America/Santiago', '2026-04-05T03:59:59.999Z'],
  ])('%s in %s ends at %s', (date, zone, expected) => {
    expect(calendar.endOfLocalDay(date, zone).toISOString()).toBe(expected);
  });

  function expectEndOf(date: string, zone: string): void {
    const end = calendar.endOfLocalDay(date, zone);
    expect(calendar.localDate(end, zone)).toBe(date);
    expect(calendar.localDate(new Date(end.getTime() + 1), zone)).toBe(
      calendar.addCalendarDays(date, 1),
    );
    expect(localDateTimeOf(end, zone)).toBe(`${date}T23:59:59.999`);
  }

  it('is the last millisecond of the local date, 23:59:59.999, in zones with odd DST rules', () => {
    const zones = [
      'Europe/Paris',
      'Europe/London',
      'America/New_York',
      'America/Santiago',
      'America/Havana',
      'America/St_Johns',
      'Asia/Shanghai',
      'Asia/Beirut',
      'Asia/Kathmandu',
      'Africa/Casablanca',
      'Australia/Sydney',
      'Australia/Lord_Howe',
      'Pacific/Chatham',
    ];
    const days = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2040-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(fc.constantFrom(...zones), days, (zone, day) => {
        expectEndOf(day.toISOString().slice(0, 10), zone);
      }),
      { numRuns: 1000 },
    );
  });

  it('is right on every day of 2026 in zones that change at or near midnight', () => {
    for (const zone of ['Europe/Paris', 'America/Santiago', 'America/Havana', 'Asia/Beirut']) {
      for (
        let date = '2026-01-01';
        date <= '2026-12-31';
        date = calendar.addCalendarDays(date, 1)
      ) {
        expectEndOf(date, zone);
      }
    }
  });
});

describe('BusinessCalendar.localDate and addCalendarDays', () => {
  it.each([
    ['2026-11-05T16:30:00Z', 'Asia/Shanghai', '2026-11-06'],
    ['2026-11-05T15:59:59.999Z', 'Asia/Shanghai', '2026-11-05'],
    ['2026-03-29T00:59:59.999Z', 'Europe/Paris', '2026-03-29'],
    ['2026-11-02T03:00:00Z', 'America/New_York', '2026-11-01'],
  ])('%s in %s is %s', (instant, zone, expected) => {
    expect(calendar.localDate(new Date(instant), zone)).toBe(expected);
  });

  it.each([
    ['2026-02-28', 1, '2026-03-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-03-29', 1, '2026-03-30'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-12-31', 0, '2026-12-31'],
    ['2026-10-24', 30, '2026-11-23'],
  ])('%s + %i = %s', (date, days, expected) => {
    expect(calendar.addCalendarDays(date, days)).toBe(expected);
  });
});

describe('BusinessCalendar.timezoneOf and isKnownCountry', () => {
  it.each([
    ['US', 'America/New_York'],
    ['CA', 'America/Toronto'],
    ['AU', 'Australia/Sydney'],
    ['RU', 'Europe/Moscow'],
    ['BR', 'America/Sao_Paulo'],
    ['CN', 'Asia/Shanghai'],
    ['MX', 'America/Mexico_City'],
    ['AR', 'America/Argentina/Buenos_Aires'],
    ['ID', 'Asia/Jakarta'],
    ['NZ', 'Pacific/Auckland'],
    ['PT', 'Europe/Lisbon'],
    ['ES', 'Europe/Madrid'],
    ['CD', 'Africa/Kinshasa'],
    ['UZ', 'Asia/Tashkent'],
    ['FR', 'Europe/Paris'],
    ['GB', 'Europe/London'],
  ])("%s uses its capital's zone %s", (country, zone) => {
    expect(calendar.timezoneOf({ country })).toBe(zone);
  });

  it("uses the supplier's zone when one is set", () => {
    expect(calendar.timezoneOf({ country: 'CN', timezone: 'Europe/Paris' })).toBe('Europe/Paris');
  });

  it('gives every known country a zone the runtime knows', () => {
    const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    const known = letters
      .flatMap((first) => letters.map((second) => first + second))
      .filter((code) => calendar.isKnownCountry(code));
    expect(known.length).toBeGreaterThan(150);
    for (const country of known) {
      const zone = calendar.timezoneOf({ country });
      expect(() => calendar.endOfLocalDay('2026-01-01', zone)).not.toThrow();
    }
  });

  it.each([
    ['FR', true],
    ['CN', true],
    ['GB', true],
    ['fr', false],
    ['UK', false],
    ['XX', false],
    ['FRA', false],
    ['', false],
  ])('isKnownCountry(%j) is %s', (country, expected) => {
    expect(calendar.isKnownCountry(country)).toBe(expected);
  });
});

describe('refused inputs', () => {
  const from = new Date('2026-11-02T09:00:00Z');
  const add = (days: number, spec: CalendarSpec) => () =>
    calendar.addBusinessDays(from, days, spec);
  // prettier-ignore
  const refusals: [string, () => unknown, CalendarErrorCode][] = [
    ['unknown country XX', add(1, { country: 'XX' }), 'unknown_country'],
    ['lower-case country', add(1, { country: 'fr' }), 'unknown_country'],
    ['alpha-3 country', add(1, { country: 'FRA' }), 'unknown_country'],
    ['unknown country in isBusinessDay', () => calendar.isBusinessDay('2026-11-02', { country: 'ZZ' }), 'unknown_country'],
    ['unknown zone', add(1, { country: 'FR', timezone: 'Mars/Olympus_Mons' }), 'invalid_timezone'],
    ['misspelt zone', add(1, { country: 'FR', timezone: 'Europe/Pariss' }), 'invalid_timezone'],
    ['raw offset', add(1, { country: 'FR', timezone: '+01:00' }), 'invalid_timezone'],
    ['empty zone', add(1, { country: 'FR', timezone: '' }), 'invalid_timezone'],
    ['zone with spaces', () => calendar.endOfLocalDay('2026-11-02', ' Europe/Paris'), 'invalid_timezone'],
    ['negative days', add(-1, FR), 'invalid_days'],
    ['fractional days', add(1.5, FR), 'invalid_days'],
    ['NaN days', add(Number.NaN, FR), 'invalid_days'],
    ['infinite days', add(Infinity, FR), 'invalid_days'],
    ['too many days', add(MAX_BUSINESS_DAYS + 1, FR), 'invalid_days'],
    ['fractional calendar days', () => calendar.addCalendarDays('2026-11-02', 0.5), 'invalid_days'],
    ['invalid Date', () => calendar.addBusinessDays(new Date('nope'), 1, FR), 'invalid_date'],
    ['not a real date', () => calendar.isBusinessDay('2026-02-30', FR), 'invalid_date'],
    ['not YYYY-MM-DD', () => calendar.endOfLocalDay('02/11/2026', 'Europe/Paris'), 'invalid_date'],
    ['closure from after to', add(1, { country: 'FR', closures: [{ from: '2026-11-10', to: '2026-11-09' }] }), 'invalid_closure'],
    ['closure with a bad date', add(1, { country: 'FR', closures: [{ from: '2026-11-10', to: '2026-11-31' }] }), 'invalid_closure'],
  ];
  it.each(refusals)('%s', (_case, action, code) => {
    expect(codeOf(action)).toBe(code);
  });

  it('says what was wrong', () => {
    expect(add(-2, FR)).toThrow('days must be an integer from 0 to 3650, got -2');
    expect(add(1, { country: 'XX' })).toThrow(/"XX"/);
    expect(add(1, { country: 'FR', timezone: 'Europe/Pariss' })).toThrow(/"Europe\/Pariss"/);
  });
});
