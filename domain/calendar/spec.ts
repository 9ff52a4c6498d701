/**
 * The calendar *specification*: the plain, JSON-friendly shape a calendar is written in
 * (see docs/calendar-format.md). Nothing here computes; `compile.ts` validates a spec and
 * turns it into a {@link import('./model').Calendar} that the operations use.
 *
 * Vocabulary
 * - "local date"   a civil date in the calendar's time zone, written `YYYY-MM-DD`.
 * - "time of day"  `HH:MM` on the 24-hour clock; `"24:00"` is allowed as an *end* only,
 *                  meaning the next midnight (so `[["00:00","24:00"]]` is a whole day).
 * - "time range"   `[start, end]`, half-open: working from `start` up to (not including) `end`.
 */

/** `HH:MM`, 00:00-23:59; `"24:00"` is accepted as the end of a range. */
export type TimeOfDay = string;

/** A working range within one local day, half-open `[start, end)`, e.g. `["10:00", "18:00"]`. */
export type TimeRange = readonly [start: TimeOfDay, end: TimeOfDay];

/** A local civil date, `YYYY-MM-DD`. */
export type LocalDate = string;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * The weekly schedule: any number of ranges per weekday. A missing or empty weekday is a
 * day off. Ranges of one day must not overlap (touching is fine and is merged).
 *
 * @example { "mon": [["09:00","13:00"],["14:00","18:00"]], "sat": [], "sun": [] }
 */
export type WeekSpec = Partial<Record<Weekday, readonly TimeRange[]>>;

/** A day that works although it normally would not (Russia's transferred working Saturday), or works other hours. */
export interface WorkingDaySpec {
  readonly date: LocalDate;
  /**
   * Hours of that day. Omitted: the weekday's own hours if the weekly schedule works that
   * weekday, otherwise the calendar's `exceptionPolicy.workingWeekendHours`.
   */
  readonly hours?: readonly TimeRange[];
  readonly reason?: string;
}

/** A one-off closure of part of a day (e.g. a staff meeting 14:00-18:00). */
export interface ClosureSpec {
  readonly date: LocalDate;
  readonly from: TimeOfDay;
  readonly to: TimeOfDay;
  readonly reason?: string;
}

/**
 * Dated exceptions, shared by calendars and exception sets. Order of application on one date:
 * holiday, then working day, then short day, then closures. A calendar's own exceptions are
 * applied after those of its exception sets, so a calendar can override a shared set.
 */
export interface ExceptionFields {
  /** Whole-day closures. */
  readonly holidays?: readonly LocalDate[];
  /** Working days on days off, or days with other hours. */
  readonly workingDays?: readonly WorkingDaySpec[];
  /** Shortened days: the end of the day moves earlier by `exceptionPolicy.shortDayMinutes` (default 60). */
  readonly shortDays?: readonly LocalDate[];
  /** Closures of part of a day. */
  readonly closures?: readonly ClosureSpec[];
}

/** An inclusive range of local dates, `from` to `to`. */
export interface DateCoverage {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

/**
 * A reusable set of dated exceptions that many calendars share (a "production calendar").
 *
 * Its dated exceptions are known for `coverage` only. Outside it a calendar still computes,
 * with the weekly schedule plus `fixedHolidays` (statutory fixed-date holidays, `MM-DD`),
 * and every result computed from such days is flagged `extrapolated`.
 */
export interface ExceptionSetSpec extends ExceptionFields {
  readonly id: string;
  readonly name?: string;
  readonly coverage: DateCoverage;
  /** Holidays assumed every year outside `coverage`, as `MM-DD` (e.g. `"01-01"`). */
  readonly fixedHolidays?: readonly string[];
}

/** How a calendar applies dated exceptions that carry no hours of their own. */
export interface ExceptionPolicy {
  /** Hours of a working day that falls on a weekly day off. Default: the first working weekday's hours (Mon first). */
  readonly workingWeekendHours?: readonly TimeRange[];
  /** How much a short day is shortened, in minutes, taken off the end of the day. Default 60. */
  readonly shortDayMinutes?: number;
}

/**
 * One calendar: a zone, a weekly schedule and dated exceptions.
 *
 * @example
 * {
 *   "id": "supplier", "timezone": "Europe/Moscow",
 *   "week": { "mon": [["10:00","18:00"]], "tue": [["10:00","18:00"]], "wed": [["10:00","18:00"]],
 *             "thu": [["10:00","18:00"]], "fri": [["10:00","18:00"]], "sat": [], "sun": [] },
 *   "exceptionSets": ["ru-production"],
 *   "exceptionPolicy": { "workingWeekendHours": [["10:00","18:00"]], "shortDayMinutes": 60 }
 * }
 */
export interface CalendarSpec extends ExceptionFields {
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  /** IANA time zone, e.g. `Europe/Moscow`. All times of day are wall-clock times in this zone. */
  readonly timezone: string;
  readonly week: WeekSpec;
  /** Ids of shared exception sets, applied in order, before the calendar's own exceptions. */
  readonly exceptionSets?: readonly string[];
  readonly exceptionPolicy?: ExceptionPolicy;
  /** Dates for which the calendar's *own* exceptions are known; narrows the sets' coverage. */
  readonly coverage?: DateCoverage;
}

/** One version of a calendar: a full calendar spec that is in force from `effectiveFrom` on. */
export interface CalendarVersionSpec extends CalendarSpec {
  /** Version id, unique within the calendar, e.g. `"2026-03"`. */
  readonly versionId: string;
  /**
   * The instant the version takes effect: ISO-8601 (an offset-less value is read in the
   * version's own time zone) or epoch milliseconds. The first version may omit it: it then
   * applies to everything before the second one.
   */
  readonly effectiveFrom?: string | number;
}

/** A calendar with a history of versions, oldest first. */
export interface VersionedCalendarSpec {
  readonly id: string;
  readonly name?: string;
  readonly description?: string;
  readonly versions: readonly CalendarVersionSpec[];
}

/** True when `spec` has `versions` (a versioned calendar), false for a single calendar. */
export function isVersionedSpec(spec: CalendarSpec | VersionedCalendarSpec): spec is VersionedCalendarSpec {
  return typeof spec === 'object' && spec !== null && Array.isArray((spec as VersionedCalendarSpec).versions);
}
