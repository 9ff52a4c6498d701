/**
 * Coverage: up to which date a calendar's exception data (holidays, transfers, short days)
 * is known. Past it the engine still answers, from the weekly schedule plus the exception
 * sets' fixed-date statutory holidays, but flags results `extrapolated`; operators should be
 * told in advance to load the next year's production calendar.
 */
import type { Calendar } from './model';
import { DAY_MS } from './time';

/**
 * The last covered local date if it falls within `horizonDays` days after `nowMs`
 * (or has already passed), otherwise `null`. Always `null` for an unbounded calendar.
 *
 * @example
 * // supplier calendar, data known to 2027-12-31
 * coverageWarning(supplier, Date.parse('2027-11-01T00:00:00Z'), 90) // '2027-12-31'
 * coverageWarning(supplier, Date.parse('2026-01-01T00:00:00Z'), 90) // null
 */
export function coverageWarning(cal: Calendar, nowMs: number, horizonDays: number): string | null {
  if (cal.coverage.to === null) return null;
  return cal.coverageMs.toMs <= nowMs + horizonDays * DAY_MS ? cal.coverage.to : null;
}

/** A human sentence about a calendar's coverage, e.g. `coverage ends on 2027-12-31`. */
export function describeCoverage(cal: Calendar): string {
  const { from, to } = cal.coverage;
  if (from === null && to === null) return 'coverage is unbounded (no dated exception data with an end)';
  if (to === null) return `coverage starts on ${from}`;
  return from === null ? `coverage ends on ${to}` : `coverage is ${from}..${to}; coverage ends on ${to}`;
}
