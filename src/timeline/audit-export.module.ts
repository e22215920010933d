import { Module } from '@nestjs/common';
import { AuditExportController } from './audit-export.controller';
import { AuditExportService } from './audit-export.service';

/** The audit export of every timeline (api.md, "Operations"). */
@Module({
  controllers: [AuditExportController],
  providers: [AuditExportService],
})
export class AuditExportModule {}
