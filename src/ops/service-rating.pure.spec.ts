import {
  Answer,
  bandOf,
  computeWeek,
  DAY_MS,
  lastAnswers,
  lastMonday,
  MIN_ANSWERED_CASES,
  ratingAt,
  WEEK_MS,
  windowAt,
} from './service-rating.pure';

const iso = (d: Date) => d.toISOString();
// 2026-11-02 is a Monday.
const MONDAY = new Date('2026-11-02T00:00:00.000Z');

/** `n` cases answered once, `resolved` of them true, at `at`. */
function answers(n: number, resolved: number, at: Date, prefix = 'c'): Answer[] {
  return Array.from({ length: n }, (_, i) => ({
    caseId: `${prefix}${i}`,
    resolved: i < resolved,
    at,
  }));
}

describe('service rating: window', () => {
  it.each([
    ['Monday 00:00 exactly', '2026-11-02T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ['Monday just before midnight', '2026-11-02T23:59:59.999Z', '2026-11-02T00:00:00.000Z'],
    ['Sunday 23:59:59.999', '2026-11-08T23:59:59.999Z', '2026-11-02T00:00:00.000Z'],
    ['the next Monday', '2026-11-09T00:00:00.000Z', '2026-11-09T00:00:00.000Z'],
    ['the Sunday before', '2026-11-01T12:00:00.000Z', '2026-10-26T00:00:00.000Z'],
    [
      'a Wednesday, in UTC whatever the offset',
      '2026-11-04T01:00:00+03:00',
      '2026-11-02T00:00:00.000Z',
    ],
  ])('%s -> the last Monday 00:00 UTC', (_name, at, monday) => {
    expect(iso(lastMonday(new Date(at)))).toBe(monday);
  });

  it('covers the 28 days before the Monday, end exclusive', () => {
    const w = windowAt(MONDAY);
    expect(iso(w.windowStart)).toBe('2026-10-05T00:00:00.000Z');
    expect(iso(w.windowEnd)).toBe('2026-11-02T00:00:00.000Z');
    const edge = [
      { caseId: 'start', resolved: true, at: w.windowStart },
      { caseId: 'before', resolved: true, at: new Date(w.windowStart.getTime() - 1) },
      { caseId: 'last-ms', resolved: true, at: new Date(w.windowEnd.getTime() - 1) },
      { caseId: 'end', resolved: true, at: w.windowEnd },
    ];
    expect([...lastAnswers(edge, w.windowStart, w.windowEnd).keys()].sort()).toEqual([
      'last-ms',
      'start',
    ]);
  });
});

describe('service rating: only the last answer of a case counts', () => {
  const w = windowAt(MONDAY);
  const day = (n: number) => new Date(w.windowStart.getTime() + n * DAY_MS);

  it('takes the latest answer in the window, whatever the input order', () => {
    const given: Answer[] = [
      { caseId: 'a', resolved: true, at: day(3) },
      { caseId: 'a', resolved: false, at: day(1) },
      { caseId: 'b', resolved: false, at: day(2) },
      { caseId: 'b', resolved: true, at: day(5) },
    ];
    const last = lastAnswers(given, w.windowStart, w.windowEnd);
    expect(last.get('a')?.resolved).toBe(true);
    expect(last.get('b')?.resolved).toBe(true);
  });

  it('ignores an answer given after the computation (not known then)', () => {
    const given: Answer[] = [
      { caseId: 'a', resolved: true, at: day(3) },
      { caseId: 'a', resolved: false, at: new Date(MONDAY.getTime() + DAY_MS) },
    ];
    expect(lastAnswers(given, w.windowStart, w.windowEnd).get('a')?.resolved).toBe(true);
  });

  it('breaks a tie at the same instant by insertion order', () => {
    const given: Answer[] = [
      { caseId: 'a', resolved: true, at: day(3), order: 2 },
      { caseId: 'a', resolved: false, at: day(3), order: 1 },
    ];
    expect(lastAnswers(given, w.windowStart, w.windowEnd).get('a')?.resolved).toBe(true);
  });

  it('counts a case once however often it was answered', () => {
    const many = [...answers(40, 40, day(1)), ...answers(40, 0, day(2))];
    const week = computeWeek(many, MONDAY);
    expect(week.answeredCases).toBe(40);
    expect(week.rating).toBe(0);
  });
});

describe('service rating: the 40 minimum and the fallback', () => {
  const inWeek = (monday: Date) => new Date(monday.getTime() - 2 * DAY_MS);

  it(`rates from ${MIN_ANSWERED_CASES} answered cases on`, () => {
    expect(computeWeek(answers(40, 30, inWeek(MONDAY)), MONDAY)).toMatchObject({
      answeredCases: 40,
      rating: 7.5,
      band: 'yellow',
    });
    expect(computeWeek(answers(39, 39, inWeek(MONDAY)), MONDAY)).toMatchObject({
      answeredCases: 39,
      rating: null,
      band: null,
    });
  });

  it('falls back to the latest earlier week that had enough', () => {
    // 45 answers about 7 weeks ago: within the windows of Mondays -7 .. -4 weeks.
    const old = new Date(MONDAY.getTime() - 7 * WEEK_MS + DAY_MS);
    const given = [...answers(45, 45, old, 'old'), ...answers(10, 0, inWeek(MONDAY), 'new')];
    const shown = ratingAt(given, new Date(MONDAY.getTime() + 3 * DAY_MS));
    expect(shown.rating).toBe(10);
    expect(shown.band).toBe('green');
    expect(shown.answeredCases).toBe(45);
    // The latest Monday whose 28-day window still held them: 3 weeks after they were given.
    expect(iso(shown.computedAt)).toBe(iso(new Date(MONDAY.getTime() - 3 * WEEK_MS)));
    expect(iso(shown.windowEnd)).toBe(iso(shown.computedAt));
  });

  it('answers no rating when no week had enough, with the current window', () => {
    const shown = ratingAt(answers(12, 12, inWeek(MONDAY)), MONDAY);
    expect(shown).toMatchObject({ rating: null, band: null, answeredCases: 12 });
    expect(iso(shown.computedAt)).toBe(iso(MONDAY));
  });

  it('looks back a bounded number of weeks', () => {
    const ancient = new Date(MONDAY.getTime() - 60 * WEEK_MS);
    expect(ratingAt(answers(50, 50, ancient), MONDAY).rating).toBeNull();
    expect(ratingAt(answers(50, 50, ancient), MONDAY, 70).rating).toBe(10);
  });
});

describe('service rating: bands', () => {
  it.each([
    [0, 'red'],
    [5.99, 'red'],
    [6, 'yellow'],
    [7.99, 'yellow'],
    [8, 'green'],
    [10, 'green'],
  ])('%d is %s', (rating, band) => {
    expect(bandOf(rating)).toBe(band);
  });

  it('7.975 (319 of 400) is yellow, not rounded up to green', () => {
    const at = new Date(MONDAY.getTime() - DAY_MS);
    expect(computeWeek(answers(400, 319, at), MONDAY)).toMatchObject({
      rating: 7.975,
      band: 'yellow',
    });
  });
});
