/**
 * The working-time calendar engine: SLA clocks counted in working hours.
 *
 * Pure domain code (no I/O, deterministic), usable from workflows. Instants are epoch
 * milliseconds, working durations are milliseconds.
 *
 *   const cal = loadShippedCalendar('supplier');           // or compileCalendar(spec)
 *   const { dueMs } = addWorkingTime(cal, createdMs, 8 * HOUR_MS);
 *   const { workingMs } = workingTimeBetween(cal, createdMs, nowMs);
 *
 * Module map: spec.ts (the JSON format's types) -> compile.ts (validation) -> days.ts
 * (per-day plans, caches) -> add.ts / between.ts / explain.ts / instants.ts (operations);
 * versions.ts, coverage.ts, ics.ts, exception-sets.ts, shipped.ts around them.
 */
export { addWorkingTime } from './add';
export type { DueResult } from './add';
export { workingTimeBetween } from './between';
export type { WorkingTimeResult } from './between';
export { explainWorkingTime } from './explain';
export type { ExplainedInterval, ExplainLimits, Explanation } from './explain';
export { isWorkingInstant, nextWorkingInstant } from './instants';
export { workingWindowAt } from './working-window';
export type { WorkingWindow } from './working-window';
export { endOfWorkingDays } from './working-days';
export { CALENDAR_KEYS, compileCalendar, compileExceptionSet } from './compile';
export { calendarAt, calendarVersion, compileVersionedCalendar } from './versions';
export type { CalendarVersionRef, VersionedCalendar } from './versions';
export { coverageWarning, describeCoverage } from './coverage';
export { ICS_LIMITS, IcsLimitError, importIcs } from './ics';
export type { IcsImport, IcsImportOptions } from './ics';
export { exceptionSetFromProductionCalendar, RU_FIXED_HOLIDAYS, shippedExceptionSets } from './exception-sets';
export type { ProductionCalendarFile } from './exception-sets';
export { loadShippedCalendar, loadShippedVersionedCalendar, shippedCalendarIds, supplierCalendarSpec } from './shipped';
export { CalendarComputationError, CalendarDefinitionError, CalendarLimitError } from './errors';
export type { Calendar, DayKind } from './model';
export { isVersionedSpec, WEEKDAYS } from './spec';
export type {
  CalendarSpec,
  CalendarVersionSpec,
  ClosureSpec,
  DateCoverage,
  ExceptionFields,
  ExceptionPolicy,
  ExceptionSetSpec,
  LocalDate,
  TimeOfDay,
  TimeRange,
  VersionedCalendarSpec,
  Weekday,
  WeekSpec,
  WorkingDaySpec,
} from './spec';
export { DAY_MS, HOUR_MS, MINUTE_MS } from './time';
