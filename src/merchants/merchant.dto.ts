import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  IsCountryCode,
  IsHttpUrl,
  IsIanaTimeZone,
  IsLanguageTag,
} from '../common/validation/validators';

export class CreateMerchantDto {
  @ApiProperty({ example: 'Acme Store' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiProperty({
    example: 'FR',
    description:
      'ISO 3166-1 alpha-2 of a country whose public holidays Redress knows (GET /v1/calendar/countries)',
  })
  @IsCountryCode()
  country: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string;

  @ApiPropertyOptional({ example: 'fr', description: 'BCP 47 language tag' })
  @IsOptional()
  @IsLanguageTag()
  language?: string;

  @ApiPropertyOptional({ example: 'https://merchant.example/redress' })
  @IsOptional()
  @IsHttpUrl()
  webhookUrl?: string;
}
