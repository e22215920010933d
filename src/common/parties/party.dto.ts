import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCountryCode, IsHttpUrl, IsIanaTimeZone, IsLanguageTag } from '../validation/validators';

/**
 * `PATCH /v1/merchants/:id` and `PATCH /v1/suppliers/:id`: the fields sent change, the others stay.
 * `timezone`, `language` and `webhookUrl` may be `null` to remove them; `name` and `country` may
 * not. `country` only changes while the party has no case (its deadlines were counted with it).
 */
export class UpdatePartyDto {
  @ApiPropertyOptional({ example: 'Acme Store' })
  @ValidateIf((o: UpdatePartyDto) => o.name !== undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: 'FR',
    description: 'ISO 3166-1 alpha-2; only while the party has no case (else 409 country_locked)',
  })
  @ValidateIf((o: UpdatePartyDto) => o.country !== undefined)
  @IsCountryCode()
  country?: string;

  @ApiPropertyOptional({ type: String, example: 'Europe/Paris', nullable: true })
  @IsOptional()
  @IsIanaTimeZone()
  timezone?: string | null;

  @ApiPropertyOptional({
    type: String,
    example: 'fr',
    nullable: true,
    description: 'BCP 47 language tag',
  })
  @IsOptional()
  @IsLanguageTag()
  language?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uri',
    example: 'https://party.example/redress',
    nullable: true,
    description: 'https, and not a private address (the outbound URL policy)',
  })
  @IsOptional()
  @IsHttpUrl()
  webhookUrl?: string | null;
}

/** `GET /v1/merchants`, `GET /v1/suppliers`: newest first, `nextCursor` for the next page. */
export class ListPartiesQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}
