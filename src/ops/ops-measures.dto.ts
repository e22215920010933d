import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { IsIsoDate } from '../common/validation/validators';

export class ScorecardQuery {
  @ApiPropertyOptional({ example: '2026-10-01', description: 'First day (UTC), inclusive' })
  @IsOptional()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ example: '2026-10-28', description: 'Last day (UTC), inclusive' })
  @IsOptional()
  @IsIsoDate()
  to?: string;
}

export class ServiceRatingQuery {
  @ApiPropertyOptional({
    example: '2026-11-04T12:00:00Z',
    description: 'The instant to read the rating at (default: now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'at must be an ISO 8601 date or date-time' })
  at?: string;
}
