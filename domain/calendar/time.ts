/**
 * Civil date and time-of-day arithmetic, without time zones.
 *
 * A local date is handled as a *day number*: whole days since 1970-01-01 in the proleptic
 * Gregorian calendar (1970-01-01 = 0, 1969-12-31 = -1). Day numbers make "the next day",
 * "the weekday" and "the week" plain integer arithmetic, and key the per-day caches.
 * A "wall-clock ms" value is `dayNumber * DAY_MS + msSinceLocalMidnight`: the local time read
 * as if it were UTC; `zone.ts` turns it into a real instant.
 */

export { MINUTE_MS, HOUR_MS, DAY_MS } from '../time-units';
import { DAY_MS } from '../time-units';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})$/;

/** Day number of a `YYYY-MM-DD` date, or `undefined` if it is malformed or not a real date (2026-02-30). */
export function parseLocalDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function formatLocalDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** `MM-DD` of a day number (to match fixed-date holidays). */
export function monthDayOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(5, 10);
}

/**
 * Minutes since midnight of `HH:MM`, or `undefined` if malformed.
 * `"24:00"` (= 1440) is accepted only when `allowEndOfDay` is set.
 */
export function parseTimeOfDay(text: unknown, allowEndOfDay: boolean): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = TIME_RE.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h === 24 && min === 0) return allowEndOfDay ? 1440 : undefined;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

/** `HH:MM` of minutes since midnight (1440 prints as `24:00`). */
export function formatTimeOfDay(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Weekday of a day number: 0 = Monday ... 6 = Sunday (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** Monday-based week number of a day number; week `w` runs from day `7w - 3` (a Monday). */
export function weekOf(day: number): number {
  return Math.floor((day + 3) / 7);
}

/** Day number of the Monday that starts week `w`. */
export function firstDayOfWeek(week: number): number {
  return week * 7 - 3;
}
