import { Module } from '@nestjs/common';
import { DueDateService } from './due-date.service';

/**
 * Due dates from the business calendars (holidays, weekends, supplier closures): what the case
 * service needs of this folder. Apart from DeadlinesModule (the scheduler and the routes), which
 * needs the case service: one module each way, no cycle.
 */
@Module({
  providers: [DueDateService],
  exports: [DueDateService],
})
export class DueDatesModule {}
