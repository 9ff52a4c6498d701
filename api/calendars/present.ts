import { calendarAt, coverageWarning, describeCoverage, type Calendar, type Explanation } from '../../domain/calendar';
import { HOUR_MS } from '../../domain/time-units';
import type { StoredCalendar } from '../../services/calendars/catalogue';
import { isoIn } from '../../services/calendars/format';


/** Six decimals, not the domain's three: calendar figures are minute-exact (1 min = 0.016667 h). */
export const hours = (ms: number) => Math.round((ms / HOUR_MS) * 1e6) / 1e6;

export function presentVersion(v: Calendar) {
  return {
    id: v.versionId ?? '1',
    effectiveFrom: Number.isFinite(v.effectiveFromMs) ? isoIn(v.effectiveFromMs, v.timezone) : null,
    timezone: v.timezone,
    coverage: v.coverage,
  };
}

/**
 * The list / summary view. Coverage is that of the newest version (the one future deadlines
 * use); `coverageWarning` is set once its end is within `horizonDays` of `nowMs`.
 */
export function presentCalendar(c: StoredCalendar, nowMs: number, horizonDays: number) {
  const versions = c.compiled.versions;
  const newest = versions[versions.length - 1] as Calendar;
  const current = calendarAt(c.compiled, nowMs);
  const warningDate = coverageWarning(newest, nowMs, horizonDays);
  const first = c.spec.versions[0];
  return {
    id: c.id,
    name: c.spec.name ?? newest.spec.name ?? first?.name ?? c.id,
    timezone: newest.timezone,
    source: c.source,
    shipped: c.shipped,
    revision: c.revision,
    updatedAt: c.updatedAt?.toISOString() ?? null,
    currentVersionId: current.versionId ?? '1',
    versions: versions.map((v) => ({ id: v.versionId ?? '1', effectiveFrom: Number.isFinite(v.effectiveFromMs) ? isoIn(v.effectiveFromMs, v.timezone) : null })),
    coverage: newest.coverage,
    coverageEnd: newest.coverage.to,
    coverageWarning: warningDate === null ? null : `${describeCoverage(newest)}: load the exception data (holidays, transfers) after ${warningDate}`,
    href: `/v1/calendars/${encodeURIComponent(c.id)}`,
  };
}

export function presentExplanation(cal: Calendar, startMs: number, workingMs: number, e: Explanation) {
  const zone = cal.timezone;
  return {
    calendarId: cal.id,
    versionId: cal.versionId ?? '1',
    timezone: zone,
    start: isoIn(startMs, zone),
    workingHours: hours(workingMs),
    due: isoIn(e.dueMs, zone),
    extrapolated: e.extrapolated,
    ...(e.extrapolated ? { warning: `the result relies on dates outside the calendar's coverage (${describeCoverage(cal)}); days there are extrapolated` } : {}),
    intervals: e.intervals.map((i) => ({
      date: i.date,
      kind: i.kind,
      start: isoIn(i.startMs, zone),
      end: isoIn(i.endMs, zone),
      workingHours: hours(i.workingMs),
      extrapolated: i.extrapolated,
    })),
  };
}
