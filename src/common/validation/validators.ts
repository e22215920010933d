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

/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
export function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
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
  rule('isIsoDate', isIsoDate, 'must be a date YYYY-MM-DD', o);

/** This date property is on or after the date in `property` (both `YYYY-MM-DD`). */
export function IsOnOrAfter(property: string, o?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOnOrAfter',
      constraints: [property],
      validator: {
        validate: (value: unknown, args?: ValidationArguments) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          // Compared only when both are dates; a bad date is reported by its own rule.
          if (!isIsoDate(value) || !isIsoDate(other)) return true;
          return (value as string) >= (other as string);
        },
        defaultMessage: () => `must be on or after ${property}`,
      },
    },
    o,
  );
}
