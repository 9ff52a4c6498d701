/**
 * addWorkingTime: when does a budget of working time, started at an instant, run out?
 * This is the SLA hot path (called for every clock of every request), so it works on the
 * cached day/week plans only: rest of the start day, whole days to the next Monday, whole
 * weeks by their cached totals, then the days of the last week.
 */
import { checkDuration, checkInstant } from './args';
import type { DayTable } from './days';
import { MAX_IDLE_DAYS } from './days';
import { CalendarComputationError } from './errors';
import type { Calendar, DayPlan } from './model';
import { firstDayOfWeek, formatLocalDate, weekOf, weekdayOf } from './time';

/** The result of adding working time. */
export interface DueResult {
  /** The instant the budget is used up (epoch ms). */
  readonly dueMs: number;
  /** True if any day the computation relied on lies outside the calendar's coverage. */
  readonly extrapolated: boolean;
}

/**
 * Adds `workingMs` of working time to `startMs`.
 *
 * - Counting starts at the first working instant at or after `startMs`.
 * - The budget ends at the earliest instant it is used up: a budget that runs out exactly at
 *   the end of a working interval ends there (17:00 + 1 h on a 10-18 day is 18:00 that day,
 *   not 10:00 the next working day).
 * - `workingMs = 0` returns `startMs` itself, unmoved (even at night).
 *
 * Equivalently: `dueMs` is the smallest `t >= startMs` with `workingTimeBetween(startMs, t) = workingMs`.
 *
 * @example
 * // supplier calendar: Mon-Fri 10-18 Moscow + the Russian production calendar
 * addWorkingTime(supplier, Date.parse('2026-11-27T17:00:00+03:00'), 8 * HOUR_MS)
 * // -> { dueMs: Date.parse('2026-11-30T17:00:00+03:00'), extrapolated: false }
 * //    (1 h on Friday + 7 h on Monday)
 * @throws CalendarComputationError for a non-finite start, a negative budget, or a due
 *         instant beyond 2199-12-31 / after ten years without working time.
 */
export function addWorkingTime(cal: Calendar, startMs: number, workingMs: number): DueResult {
  checkInstant(startMs, 'startMs');
  checkDuration(workingMs, 'workingMs');
  const dueMs = workingMs === 0 ? startMs : dueInstant(cal.days, startMs, workingMs);
  return { dueMs, extrapolated: startMs < cal.coverageMs.fromMs || dueMs > cal.coverageMs.toMs };
}

/** The walk itself; `budget > 0`. */
function dueInstant(days: DayTable, startMs: number, budget: number): number {
  let remaining = budget;

  // 1. The rest of the day that contains the start.
  const first = days.planAt(startMs);
  const { starts, ends } = first;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (end <= startMs) continue;
    const from = Math.max(starts[i] as number, startMs);
    const length = end - from;
    if (remaining <= length) return from + remaining;
    remaining -= length;
  }

  // 2. Whole days up to the next Monday.
  let day = first.day + 1;
  while (weekdayOf(day) !== 0) {
    const plan = days.plan(day);
    if (remaining <= plan.workingMs) return instantWithin(plan, remaining);
    remaining -= plan.workingMs;
    day++;
  }

  // 3. Whole weeks, one cached total each.
  let week = weekOf(day);
  let idleDays = 0;
  for (;;) {
    const total = days.week(week).workingMs;
    if (remaining <= total) break;
    remaining -= total;
    idleDays = total === 0 ? idleDays + 7 : 0;
    if (idleDays > MAX_IDLE_DAYS) {
      throw new CalendarComputationError(
        `no working time for ${idleDays} days up to ${formatLocalDate(firstDayOfWeek(week) + 6)}: the calendar's exceptions close it for too long`,
      );
    }
    week++;
  }

  // 4. The days of the week in which the budget runs out.
  for (day = firstDayOfWeek(week); ; day++) {
    const plan = days.plan(day);
    if (remaining <= plan.workingMs) return instantWithin(plan, remaining);
    remaining -= plan.workingMs;
  }
}

/** The instant `remaining` working ms into `plan`'s intervals; `0 < remaining <= plan.workingMs`. */
function instantWithin(plan: DayPlan, remaining: number): number {
  const { starts, ends } = plan;
  for (let i = 0; i < ends.length; i++) {
    const start = starts[i] as number;
    const length = (ends[i] as number) - start;
    if (remaining <= length) return start + remaining;
    remaining -= length;
  }
  return plan.ends[plan.ends.length - 1] as number; // unreachable for a consistent plan
}
