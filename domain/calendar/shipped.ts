/**
 * The calendars shipped with the product (calendars/*.json), compiled on first use.
 * JSON is imported, not read from disk, so the engine stays free of I/O (and can run inside
 * Temporal workflows).
 */
import alwaysOn from '../../calendars/always-on.json';
import officeMoscow from '../../calendars/office-moscow.json';
import officeYekaterinburg from '../../calendars/office-yekaterinburg.json';
import supplier from '../../calendars/supplier.json';
import { CalendarDefinitionError } from './errors';
import type { Calendar } from './model';
import type { CalendarSpec, VersionedCalendarSpec } from './spec';
import { calendarAt, compileVersionedCalendar } from './versions';
import type { VersionedCalendar } from './versions';

// JSON imports type ranges as string[][]; compileCalendar checks the real shape at runtime.
/**
 * The vendor's default supplier calendar (basic and warranty support): Mon-Fri 10:00-18:00
 * Europe/Moscow with the Russian production calendar; short pre-holiday days end at 17:00,
 * transferred working Saturdays work 10:00-18:00 (10:00-17:00 when also short).
 */
export const supplierCalendarSpec: CalendarSpec = supplier as unknown as CalendarSpec;

const SHIPPED: Readonly<Record<string, CalendarSpec | VersionedCalendarSpec>> = {
  supplier: supplierCalendarSpec,
  'office-moscow': officeMoscow as unknown as CalendarSpec,
  'office-yekaterinburg': officeYekaterinburg as unknown as VersionedCalendarSpec,
  'always-on': alwaysOn as unknown as CalendarSpec,
};

/** Ids accepted by {@link loadShippedCalendar}. */
export const shippedCalendarIds: readonly string[] = Object.freeze(Object.keys(SHIPPED));

const compiled = new Map<string, VersionedCalendar>();

/** A shipped calendar with all its versions. @throws CalendarDefinitionError for an unknown id. */
export function loadShippedVersionedCalendar(id: string): VersionedCalendar {
  const hit = compiled.get(id);
  if (hit) return hit;
  const spec = Object.prototype.hasOwnProperty.call(SHIPPED, id) ? SHIPPED[id] : undefined;
  if (spec === undefined) {
    throw new CalendarDefinitionError('calendar', `unknown shipped calendar "${id}" (known: ${shippedCalendarIds.join(', ')})`);
  }
  const versioned = compileVersionedCalendar(spec);
  compiled.set(id, versioned);
  return versioned;
}

/**
 * A shipped calendar, compiled: the version in force at `atMs`, or the newest version if
 * `atMs` is omitted.
 *
 * @example
 * const supplier = loadShippedCalendar('supplier');
 * addWorkingTime(supplier, Date.parse('2026-11-27T17:00:00+03:00'), 8 * 3_600_000);
 */
export function loadShippedCalendar(id: string, atMs?: number): Calendar {
  const versioned = loadShippedVersionedCalendar(id);
  return atMs === undefined ? (versioned.versions[versioned.versions.length - 1] as Calendar) : calendarAt(versioned, atMs);
}
