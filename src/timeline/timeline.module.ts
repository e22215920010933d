import { Module } from '@nestjs/common';
import { AuditExportController } from './audit-export.controller';
import { AuditExportService } from './audit-export.service';
import { CheckpointService } from './checkpoints/checkpoint.service';
import { CheckpointsController } from './checkpoints/checkpoints.controller';
import { TimelineService } from './timeline.service';

/**
 * Timelines: reading a case's hash-chained entries with their check, and the audit export of
 * every timeline (api.md, "Operations"), the signed checkpoints of the case heads. Entries are written by the case service's step statement.
 */
@Module({
  controllers: [AuditExportController, CheckpointsController],
  providers: [TimelineService, AuditExportService, CheckpointService],
  exports: [TimelineService, AuditExportService],
})
export class TimelineModule {}
