import { workingTimeBetween, type Calendar } from '../calendar';
import { isRunning, statusOf, usedAt, type ClockPause, type ClockStatus, type SlaClock } from './sla-clock';

/** A clock as people see it at an instant: status, deadline, working time used and left. */
export interface ClockView {
  kind: SlaClock['kind'];
  status: ClockStatus;
  running: boolean;
  targetMs: number | null;
  dueAtMs: number | null;
  usedMs: number;
  /** Working time left to the target; 0 once used up; null when not regulated. */
  remainingMs: number | null;
  /** Working time past the target; 0 when within it. */
  overdueMs: number;
  metAtMs: number | null;
  breachedAtMs: number | null;
  warnings: SlaClock['warnings'];
  escalations: SlaClock['escalations'];
  pauses: ClockPause[];
  reopenCount: number;
  /** The running segment reaches beyond the calendar's known exception data. */
  extrapolated: boolean;
}

/**
 * Measures a clock at `nowMs` on its calendar.
 *
 * @example viewClock(warrantyFirstResponse, supplier, fridayAt17)
 * // { status: 'running', usedMs: 0, remainingMs: 8 h, dueAtMs: Monday 17:00, ... }
 */
export function viewClock(c: SlaClock, cal: Calendar, nowMs: number): ClockView {
  const segment = isRunning(c) ? workingTimeBetween(cal, c.runningSinceMs!, Math.max(nowMs, c.runningSinceMs!)) : { workingMs: 0, extrapolated: false };
  const usedMs = usedAt(c, segment.workingMs);
  return {
    kind: c.kind,
    status: statusOf(c),
    running: isRunning(c),
    targetMs: c.targetMs,
    dueAtMs: c.dueAtMs,
    usedMs,
    remainingMs: c.targetMs === null ? null : Math.max(0, c.targetMs - usedMs),
    overdueMs: c.targetMs === null ? 0 : Math.max(0, usedMs - c.targetMs),
    metAtMs: c.metAtMs,
    breachedAtMs: c.breachedAtMs,
    warnings: c.warnings,
    escalations: c.escalations,
    pauses: c.pauses,
    reopenCount: c.reopenCount,
    extrapolated: segment.extrapolated,
  };
}
