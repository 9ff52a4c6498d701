/**
 * Errors raised by the working-time calendar engine.
 *
 * Two families, so callers can tell a bad calendar file from a bad question:
 * - {@link CalendarDefinitionError}: the calendar (or exception set) itself is invalid.
 *   Raised only by `compileCalendar` / `compileVersionedCalendar`; the message names the
 *   offending field path and value, e.g. `week.tue[1]: end "12:00" is not after start "13:00"`.
 * - {@link CalendarComputationError}: a valid calendar was asked something it cannot answer
 *   (an instant outside the supported range, a negative budget, a stretch of years with no
 *   working time at all). Raised by the operations instead of looping or returning garbage.
 */

/** The calendar or exception-set definition is invalid; `field` is the path of the bad value. */
export class CalendarDefinitionError extends Error {
  override readonly name = 'CalendarDefinitionError';
  constructor(
    /** Path of the offending value inside the spec, e.g. `week.mon[0]` or `holidays[3]`. */
    readonly field: string,
    /** What is wrong with it, without the path. */
    readonly problem: string,
  ) {
    super(field ? `${field}: ${problem}` : problem);
  }
}

/** A valid calendar could not answer the question (bad arguments or an unbounded search). */
export class CalendarComputationError extends Error {
  override readonly name: string = 'CalendarComputationError';
}

/** A question whose answer would pass a caller's bound (e.g. an explanation with too many intervals). */
export class CalendarLimitError extends CalendarComputationError {
  override readonly name = 'CalendarLimitError';
  constructor(
    /** Which bound: `intervals` or `days`. */
    readonly limit: string,
    readonly max: number,
    message: string,
  ) {
    super(message);
  }
}
