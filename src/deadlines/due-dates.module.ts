import { Module } from '@nestjs/common';
import { DueDateService } from './due-date.service';
import { DueWork } from './due-work';

/**
 * Due dates from the business calendars (holidays, weekends, supplier closures): what the case
 * service needs of this folder. Apart from DeadlinesModule (the scheduler and the routes), which
 * needs the case service: one module each way, no cycle. {@link DueWork}: other folders' due work
 * that the scheduler drains with the case timers.
 */
@Module({
  providers: [DueDateService, DueWork],
  exports: [DueDateService, DueWork],
})
export class DueDatesModule {}
