/**
 * workingTimeBetween: how much working time lies between two instants
 * (elapsed SLA time, "time spent in working hours").
 */
import { checkInstant } from './args';
import type { DayTable } from './days';
import type { Calendar, DayPlan } from './model';
import { firstDayOfWeek, weekOf, weekdayOf } from './time';

/** Working time between two instants. */
export interface WorkingTimeResult {
  /** Working milliseconds in [fromMs, toMs). */
  readonly workingMs: number;
  /** True if the range touches a day outside the calendar's coverage. */
  readonly extrapolated: boolean;
}

/**
 * Working time in the half-open range [fromMs, toMs); 0 if `toMs <= fromMs`.
 * Inverse of addWorkingTime: `workingTimeBetween(cal, s, addWorkingTime(cal, s, d).dueMs).workingMs === d`.
 *
 * @example
 * // supplier calendar (Mon-Fri 10-18 Moscow): Friday 17:00 -> Monday 12:00 = 1 h + 2 h
 * workingTimeBetween(supplier, Date.parse('2026-11-27T17:00:00+03:00'), Date.parse('2026-11-30T12:00:00+03:00'))
 * // -> { workingMs: 3 * HOUR_MS, extrapolated: false }
 */
export function workingTimeBetween(cal: Calendar, fromMs: number, toMs: number): WorkingTimeResult {
  checkInstant(fromMs, 'fromMs');
  checkInstant(toMs, 'toMs');
  if (toMs <= fromMs) return { workingMs: 0, extrapolated: false };
  return {
    workingMs: sumBetween(cal.days, fromMs, toMs),
    extrapolated: fromMs < cal.coverageMs.fromMs || toMs > cal.coverageMs.toMs,
  };
}

function sumBetween(days: DayTable, fromMs: number, toMs: number): number {
  const first = days.planAt(fromMs);
  let total = clipped(first, fromMs, toMs);
  if (toMs <= first.endMs) return total;

  // Whole days to the next Monday, whole weeks, then whole days, then the last partial day.
  let day = first.day + 1;
  while (weekdayOf(day) !== 0) {
    const plan = days.plan(day);
    if (plan.endMs > toMs) return total + clipped(plan, plan.startMs, toMs);
    total += plan.workingMs;
    day++;
  }
  let week = weekOf(day);
  for (;;) {
    const w = days.week(week);
    if (w.endMs > toMs) break;
    total += w.workingMs;
    week++;
  }
  for (day = firstDayOfWeek(week); ; day++) {
    const plan = days.plan(day);
    if (plan.endMs > toMs) return total + clipped(plan, plan.startMs, toMs);
    total += plan.workingMs;
  }
}

/** Working ms of `plan` inside [fromMs, toMs). */
function clipped(plan: DayPlan, fromMs: number, toMs: number): number {
  const { starts, ends } = plan;
  let sum = 0;
  for (let i = 0; i < ends.length; i++) {
    const s = Math.max(starts[i] as number, fromMs);
    const e = Math.min(ends[i] as number, toMs);
    if (e > s) sum += e - s;
  }
  return sum;
}
