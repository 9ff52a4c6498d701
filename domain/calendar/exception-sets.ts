/**
 * Shared exception sets ("production calendars") shipped with the product, and the adapter
 * from the production-calendar file format (calendars/ru-production-calendar.json, see its
 * README) to the engine's {@link ExceptionSetSpec}.
 */
import ruProductionFile from '../../calendars/ru-production-calendar.json';
import type { ExceptionSetSpec } from './spec';

/** The per-year layout of calendars/ru-production-calendar.json. */
export interface ProductionCalendarFile {
  readonly country: string;
  readonly years: Readonly<
    Record<
      string,
      {
        readonly holidays: readonly string[];
        readonly workingWeekendDays: readonly string[];
        readonly shortDays: readonly string[];
      }
    >
  >;
}

/**
 * Russia's non-working public holidays, Labour Code Art. 112 part 1 (fixed dates).
 * Used past the known years: the transfers and Art. 112 part 2 moves of a future year are
 * not knowable in advance, so such results are flagged `extrapolated`.
 */
export const RU_FIXED_HOLIDAYS: readonly string[] = Object.freeze([
  '01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08',
  '02-23', '03-08', '05-01', '05-09', '06-12', '11-04',
]);

/**
 * Converts a production-calendar file to an exception set.
 * Coverage is 1 January of the first year to 31 December of the last; years must be consecutive.
 *
 * @example
 * exceptionSetFromProductionCalendar(file, 'ru-production').coverage
 * // -> { from: '2024-01-01', to: '2027-12-31' } for the shipped 2024-2027 file
 */
export function exceptionSetFromProductionCalendar(
  file: ProductionCalendarFile,
  id: string,
  fixedHolidays: readonly string[] = RU_FIXED_HOLIDAYS,
): ExceptionSetSpec {
  const years = Object.keys(file.years).map(Number).sort((a, b) => a - b);
  const first = years[0];
  const last = years[years.length - 1];
  if (first === undefined || last === undefined) throw new Error(`production calendar "${id}" has no years`);
  if (last - first + 1 !== years.length) throw new Error(`production calendar "${id}" has a gap in its years: ${years.join(', ')}`);
  const pick = (key: 'holidays' | 'workingWeekendDays' | 'shortDays'): string[] =>
    years.flatMap((y) => [...(file.years[String(y)]?.[key] ?? [])]);
  return {
    id,
    name: `Production calendar ${file.country} ${first}-${last}`,
    coverage: { from: `${first}-01-01`, to: `${last}-12-31` },
    fixedHolidays: [...fixedHolidays],
    holidays: pick('holidays'),
    workingDays: pick('workingWeekendDays').map((date) => ({ date })),
    shortDays: pick('shortDays'),
  };
}

/** The exception sets calendars may name in `exceptionSets` unless the caller passes its own registry. */
export const shippedExceptionSets: Readonly<Record<string, ExceptionSetSpec>> = Object.freeze({
  'ru-production': exceptionSetFromProductionCalendar(ruProductionFile, 'ru-production'),
});
