/** Why the business calendar refused an input. Each one is a caller's mistake (a 400 at the API). */
export type CalendarErrorCode =
  | 'unknown_country'
  | 'invalid_timezone'
  | 'invalid_days'
  | 'invalid_date'
  | 'invalid_closure'
  | 'out_of_range';

/**
 * A refused calendar input, with a message that names the bad value. The calendar is pure (no
 * Nest), so this is not an `ApiError`: the caller maps `code` to the contract's error.
 */
export class CalendarError extends Error {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarError';
  }
}
