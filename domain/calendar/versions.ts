/**
 * Versioned calendars: a calendar change takes effect from a stated instant, and earlier
 * versions stay available, so a deadline computed last year can still be explained with
 * the calendar that was in force then.
 *
 * Rule used by callers: pick the version in force when the clock *started*
 * (`calendarAt(versioned, startMs)`) and compute the whole deadline with it; a later
 * change does not move deadlines already running.
 */
import { DateTime } from 'luxon';
import { compileCalendar } from './compile';
import { CalendarDefinitionError } from './errors';
import type { Calendar } from './model';
import { isVersionedSpec } from './spec';
import type { CalendarSpec, ExceptionSetSpec, VersionedCalendarSpec } from './spec';
import { shippedExceptionSets } from './exception-sets';
import { isKnownTimeZone } from './zone';

/** A calendar version as a request pins it: its clocks run on exactly this version. */
export interface CalendarVersionRef {
  id: string;
  versionId: string;
}

/** A compiled calendar with its versions, oldest first. */
export interface VersionedCalendar {
  readonly id: string;
  /** Each has `versionId` and `effectiveFromMs` (the first one: `-Infinity`). */
  readonly versions: readonly Calendar[];
}

/**
 * Compiles a versioned calendar. A plain {@link CalendarSpec} is accepted too and becomes a
 * single version (`versionId` from the spec, or `"1"`).
 *
 * @throws CalendarDefinitionError with the field prefixed by `versions[i].` for a bad version,
 *         or for duplicate version ids, a missing/malformed `effectiveFrom`, versions out of order.
 * @example
 * const office = compileVersionedCalendar({ id: 'office', versions: [
 *   { versionId: '2025', timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } },
 *   { versionId: '2026-03', effectiveFrom: '2026-03-01T00:00', timezone: 'Europe/Moscow',
 *     week: { mon: [['10:00', '19:00']] } },
 * ]});
 * calendarAt(office, Date.parse('2026-02-27T12:00:00+03:00')).versionId // '2025'
 * calendarAt(office, Date.parse('2026-03-02T12:00:00+03:00')).versionId // '2026-03'
 */
export function compileVersionedCalendar(
  spec: VersionedCalendarSpec | CalendarSpec,
  exceptionSets: Readonly<Record<string, ExceptionSetSpec>> = shippedExceptionSets,
): VersionedCalendar {
  if (!isVersionedSpec(spec)) {
    const versionId = (spec as { versionId?: unknown }).versionId;
    const calendar = compileCalendar(spec, exceptionSets, { versionId: typeof versionId === 'string' ? versionId : '1' });
    return Object.freeze({ id: calendar.id, versions: Object.freeze([calendar]) });
  }
  if (typeof spec.id !== 'string' || spec.id === '') throw new CalendarDefinitionError('id', 'a versioned calendar needs a non-empty id');
  if (spec.versions.length === 0) throw new CalendarDefinitionError('versions', 'needs at least one version');
  const seen = new Set<string>();
  let previousMs = -Infinity;
  const versions = spec.versions.map((version, i) => {
    const field = `versions[${i}]`;
    if (typeof version !== 'object' || version === null) throw new CalendarDefinitionError(field, 'must be an object');
    const { versionId } = version;
    if (typeof versionId !== 'string' || versionId === '') throw new CalendarDefinitionError(`${field}.versionId`, 'must be a non-empty string');
    if (seen.has(versionId)) throw new CalendarDefinitionError(`${field}.versionId`, `duplicate version id "${versionId}"`);
    seen.add(versionId);
    let effectiveFromMs = -Infinity;
    if (version.effectiveFrom !== undefined || i > 0) {
      effectiveFromMs = parseEffectiveFrom(version.effectiveFrom, version.timezone, `${field}.effectiveFrom`);
      if (effectiveFromMs <= previousMs) {
        throw new CalendarDefinitionError(`${field}.effectiveFrom`, 'must be later than the previous version\'s (list versions oldest first)');
      }
    }
    previousMs = effectiveFromMs;
    try {
      return compileCalendar({ ...version, id: spec.id }, exceptionSets, { versionId, effectiveFromMs: i === 0 ? -Infinity : effectiveFromMs });
    } catch (e) {
      if (e instanceof CalendarDefinitionError) throw new CalendarDefinitionError(e.field ? `${field}.${e.field}` : field, e.problem);
      throw e;
    }
  });
  return Object.freeze({ id: spec.id, versions: Object.freeze(versions) });
}

/**
 * The version in force at `instantMs`: the last one with `effectiveFromMs <= instantMs`.
 * The first version also answers for instants before any stated `effectiveFrom`.
 */
export function calendarAt(versioned: VersionedCalendar, instantMs: number): Calendar {
  const { versions } = versioned;
  let found = versions[0] as Calendar;
  for (let i = 1; i < versions.length; i++) {
    const v = versions[i] as Calendar;
    if (v.effectiveFromMs <= instantMs) found = v;
    else break;
  }
  return found;
}

/** A version by id (to explain an old deadline recorded with its version id), or undefined. */
export function calendarVersion(versioned: VersionedCalendar, versionId: string): Calendar | undefined {
  return versioned.versions.find((v) => v.versionId === versionId);
}

function parseEffectiveFrom(value: unknown, timezone: unknown, field: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    // A bad zone is reported by compileCalendar with its own field; parse in UTC meanwhile.
    const zone = isKnownTimeZone(timezone) ? timezone : 'UTC';
    const dt = DateTime.fromISO(value, { zone });
    if (dt.isValid) return dt.toMillis();
  }
  throw new CalendarDefinitionError(field, `must be an ISO-8601 date-time or epoch ms, got ${JSON.stringify(value) ?? String(value)}`);
}
