import { Module } from '@nestjs/common';
import { DueDateService } from '../deadlines/due-date.service';
import { NotificationsService } from '../notifications/notifications.service';
import { TimelineService } from '../timeline/timeline.service';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { CasesController } from './cases.controller';
import { WorkflowsController } from './workflows.controller';

@Module({
  controllers: [CasesController, WorkflowsController],
  providers: [CaseService, CaseRepository, TimelineService, DueDateService, NotificationsService],
  exports: [CaseService, TimelineService, DueDateService, NotificationsService],
})
export class CasesModule {}
