/**
 * Local calendar dates (`YYYY-MM-DD`) as the facts and the catalogue write them.
 *
 * Zone convention: every `LocalDate` in the policy is a date on the calendar of the supplier's
 * zone, Europe/Moscow. An instant (epoch ms) belongs to the date it has on a Moscow wall clock,
 * so a contract "to 2026-12-31" still holds at 23:59 Moscow time that day, which is 20:59 UTC.
 * Intervals of dates are inclusive at both ends (`from..through`); `null` ends are open.
 *
 * Date arithmetic here is pure proleptic-Gregorian arithmetic on the digits: it never needs a
 * zone. Only {@link localDateAt} and {@link startOfLocalDate} cross between dates and instants.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { LocalDate } from '../calendar/spec';
import { offsetCachedZone } from '../calendar/offset-cached-zone';
import { parseLocalDate } from '../calendar/time';
import { DAY_MS } from '../time-units';
import type { EpochMs } from './vocabulary';

export const SUPPLIER_ZONE = 'Europe/Moscow';

/** `YYYY-MM-DD`, a real Gregorian date, interpreted in {@link SUPPLIER_ZONE} (the calendar engine's type). */
export type { LocalDate };

interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Parsed by the calendar engine's one date parser; policy dates also need a year from 1000 on. */
function parts(date: LocalDate): DateParts | null {
  if (!/^[1-9]/.test(date)) return null;
  const dayNumber = parseLocalDate(date);
  if (dayNumber === undefined) return null;
  const d = new Date(dayNumber * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function mustParts(date: LocalDate): DateParts {
  const p = parts(date);
  if (!p) throw new RangeError(`"${date}" is not a calendar date YYYY-MM-DD`);
  return p;
}

function format({ year, month, day }: DateParts): LocalDate {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** @example daysInMonth(2024, 2) // 29 */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** @example isLocalDate('2025-02-29') // false */
export function isLocalDate(value: string): boolean {
  return parts(value) !== null;
}

export const LocalDateSchema = z
  .string()
  .refine(isLocalDate, { message: 'expected a calendar date YYYY-MM-DD' })
  // What the document says (OpenAPI `format: date`, RFC 3339 full-date, from the year 1000 on): the refine enforces it.
  .meta({ format: 'date', pattern: '^[1-9]\\d{3}-\\d{2}-\\d{2}$' })
  .describe('A calendar date YYYY-MM-DD on the supplier zone (Europe/Moscow) calendar.');

/** @example addDays('2024-02-28', 2) // '2024-03-01' */
export function addDays(date: LocalDate, days: number): LocalDate {
  const p = mustParts(date);
  const d = new Date(0);
  d.setUTCFullYear(p.year, p.month - 1, p.day + days);
  return format({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}

/**
 * Same month and day `years` later; a day the target month lacks (29 February) becomes the
 * month's last day.
 *
 * @example addYearsClamped('2026-03-01', 1) // '2027-03-01'
 * @example addYearsClamped('2024-02-29', 1) // '2025-02-28'
 */
export function addYearsClamped(date: LocalDate, years: number): LocalDate {
  const p = mustParts(date);
  const year = p.year + years;
  return format({ year, month: p.month, day: Math.min(p.day, daysInMonth(year, p.month)) });
}

/** The first day of the month, quarter or year that contains `date`. */
export function startOfPeriod(date: LocalDate, period: 'month' | 'quarter' | 'year'): LocalDate {
  const p = mustParts(date);
  const month = period === 'month' ? p.month : period === 'quarter' ? p.month - ((p.month - 1) % 3) : 1;
  return format({ year: p.year, month, day: 1 });
}

/** The last day of the month, quarter or year that contains `date`. */
export function endOfPeriod(date: LocalDate, period: 'month' | 'quarter' | 'year'): LocalDate {
  const months = period === 'month' ? 1 : period === 'quarter' ? 3 : 12;
  const start = mustParts(startOfPeriod(date, period));
  const next = new Date(0);
  next.setUTCFullYear(start.year, start.month - 1 + months, 0);
  return format({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
}

/**
 * The date an instant has on the wall clock of `zone`.
 *
 * @example localDateAt(Date.UTC(2026, 11, 31, 21, 0)) // '2027-01-01' (00:00 in Moscow)
 */
export function localDateAt(at: EpochMs, zone: string = SUPPLIER_ZONE): LocalDate {
  const iso = DateTime.fromMillis(at, { zone: offsetCachedZone(zone) }).toISODate();
  if (iso === null) throw new RangeError(`cannot place instant ${at} in zone "${zone}"`);
  return iso;
}

/**
 * The instant a date starts (00:00) in `zone`; the end of an inclusive `through` date is
 * `startOfLocalDate(addDays(through, 1))`, exclusive.
 *
 * @example startOfLocalDate('2027-01-01') // Date.UTC(2026, 11, 31, 21, 0)
 */
export function startOfLocalDate(date: LocalDate, zone: string = SUPPLIER_ZONE): EpochMs {
  const p = mustParts(date);
  const dt = DateTime.fromObject(p, { zone });
  if (!dt.isValid) throw new RangeError(`cannot place date "${date}" in zone "${zone}"`);
  return dt.toMillis();
}

/** Inclusive membership; a `null` bound is open. */
export function isWithin(date: LocalDate, from: LocalDate | null, through: LocalDate | null): boolean {
  return (from === null || from <= date) && (through === null || date <= through);
}

/** The earlier of two inclusive ends, where `null` means "no end". */
export function earlierEnd(a: LocalDate | null, b: LocalDate | null): LocalDate | null {
  if (a === null) return b;
  if (b === null) return a;
  return a <= b ? a : b;
}

/** The later of two inclusive ends, where `null` means "no end". */
export function laterEnd(a: LocalDate | null, b: LocalDate | null): LocalDate | null {
  if (a === null || b === null) return null;
  return a >= b ? a : b;
}
