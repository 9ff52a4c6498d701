// An oracle for the supplier calendar (Mon-Fri 10:00-18:00 Moscow, short pre-holiday days end
// at 17:00) read straight from the production-calendar data file, with none of the calendar
// engine's code: tests compare the engine's answers with what this says about a date.
import productionCalendar from '../../calendars/ru-production-calendar.json';

interface Year {
  holidays: string[];
  workingWeekendDays: string[];
  shortDays: string[];
}
const years = productionCalendar.years as Record<string, Year>;
/** Labour Code Art. 112 fixed holidays: all that is known about a year the file does not list. */
const FIXED = ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04'];

const DAY_MS = 86_400_000;
/** The local date (YYYY-MM-DD) in Moscow (UTC+3 all year) of an instant. */
export const moscowDate = (ms: number): string => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 10);
const weekday = (date: string): number => new Date(`${date}T12:00:00Z`).getUTCDay();
export const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T12:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Whether the file lists the date's year (past it only fixed holidays are known). */
export const isListedYear = (date: string): boolean => years[date.slice(0, 4)] !== undefined;

/** Working hours of the supplier on a date: 0, 7 (short day) or 8. */
export function supplierHours(date: string): number {
  const y = years[date.slice(0, 4)];
  const weekend = weekday(date) === 0 || weekday(date) === 6;
  if (!y) return weekend || FIXED.includes(date.slice(5)) ? 0 : 8;
  if (y.holidays.includes(date)) return 0;
  if (weekend && !y.workingWeekendDays.includes(date)) return 0;
  return y.shortDays.includes(date) ? 7 : 8;
}

/**
 * An ordinary full working day: 8 hours, and not next to anything the file might shorten or
 * move in a year it does not list (so the engine's extrapolation and the file agree).
 */
export function isOrdinaryWorkday(date: string): boolean {
  if (supplierHours(date) !== 8) return false;
  if (isListedYear(date)) return true;
  return [-1, 1].every((d) => !FIXED.includes(addDays(date, d).slice(5)));
}

/** The `n`th supplier working day after `date` (not counting `date`), and the hour it ends. */
export function nthWorkingDayAfter(date: string, n: number): { date: string; endsAt: string } {
  let d = date;
  for (let found = 0; found < n; ) {
    d = addDays(d, 1);
    if (supplierHours(d) > 0) found++;
  }
  return { date: d, endsAt: supplierHours(d) === 7 ? '17:00' : '18:00' };
}
