import { dayOfWeek, isWeekend } from './calendar-date';
import { CN_STATE_COUNCIL_NOTICES } from './data/cn-state-council-notices';
import { notices, OfficialDays } from './official-calendar';

/**
 * 全国年节及纪念日放假办法, article 2: 11 days for all citizens until 2024, 13 from 2025. A notice
 * moves days around but never adds or removes any, so in each year the weekdays off minus the
 * weekend days worked must give exactly that number: a cheap check against a mistyped date.
 */
const STATUTORY_DAYS: Record<number, number> = { 2024: 11, 2025: 13, 2026: 13 };

describe('CN State Council notices (data file)', () => {
  it.each(CN_STATE_COUNCIL_NOTICES.map((notice) => [notice.year, notice] as const))(
    '%i: weekdays off - make-up days = the statutory days',
    (year, notice) => {
      const days = new OfficialDays(notices('CN', [notice]));
      const source = notices('CN', [notice]);
      const weekdaysOff = [...new Set(source.daysOff())].filter(
        (date) => !isWeekend(date) && days.isDayOff(date),
      );
      const workdays = [...source.workdays()];
      expect(weekdaysOff.length - workdays.length).toBe(STATUTORY_DAYS[year]);
      for (const date of [...source.daysOff(), ...workdays]) {
        expect(date.startsWith(`${year}-`)).toBe(true);
      }
      for (const date of workdays) expect([0, 6]).toContain(dayOfWeek(date));
    },
  );

  it('covers 2024, 2025 and 2026', () => {
    expect(CN_STATE_COUNCIL_NOTICES.map((notice) => notice.year)).toEqual([2024, 2025, 2026]);
  });
});

describe('OfficialDays', () => {
  const notice = (workdays: string[], off: [string, string] = ['2026-10-01', '2026-10-07']) =>
    notices('CN', [
      {
        year: 2026,
        title: 'test',
        published: '2025-11-04',
        url: 'https://example.invalid',
        arrangements: [{ name: 'test', off, workdays }],
      },
    ]);

  it('refuses a make-up working day that is not a weekend day', () => {
    expect(() => new OfficialDays(notice(['2026-10-09']))).toThrow(/must be a weekend day/);
  });

  it('refuses a make-up working day that is also a day off', () => {
    expect(() => new OfficialDays(notice(['2026-10-03']))).toThrow(/not a day off/);
  });

  it('refuses a date that does not exist', () => {
    expect(() => new OfficialDays(notice([], ['2026-02-30', '2026-03-01']))).toThrow(/real date/);
  });

  it('answers for the years it covers only', () => {
    const days = new OfficialDays(notice(['2026-10-10']));
    expect(days.covers(2026)).toBe(true);
    expect(days.covers(2027)).toBe(false);
    expect(days.isDayOff('2026-10-05')).toBe(true);
    expect(days.isMakeUpWorkday('2026-10-10')).toBe(true);
  });
});
