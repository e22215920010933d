import { Inject, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { NotificationsModule } from '../notifications/notifications.module';
import { SuppliersModule } from '../suppliers/suppliers.module';
import { BusinessDaysService } from './business-days.service';
import { CalendarController } from './calendar.controller';
import { DueDatesModule } from './due-dates.module';
import { TestClockController } from './test-clock.controller';
import { TimerScheduler } from './timer-scheduler.service';

/** Timers and when they fire: the scheduler, the test clock and the public calendar route. */
@Module({
  imports: [CasesModule, DueDatesModule, SuppliersModule, NotificationsModule],
  controllers: [CalendarController, TestClockController],
  providers: [TimerScheduler, BusinessDaysService],
  exports: [TimerScheduler],
})
export class DeadlinesModule implements OnApplicationBootstrap {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    if (this.config.testClock) {
      new Logger('TestClock').warn(
        'REDRESS_TEST_CLOCK is on: POST /v1/test-clock moves the server clock; never in production',
      );
    }
  }
}
