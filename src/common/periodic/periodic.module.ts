import { Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PeriodicWork } from './periodic-work';

/** `@nestjs/schedule` (registered once, here) and the app's periodic work on it. */
@Global()
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [PeriodicWork],
  exports: [PeriodicWork],
})
export class PeriodicModule {}
