/**
 * The merchant customer-service rating (workflows.md, "Measures"), as pure functions.
 *
 * The rating at a time `at` is the one computed at the last Monday 00:00 UTC at or before `at`,
 * over the answers given in the 28 days before that Monday ([Monday - 28 d, Monday)). Only the
 * last answer of each case counts (the last one given inside the window: a later answer was not
 * known when that week's rating was computed). Rating = 10 x (cases whose last answer is
 * `resolved: true`) / (cases with an answer). It is shown only from {@link MIN_ANSWERED_CASES}
 * answered cases on; below that, the latest earlier weekly computation that had enough stands,
 * looking back at most {@link MAX_WEEKS_BACK} weeks; else there is no rating.
 */

export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
export const WINDOW_DAYS = 28;
export const MIN_ANSWERED_CASES = 40;
export const MAX_WEEKS_BACK = 52;

export type Band = 'red' | 'yellow' | 'green';

export interface Answer {
  caseId: string;
  resolved: boolean;
  at: Date;
  /** Tie-break for two answers at the same instant (later insert wins). */
  order?: number;
}

export interface RatingWindow {
  /** The computation's Monday 00:00 UTC; also the window's (exclusive) end. */
  computedAt: Date;
  windowStart: Date;
  windowEnd: Date;
}

export interface WeeklyRating extends RatingWindow {
  answeredCases: number;
  /** 0 to 10; null below the minimum number of answered cases. */
  rating: number | null;
  band: Band | null;
}

/** The last Monday 00:00 UTC at or before `at`. */
export function lastMonday(at: Date): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  return new Date(midnight - sinceMonday * DAY_MS);
}

/** The window of the computation at `monday`: the 28 days before it. */
export function windowAt(monday: Date): RatingWindow {
  return {
    computedAt: monday,
    windowStart: new Date(monday.getTime() - WINDOW_DAYS * DAY_MS),
    windowEnd: monday,
  };
}

/** Each case's last answer given in [start, end). */
export function lastAnswers(answers: Answer[], start: Date, end: Date): Map<string, Answer> {
  const last = new Map<string, Answer>();
  for (const answer of answers) {
    const t = answer.at.getTime();
    if (t < start.getTime() || t >= end.getTime()) continue;
    const seen = last.get(answer.caseId);
    const later =
      !seen ||
      t > seen.at.getTime() ||
      (t === seen.at.getTime() && (answer.order ?? 0) >= (seen.order ?? 0));
    if (later) last.set(answer.caseId, answer);
  }
  return last;
}

/** red below 6, yellow from 6 to below 8, green from 8. */
export function bandOf(rating: number): Band {
  if (rating < 6) return 'red';
  if (rating < 8) return 'yellow';
  return 'green';
}

/** One weekly computation, whether or not it had enough answers. */
export function computeWeek(answers: Answer[], monday: Date): WeeklyRating {
  const window = windowAt(monday);
  const last = lastAnswers(answers, window.windowStart, window.windowEnd);
  const answeredCases = last.size;
  if (answeredCases < MIN_ANSWERED_CASES) {
    return { ...window, answeredCases, rating: null, band: null };
  }
  let resolved = 0;
  for (const answer of last.values()) if (answer.resolved) resolved += 1;
  const rating = (10 * resolved) / answeredCases;
  return { ...window, answeredCases, rating, band: bandOf(rating) };
}

/**
 * The rating shown at `at`: this week's computation if it had enough answers, else the latest
 * earlier one that had, else this week's with null rating and band.
 */
export function ratingAt(answers: Answer[], at: Date, maxWeeksBack = MAX_WEEKS_BACK): WeeklyRating {
  const monday = lastMonday(at);
  const current = computeWeek(answers, monday);
  if (current.rating !== null) return current;
  for (let week = 1; week <= maxWeeksBack; week++) {
    const earlier = computeWeek(answers, new Date(monday.getTime() - week * WEEK_MS));
    if (earlier.rating !== null) return earlier;
  }
  return current;
}

/** The earliest answer time {@link ratingAt} may read, for the query that loads answers. */
export function earliestAnswerNeeded(at: Date, maxWeeksBack = MAX_WEEKS_BACK): Date {
  return new Date(lastMonday(at).getTime() - maxWeeksBack * WEEK_MS - WINDOW_DAYS * DAY_MS);
}
