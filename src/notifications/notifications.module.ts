import { Module } from '@nestjs/common';
import { CaseLinksModule } from '../collaboration/case-links.module';
import { PartiesModule } from '../common/parties/parties.module';
import { NotificationDispatcher } from './dispatcher/notification-dispatcher.service';
import { NotificationsService } from './notifications.service';

/**
 * Outbound notifications: the outbox as a case shows it, and the dispatcher that delivers it
 * (exported so the test clock can dispatch after moving time). Rows are written by the case
 * service's step statement; their bodies come from content/.
 */
@Module({
  imports: [PartiesModule, CaseLinksModule],
  providers: [NotificationsService, NotificationDispatcher],
  exports: [NotificationsService, NotificationDispatcher],
})
export class NotificationsModule {}
