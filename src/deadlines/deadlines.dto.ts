import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, ValidateBy, ValidationOptions } from 'class-validator';
import { IsCountryCode, isBareDate, parseInstant } from '../common/validation/validators';
import { MAX_BUSINESS_DAYS } from './calendar';

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
