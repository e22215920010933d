import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  IsCountryCode,
  IsHttpUrl,
  IsIanaTimeZone,
  IsIsoDate,
  IsLanguageTag,
  IsOnOrAfter,
} from '../common/validation/validators';

export class CreateSupplierDto {
  @ApiProperty({ example: 'Shenzhen Widgets Ltd' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: 'CN',
    description:
      'ISO 3166-1 alpha-2 of a country whose public holidays Redress knows (GET /v1/calendar/countries)',
  })
  @IsCountryCode()
  country: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'zh', description: 'BCP 47 language tag' })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ example: 'https://supplier.example/redress' })
  @IsOptional()
  @IsHttpUrl()
  webhookUrl?: string;
}

/**
 * A closure is a holiday or a vacation, not a shutdown: at most a year (366 days, `to` 365 days
 * after `from`). Deadlines are counted past closures day by day, so an open-ended one would leave
 * no business day to count.
 */
export const MAX_CLOSURE_DAYS = 365;

export class CreateClosureDto {
  @ApiProperty({ example: '2026-02-16', description: 'first closed day (inclusive)' })
  @IsIsoDate()
  from: string;

  @ApiProperty({
    example: '2026-02-22',
    description: `last closed day (inclusive); a closure lasts at most ${MAX_CLOSURE_DAYS + 1} days`,
  })
  @IsIsoDate()
  @IsOnOrAfter('from', MAX_CLOSURE_DAYS)
  to: string;

  @ApiProperty({ example: 'Chinese New Year' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}
