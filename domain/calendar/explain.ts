/**
 * explainWorkingTime: the same answer as addWorkingTime, with the working intervals that
 * were consumed, so a deadline can be shown to a customer or an auditor.
 */
import { checkDuration, checkInstant } from './args';
import { MAX_IDLE_DAYS } from './days';
import type { DueResult } from './add';
import { CalendarComputationError, CalendarLimitError } from './errors';
import type { Calendar, DayKind } from './model';
import { formatLocalDate } from './time';

/** One stretch of working time consumed by a budget. */
export interface ExplainedInterval {
  readonly startMs: number;
  readonly endMs: number;
  /** `endMs - startMs`. */
  readonly workingMs: number;
  /** The local date (calendar zone) of the day the interval belongs to, `YYYY-MM-DD`. */
  readonly date: string;
  /** Why that day has these hours: `regular`, `working-weekend`, `short-day`, ... */
  readonly kind: DayKind;
  /** The day lies outside the calendar's coverage (its hours are extrapolated). */
  readonly extrapolated: boolean;
}

export interface Explanation extends DueResult {
  /** The consumed intervals in order; their `workingMs` add up to the budget. */
  readonly intervals: readonly ExplainedInterval[];
}

/** Bounds for a caller that shows the result (the API); none by default. */
export interface ExplainLimits {
  readonly maxIntervals?: number;
  /** Days walked from the start's day. */
  readonly maxDays?: number;
}

/**
 * Adds working time like {@link addWorkingTime} and lists the working intervals consumed.
 * Walks day by day (no week skipping): meant for display, not the hot path.
 *
 * @example
 * explainWorkingTime(supplier, Date.parse('2026-11-27T17:00:00+03:00'), 8 * HOUR_MS).intervals
 * // -> [ { date: '2026-11-27', kind: 'regular', workingMs: 1 h, 17:00-18:00 },
 * //      { date: '2026-11-30', kind: 'regular', workingMs: 7 h, 10:00-17:00 } ]
 */
export function explainWorkingTime(cal: Calendar, startMs: number, workingMs: number, limits: ExplainLimits = {}): Explanation {
  checkInstant(startMs, 'startMs');
  checkDuration(workingMs, 'workingMs');
  const intervals: ExplainedInterval[] = [];
  let remaining = workingMs;
  let dueMs = startMs;
  let plan = cal.days.planAt(startMs);
  let idleDays = 0;
  const { maxIntervals = Infinity, maxDays = Infinity } = limits;
  for (let walked = 0; remaining > 0; walked++) {
    if (walked >= maxDays) throw new CalendarLimitError('days', maxDays, `the explanation would span more than ${maxDays} days`);
    for (let i = 0; i < plan.ends.length && remaining > 0; i++) {
      if (intervals.length >= maxIntervals) throw new CalendarLimitError('intervals', maxIntervals, `the explanation would list more than ${maxIntervals} intervals`);
      const end = plan.ends[i] as number;
      if (end <= startMs) continue;
      const from = Math.max(plan.starts[i] as number, startMs);
      const take = Math.min(end - from, remaining);
      remaining -= take;
      dueMs = from + take;
      intervals.push({
        startMs: from,
        endMs: dueMs,
        workingMs: take,
        date: formatLocalDate(plan.day),
        kind: plan.kind,
        extrapolated: plan.extrapolated,
      });
    }
    if (remaining <= 0) break;
    idleDays = plan.workingMs === 0 ? idleDays + 1 : 0;
    if (idleDays > MAX_IDLE_DAYS) {
      throw new CalendarComputationError(`no working time for ${idleDays} days up to ${formatLocalDate(plan.day)}`);
    }
    plan = cal.days.plan(plan.day + 1);
  }
  return { dueMs, extrapolated: startMs < cal.coverageMs.fromMs || dueMs > cal.coverageMs.toMs, intervals };
}
