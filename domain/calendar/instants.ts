/**
 * Questions about single instants: is it working time, and when does working time resume
 * (used for "quiet hours": hold a notification until the office opens).
 */
import { checkInstant } from './args';
import { MAX_IDLE_DAYS } from './days';
import { CalendarComputationError } from './errors';
import type { Calendar } from './model';
import { formatLocalDate } from './time';

/**
 * True if `ms` lies inside a working interval (intervals are half-open: the end instant is not working).
 *
 * @example
 * isWorkingInstant(supplier, Date.parse('2026-11-27T17:59:59+03:00')) // true
 * isWorkingInstant(supplier, Date.parse('2026-11-27T18:00:00+03:00')) // false
 */
export function isWorkingInstant(cal: Calendar, ms: number): boolean {
  checkInstant(ms, 'ms');
  const { starts, ends } = cal.days.planAt(ms);
  for (let i = 0; i < ends.length; i++) {
    if (ms < (ends[i] as number)) return ms >= (starts[i] as number);
  }
  return false;
}

/**
 * The first working instant at or after `ms` (`ms` itself if it is working).
 *
 * @example
 * nextWorkingInstant(supplier, Date.parse('2026-11-27T18:00:00+03:00'))
 * // -> Date.parse('2026-11-30T10:00:00+03:00') (Friday evening -> Monday 10:00)
 * @throws CalendarComputationError after ten years without working time.
 */
export function nextWorkingInstant(cal: Calendar, ms: number): number {
  checkInstant(ms, 'ms');
  let plan = cal.days.planAt(ms);
  for (let i = 0; i < plan.ends.length; i++) {
    if (ms < (plan.ends[i] as number)) return Math.max(ms, plan.starts[i] as number);
  }
  for (let idle = 0; idle <= MAX_IDLE_DAYS; idle++) {
    plan = cal.days.plan(plan.day + 1);
    const first = plan.starts[0];
    if (first !== undefined) return first;
  }
  throw new CalendarComputationError(`no working time in the ${MAX_IDLE_DAYS} days up to ${formatLocalDate(plan.day)}`);
}
