import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, ValidateBy, ValidationOptions } from 'class-validator';
import { IsCountryCode } from '../common/validation/validators';
import { MAX_BUSINESS_DAYS } from './calendar';

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function realDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * An ISO 8601 date-time with its offset (`Z` or `+02:00`), as the API's times are: the instant,
 * or null when the text is not one (a missing offset, a 2026-02-30 or a 25:00 included).
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

/** A real calendar date `YYYY-MM-DD`, or false. */
export function isBareDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = DATE.exec(value);
  return match !== null && realDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

const IsInstant = (message: string, o?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isInstant',
      validator: { validate: (v) => parseInstant(v) !== null, defaultMessage: () => message },
    },
    o,
  );

const IsInstantOrDate = (message: string, o?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isInstantOrDate',
      validator: {
        validate: (v) => isBareDate(v) || parseInstant(v) !== null,
        defaultMessage: () => message,
      },
    },
    o,
  );

const IsDayCount = (o?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isDayCount',
      validator: {
        validate: (v) =>
          typeof v === 'string' && /^\d{1,10}$/.test(v) && Number(v) <= MAX_BUSINESS_DAYS,
        defaultMessage: () => `must be a whole number of days from 0 to ${MAX_BUSINESS_DAYS}`,
      },
    },
    o,
  );

export class SetTestClockDto {
  @ApiProperty({
    example: '2026-11-03T10:00:00Z',
    description: 'The new time: ISO 8601 with offset; it may not be before the current one',
  })
  @IsInstant('must be an ISO 8601 date-time with offset, e.g. 2026-11-03T10:00:00Z')
  now: string;
}

export class AddBusinessDaysQuery {
  @ApiPropertyOptional({
    example: 'FR',
    description: 'ISO 3166-1 alpha-2 whose public holidays count; required without supplierId',
  })
  @IsOptional()
  @IsCountryCode()
  country?: string;

  @ApiProperty({
    example: '2026-11-02',
    description:
      'An ISO 8601 instant with offset, or a date YYYY-MM-DD. Only the local date of `from` in ' +
      "the calendar's timezone counts (the rule is day-based): a bare date is that local date " +
      'itself, whatever the time of day. Counting starts on the day after it.',
  })
  @IsString()
  @IsInstantOrDate('must be an ISO 8601 date-time with offset or a date YYYY-MM-DD')
  from: string;

  @ApiProperty({ example: '15', description: `Business days, 0 to ${MAX_BUSINESS_DAYS}` })
  @IsDayCount()
  days: string;

  @ApiPropertyOptional({
    description:
      "Count in this supplier's calendar: its country, timezone and closures. `country`, if " +
      "given too, must be the supplier's.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  supplierId?: string;
}
