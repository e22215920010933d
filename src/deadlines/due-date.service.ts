import { Injectable } from '@nestjs/common';
import type { DueRule } from '../workflows';
import { BusinessCalendar, CalendarSpec } from './calendar';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The calendars a case's deadlines are counted in. */
export interface CaseCalendars {
  supplier: CalendarSpec;
  merchant: CalendarSpec;
}

/**
 * Turns a machine's due rule into an instant. "N calendar days" is N x 24 h from the event;
 * "N business days" is the end of the N-th business day (workflows.md, "Business days"); "hours
 * before an instant" counts back from an instant given at opening (lost-and-disputed.md).
 */
@Injectable()
export class DueDateService {
  readonly calendar = new BusinessCalendar();

  resolve(rule: DueRule, from: Date, calendars: CaseCalendars): Date {
    switch (rule.rule) {
      case 'hours_after':
        return new Date(from.getTime() + rule.hours * HOUR_MS);
      case 'calendar_days_after':
        return new Date(from.getTime() + rule.days * DAY_MS);
      case 'business_days_after':
        return this.calendar.addBusinessDays(from, rule.days, calendars[rule.calendar]).dueAt;
      case 'end_of_day_after_date': {
        const zone = this.calendar.timezoneOf(calendars[rule.calendar]);
        return this.calendar.endOfLocalDay(
          this.calendar.addCalendarDays(rule.date, rule.days),
          zone,
        );
      }
      case 'hours_before_instant':
        // An instant the case was opened with (a platform's `dueBy`): no calendar, no `from`.
        return new Date(new Date(rule.at).getTime() - rule.hours * HOUR_MS);
    }
  }
}
