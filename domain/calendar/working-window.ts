/**
 * Where an instant sits in a calendar's working time, for countdowns that tick honestly: a
 * working-time countdown moves only while the calendar is working. The screen ticks a
 * server-measured remaining time down until `untilMs`, then asks the server again.
 */
import { checkInstant } from './args';
import type { Calendar } from './model';
import { nextWorkingInstant } from './instants';

export interface WorkingWindow {
  /** Whether `ms` is working time. */
  working: boolean;
  /** Working: the end of the current working interval. Not working: when working time resumes. */
  untilMs: number;
}

/**
 * @example
 * workingWindowAt(supplier, Date.parse('2026-11-27T12:00:00+03:00')) // { working: true, untilMs: 18:00 that day }
 * workingWindowAt(supplier, Date.parse('2026-11-27T19:00:00+03:00')) // { working: false, untilMs: Monday 10:00 }
 */
export function workingWindowAt(cal: Calendar, ms: number): WorkingWindow {
  checkInstant(ms, 'ms');
  const { starts, ends } = cal.days.planAt(ms);
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    if (ms < end && ms >= (starts[i] as number)) return { working: true, untilMs: end };
  }
  return { working: false, untilMs: nextWorkingInstant(cal, ms) };
}
