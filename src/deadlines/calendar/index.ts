export {
  BusinessCalendar,
  DEFAULT_OFFICIAL_SOURCES,
  MAX_BUSINESS_DAYS,
  type BusinessDayDeadline,
  type CalendarCountry,
  type CalendarSpec,
  type SupplierClosure,
} from './business-calendar';
export { CalendarError, type CalendarErrorCode } from './calendar-error';
export { notices, type OfficialCalendarSource, type OfficialNotice } from './official-calendar';
