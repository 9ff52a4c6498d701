import { DateTime } from 'luxon';
import { explainWorkingTime } from './explain';
import type { Calendar } from './model';
import { DAY_MS } from './time';

/**
 * The end of the `days`-th working day after the day containing `fromMs`: a request resolved
 * on a Monday with 5 days closes at the end of the next Monday's working hours (the auto-close
 * rule). Null when the calendar has no such day within its data (the caller decides).
 *
 * @example endOfWorkingDays(supplier, mondayAt10, 5) // next Monday 18:00 Moscow
 */
export function endOfWorkingDays(cal: Calendar, fromMs: number, days: number): number | null {
  const today = DateTime.fromMillis(fromMs, { zone: cal.timezone }).toISODate();
  // A working day has at most 24 working hours, so this budget spans days + 1 working days.
  const { intervals } = explainWorkingTime(cal, fromMs, (days + 1) * DAY_MS);
  const later = intervals.filter((i) => i.date !== today);
  const dates = [...new Set(later.map((i) => i.date))];
  const target = dates[days - 1];
  const last = later.filter((i) => i.date === target).at(-1);
  return last ? last.endMs : null;
}
