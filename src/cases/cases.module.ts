import { Module } from '@nestjs/common';
import { DueDatesModule } from '../deadlines/due-dates.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrdersModule } from '../orders/orders.module';
import { TimelineModule } from '../timeline/timeline.module';
import { CaseRepository } from './case.repository';
import { CaseService } from './case.service';
import { CaseLists } from './case-lists';
import { CaseDeadlinesController } from './case-deadlines.controller';
import { CaseMessagesController } from './case-messages.controller';
import { CasesController } from './cases.controller';
import { DeadlineWarnings } from './deadline-warnings';
import { WorkflowCatalog } from './workflow-catalog';
import { WorkflowsController } from './workflows.controller';

/** Cases and the workflows they follow; the machines are checked when the catalog is built. */
@Module({
  imports: [TimelineModule, NotificationsModule, DueDatesModule, OrdersModule],
  controllers: [
    CasesController,
    CaseMessagesController,
    CaseDeadlinesController,
    WorkflowsController,
  ],
  providers: [CaseService, CaseLists, CaseRepository, WorkflowCatalog, DeadlineWarnings],
  exports: [CaseService, DeadlineWarnings],
})
export class CasesModule {}
