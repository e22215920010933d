import { hasPublicHolidayData } from '../../deadlines/calendar/public-holidays';
import { ValidationArguments, ValidationOptions, ValidateBy } from 'class-validator';

/**
 * ISO 3166-1 alpha-2, upper case, of a country whose public holidays Redress knows: deadlines are
 * counted in business days there, so a party in a country without that data (`QA`, or a code that
 * is no country: `XX`, `EU`, `UK`) would get deadlines nobody could compute.
 */
export function isCountryCode(value: unknown): boolean {
  return hasPublicHolidayData(value);
}

/** An IANA time zone name the runtime knows (`Europe/Paris`, `UTC`). */
export function isIanaTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** A well-formed BCP 47 language tag (`fr`, `pt-BR`, `zh-Hant-TW`). */
export function isLanguageTag(value: unknown): boolean {
  if (typeof value !== 'string' || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value)) return false;
  if (value.length > 35) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** An absolute http(s) URL; whether Redress may call it is webhook-url-policy's question. */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * The years a date or time sent by a client may fall in. Deadlines are counted from them (up to
 * 15 business days, or a supplier's closures, later), and the calendar counts up to 9999-12-30;
 * years past 2999 would let a request produce a deadline nobody can compute.
 */
export const SUPPORTED_YEARS = { first: 1970, last: 2999 } as const;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `y-m-d` exists (no 2026-02-30) and `y` is one of {@link SUPPORTED_YEARS}. */
function realDate(y: number, m: number, d: number): boolean {
  if (y < SUPPORTED_YEARS.first || y > SUPPORTED_YEARS.last) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * An ISO 8601 date-time with its offset (`Z` or `+02:00`), as the API's times are: the instant,
 * or null when the text is not one (a missing offset, a 2026-02-30, a 25:00 or a year outside
 * {@link SUPPORTED_YEARS} included).
 */
export function parseInstant(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = INSTANT.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, oh, om] = match;
  if (!realDate(Number(y), Number(mo), Number(d))) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s ?? 0) > 59) return null;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return null;
  const instant = new Date(value);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** A real calendar date `YYYY-MM-DD` of {@link SUPPORTED_YEARS}. */
export function isBareDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  return match !== null && realDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/**
 * An order's time as the API stores and answers it: UTC, `Z`, milliseconds
 * (`2026-11-10T10:00:00.000Z`), from an instant with its offset or a bare date (its 00:00 UTC);
 * null for anything else, a date-time without an offset included (which zone would it be in?).
 */
export function toUtcTime(value: unknown): string | null {
  if (isBareDate(value)) return `${value}T00:00:00.000Z`;
  return parseInstant(value)?.toISOString() ?? null;
}

function rule(
  name: string,
  test: (value: unknown) => boolean,
  message: string,
  options?: ValidationOptions,
): PropertyDecorator {
  return ValidateBy(
    { name, validator: { validate: (value) => test(value), defaultMessage: () => message } },
    options,
  );
}

export const IsCountryCode = (o?: ValidationOptions) =>
  rule(
    'isCountryCode',
    isCountryCode,
    'must be an ISO 3166-1 alpha-2 code in upper case, of a country whose public holidays Redress ' +
      'knows (GET /v1/calendar/countries lists them)',
    o,
  );
export const IsIanaTimeZone = (o?: ValidationOptions) =>
  rule('isIanaTimeZone', isIanaTimeZone, 'must be an IANA time zone such as Europe/Paris', o);
export const IsLanguageTag = (o?: ValidationOptions) =>
  rule('isLanguageTag', isLanguageTag, 'must be a BCP 47 language tag such as fr or pt-BR', o);
export const IsHttpUrl = (o?: ValidationOptions) =>
  rule('isHttpUrl', isHttpUrl, 'must be an absolute https URL', o);
export const IsIsoDate = (o?: ValidationOptions) =>
  rule(
    'isIsoDate',
    isBareDate,
    `must be a date YYYY-MM-DD that exists, from ${SUPPORTED_YEARS.first} to ${SUPPORTED_YEARS.last}`,
    o,
  );

/**
 * This date property is on or after the date in `property` (both `YYYY-MM-DD`), and, when
 * `maxDays` is given, at most that many days after it.
 */
export function IsOnOrAfter(
  property: string,
  maxDays?: number,
  o?: ValidationOptions,
): PropertyDecorator {
  const DAY_MS = 86_400_000;
  return ValidateBy(
    {
      name: 'isOnOrAfter',
      constraints: [property, maxDays],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          // Compared only when both are dates; a bad date is reported by its own rule.
          if (!isBareDate(value) || !isBareDate(other)) return true;
          const days = (Date.parse(value) - Date.parse(other)) / DAY_MS;
          return days >= 0 && (maxDays === undefined || days <= maxDays);
        },
        defaultMessage: () =>
          maxDays === undefined
            ? `must be on or after ${property}`
            : `must be on or after ${property}, and at most ${maxDays} days after it`,
      },
    },
    o,
  );
}

/**
 * The body or query of a route that takes none (`rotate-secret`, `api-keys`, `GET /v1/workflows`):
 * empty or `{}`; any field is refused as unknown, like on every other route, not silently ignored.
 */
export class NoFields {}
