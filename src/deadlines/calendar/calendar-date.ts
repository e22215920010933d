/**
 * Plain calendar dates (`YYYY-MM-DD`, no time, no zone). The arithmetic runs on UTC midnights, where
 * every day is 24 hours long, so it never meets a DST change.
 */
import { CalendarError } from './calendar-error';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Milliseconds of the UTC instant at the given wall-clock fields (years 0-99 are not 1900-1999). */
export function utcMillis(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millisecond));
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** The `YYYY-MM-DD` of a UTC instant. */
export function formatUtcDate(millis: number): string {
  const date = new Date(millis);
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
}

export function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** True for a real date written `YYYY-MM-DD` (so `2026-02-30` is false). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return formatUtcDate(utcMillis(year, month, day)) === value;
}

/** Throws `CalendarError('invalid_date')` unless `value` is a real `YYYY-MM-DD` date. */
export function assertCalendarDate(value: unknown, what = 'date'): asserts value is string {
  if (!isCalendarDate(value)) {
    throw new CalendarError(
      'invalid_date',
      `${what} must be a real date written YYYY-MM-DD, got ${JSON.stringify(value)}`,
    );
  }
}

/** `[year, month, day]` of a date already checked with {@link isCalendarDate}. */
export function dateParts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** The date `days` calendar days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  const [year, month, day] = dateParts(date);
  return formatUtcDate(utcMillis(year, month, day) + days * DAY_MS);
}

/** 0 = Sunday ... 6 = Saturday, as `Date.getDay()`. */
export function dayOfWeek(date: string): number {
  const [year, month, day] = dateParts(date);
  return new Date(utcMillis(year, month, day)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const weekday = dayOfWeek(date);
  return weekday === 0 || weekday === 6;
}

/** Every date from `from` to `to`, both included (none when `to` is before `from`). */
export function* datesBetween(from: string, to: string): Generator<string> {
  for (let date = from; date <= to; date = addDays(date, 1)) yield date;
}
