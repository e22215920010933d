import { Module } from '@nestjs/common';
import { NotificationDispatcher } from './notification-dispatcher.service';

/** The outbox dispatcher; exported so the test clock can dispatch after moving time. */
@Module({
  providers: [NotificationDispatcher],
  exports: [NotificationDispatcher],
})
export class NotificationDispatcherModule {}
