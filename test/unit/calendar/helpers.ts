// Shared helpers for the calendar tests (not a test file itself: jest runs *.test.ts only).
import { DateTime } from 'luxon';
import { compileCalendar, HOUR_MS } from '../../../domain/calendar';
import type { Calendar, CalendarSpec } from '../../../domain/calendar';

export const H = HOUR_MS;

/** Epoch ms of an ISO string; without an offset it is read in `zone` (default Moscow). */
export function at(iso: string, zone = 'Europe/Moscow'): number {
  const dt = DateTime.fromISO(iso, { zone });
  if (!dt.isValid) throw new Error(`bad ISO in test: ${iso}`);
  return dt.toMillis();
}

/** ISO with the zone's offset, seconds precision (or ms when non-zero), for readable assertions. */
export function iso(ms: number, zone = 'Europe/Moscow'): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) as string;
}

export const WEEKDAYS_10_18 = {
  mon: [['10:00', '18:00']],
  tue: [['10:00', '18:00']],
  wed: [['10:00', '18:00']],
  thu: [['10:00', '18:00']],
  fri: [['10:00', '18:00']],
  sat: [],
  sun: [],
} as const satisfies CalendarSpec['week'];

export const ALL_DAY = [['00:00', '24:00']] as const;

export function twentyFourSeven(timezone: string): Calendar {
  return compileCalendar({
    id: `24x7-${timezone}`,
    timezone,
    week: { mon: ALL_DAY, tue: ALL_DAY, wed: ALL_DAY, thu: ALL_DAY, fri: ALL_DAY, sat: ALL_DAY, sun: ALL_DAY },
  });
}
