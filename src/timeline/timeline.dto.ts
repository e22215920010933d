import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { TIMELINE_PAGE_DEFAULT, TIMELINE_PAGE_MAX } from './timeline.service';

/** Query of `GET /v1/cases/:id/timeline` (hardening.md, "Bounded reads"). */
export class TimelineQuery {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: TIMELINE_PAGE_MAX,
    default: TIMELINE_PAGE_DEFAULT,
    description: 'Entries per page at most (a page also ends after about 1 MiB of payload)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(TIMELINE_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: "Entries after this seq (the last page's `nextAfter`)" })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'after must be a seq (an integer)' })
  @Min(0)
  @Max(2_147_483_647)
  after?: number;

  @ApiPropertyOptional({
    enum: ['full'],
    description: 'Recheck the whole chain from its first entry (ops keys only)',
  })
  @IsOptional()
  @IsIn(['full'], { message: 'verify must be full' })
  verify?: 'full';
}
