import { Module } from '@nestjs/common';
import { AuditExportController } from './audit-export.controller';
import { AuditExportService } from './audit-export.service';
import { TimelineService } from './timeline.service';

/**
 * Timelines: reading a case's hash-chained entries with their check, and the audit export of
 * every timeline (api.md, "Operations"). Entries are written by the case service's step statement.
 */
@Module({
  controllers: [AuditExportController],
  providers: [TimelineService, AuditExportService],
  exports: [TimelineService],
})
export class TimelineModule {}
