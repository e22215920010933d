import { Module } from '@nestjs/common';
import { DueDatesModule } from '../deadlines/due-dates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { TimelineModule } from '../timeline/timeline.module';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { CasesController } from './cases.controller';
import { WorkflowCatalog } from './workflow-catalog';
import { WorkflowsController } from './workflows.controller';

/** Cases and the workflows they follow; the machines are checked when the catalog is built. */
@Module({
  imports: [TimelineModule, NotificationsModule, DueDatesModule],
  controllers: [CasesController, WorkflowsController],
  providers: [CaseService, CaseRepository, WorkflowCatalog],
  exports: [CaseService],
})
export class CasesModule {}
