import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const AUDIT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** Query of `GET /v1/audit/events`; every filter is optional and they combine with AND. */
export class AuditEventsQuery {
  @ApiPropertyOptional({ description: 'Entries at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'since must be an ISO 8601 date or date-time' })
  since?: string;

  @ApiPropertyOptional({ description: 'Entries strictly before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date or date-time' })
  until?: string;

  @ApiPropertyOptional({ description: "One case's entries only" })
  @IsOptional()
  @IsUUID('all', { message: 'caseId must be a UUID' })
  caseId?: string;

  @ApiPropertyOptional({
    description: 'Entry type, or several separated by commas (`SLA_BREACHED,TIMER_FIRED`)',
  })
  @IsOptional()
  @Matches(/^[A-Z][A-Z0-9_]{0,63}(,[A-Z][A-Z0-9_]{0,63}){0,19}$/, {
    message: 'type must be entry types in capitals, separated by commas',
  })
  type?: string;

  @ApiPropertyOptional({
    description: 'Actor kind (`merchant`, `supplier`, `ops`, `system`), or `kind:id` for one actor',
  })
  @IsOptional()
  @Matches(/^(merchant|supplier|ops|system)(:[A-Za-z0-9._-]{1,128})?$/, {
    message: 'actor must be merchant, supplier, ops or system, optionally followed by :<id>',
  })
  actor?: string;

  @ApiPropertyOptional({ enum: AUDIT_FORMATS, default: 'ndjson' })
  @IsOptional()
  @IsIn(AUDIT_FORMATS, { message: 'format must be ndjson or csv' })
  format?: AuditFormat;

  @ApiPropertyOptional({
    description:
      'Resume after a page: the `Redress-Next-Cursor` header of the previous answer. Entries that ' +
      'committed since, earlier keys included, come first.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(24_000)
  after?: string;

  @ApiPropertyOptional({ description: 'At most this many entries after the cursor (1..100000)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(100_000)
  limit?: number;
}
