/**
 * Wall-clock arithmetic in IANA time zones with the runtime's own data (`Intl.DateTimeFormat`), so
 * no time-zone library is needed.
 *
 * The one hard part is going from a local wall time to an instant: around a DST change a wall time
 * can be missing (spring forward) or happen twice (fall back), and some zones change at midnight
 * (America/Santiago, Asia/Beirut, ...), so "00:00" or "23:59:59.999" are not always a single
 * instant. We therefore never build "23:59:59.999 local" directly: the end of a local day is the
 * instant just before the first instant of the next local day, and that first instant is found
 * from the zone's offsets just before and just after it.
 */
import { addDays, dateParts, formatUtcDate, pad, utcMillis } from './calendar-date';
import { CalendarError } from './calendar-error';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** A raw UTC offset ("+01:00", "-0500") is not a zone: the spec asks for IANA names. */
const OFFSET_PATTERN = /^[+\-\u2212]/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone name the runtime knows (`Europe/Paris`, `UTC`). */
export function isValidTimeZone(timeZone: unknown): timeZone is string {
  if (typeof timeZone !== 'string' || timeZone.trim() !== timeZone || timeZone === '') return false;
  if (OFFSET_PATTERN.test(timeZone)) return false;
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Throws `CalendarError('invalid_timezone')` unless `timeZone` is a known IANA zone name. */
export function assertTimeZone(timeZone: unknown): asserts timeZone is string {
  if (!isValidTimeZone(timeZone)) {
    throw new CalendarError(
      'invalid_timezone',
      `timezone must be an IANA time zone name such as "Europe/Paris", got ${JSON.stringify(timeZone)}`,
    );
  }
}

/**
 * The wall clock of `instant` in `timeZone`, as the UTC milliseconds of the same fields (seconds
 * precision; the caller adds the milliseconds back).
 */
function wallClockMillis(instant: number, timeZone: string): number {
  const fields: Record<string, string> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instant))) {
    fields[part.type] = part.value;
  }
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') year = 1 - year;
  // Some ICU versions still print midnight as "24" even with h23.
  const hour = Number(fields.hour) % 24;
  return utcMillis(
    year,
    Number(fields.month),
    Number(fields.day),
    hour,
    Number(fields.minute),
    Number(fields.second),
  );
}

/** The UTC offset of `timeZone` at `instant`, in milliseconds (Paris in winter: +3 600 000). */
export function offsetAt(instant: number, timeZone: string): number {
  const wholeSeconds = Math.floor(instant / 1000) * 1000;
  return wallClockMillis(wholeSeconds, timeZone) - wholeSeconds;
}

/** The local date (`YYYY-MM-DD`) of `instant` in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  return formatUtcDate(instant.getTime() + offsetAt(instant.getTime(), timeZone));
}

/** The local wall time of `instant` in `timeZone`, `YYYY-MM-DDTHH:mm:ss.sss`. */
export function localDateTimeOf(instant: Date, timeZone: string): string {
  const wall = new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone));
  return (
    `${formatUtcDate(wall.getTime())}T${pad(wall.getUTCHours(), 2)}:${pad(wall.getUTCMinutes(), 2)}` +
    `:${pad(wall.getUTCSeconds(), 2)}.${pad(wall.getUTCMilliseconds(), 3)}`
  );
}

/**
 * The first instant of local `date` in `timeZone`: local midnight, or, when midnight does not exist
 * that day (a zone that springs forward at 00:00), the instant of the change. When midnight happens
 * twice, the earlier one.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [year, month, day] = dateParts(date);
  const wall = utcMillis(year, month, day);
  // No zone changes its offset twice within two days, so these two bracket any change near `wall`.
  const offsetBefore = offsetAt(wall - DAY_MS, timeZone);
  const offsetAfter = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
    (instant) => wall - offsetAt(instant, timeZone) === instant,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Midnight falls in a gap: the day starts when the clocks jump, i.e. at midnight read with the
  // offset in force before the jump.
  return new Date(wall - offsetBefore);
}

/** The last millisecond of local `date` in `timeZone` ("23:59:59.999", correct across DST). */
export function endOfLocalDay(date: string, timeZone: string): Date {
  return new Date(startOfLocalDay(addDays(date, 1), timeZone).getTime() - 1);
}
