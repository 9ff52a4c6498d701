// Every way a calendar definition can be wrong is reported by compileCalendar with the field named.
import {
  CalendarComputationError,
  CalendarDefinitionError,
  addWorkingTime,
  compileCalendar,
  compileVersionedCalendar,
  explainWorkingTime,
  nextWorkingInstant,
  workingTimeBetween,
} from '../../../domain/calendar';
import type { CalendarSpec, ExceptionSetSpec } from '../../../domain/calendar';
import { H, WEEKDAYS_10_18, at } from './helpers';

const valid: CalendarSpec = { timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 };

function definitionError(spec: unknown, sets?: Record<string, ExceptionSetSpec>): CalendarDefinitionError {
  try {
    compileCalendar(spec as CalendarSpec, sets);
  } catch (e) {
    expect(e).toBeInstanceOf(CalendarDefinitionError);
    return e as CalendarDefinitionError;
  }
  throw new Error('expected a CalendarDefinitionError');
}

describe('compileCalendar validation', () => {
  it.each<[string, unknown, RegExp]>([
    ['no working time at all', { timezone: 'Europe/Moscow', week: { mon: [], sat: [] } }, /^week: .*no working time/],
    ['overlapping intervals', { ...valid, week: { mon: [['09:00', '13:00'], ['12:00', '18:00']] } }, /^week\.mon\[1\]: range \["12:00","18:00"\] overlaps \["09:00","13:00"\]/],
    ['unknown time zone', { ...valid, timezone: 'Europe/Atlantis' }, /^timezone: unknown time zone "Europe\/Atlantis"/],
    ['missing time zone', { week: WEEKDAYS_10_18 }, /^timezone: unknown time zone undefined/],
    ['end before start', { ...valid, week: { tue: [['13:00', '12:00']] } }, /^week\.tue\[0\]: end "12:00" is before start "13:00"/],
    ['empty range', { ...valid, week: { tue: [['13:00', '13:00']] } }, /^week\.tue\[0\]: empty range/],
    ['malformed time', { ...valid, week: { wed: [['9:00', '18:00']] } }, /^week\.wed\[0\]: malformed start time "9:00"/],
    ['hour 25', { ...valid, week: { wed: [['09:00', '25:00']] } }, /^week\.wed\[0\]: malformed end time "25:00"/],
    ['24:00 as a start', { ...valid, week: { wed: [['24:00', '24:00']] } }, /^week\.wed\[0\]: malformed start time "24:00"/],
    ['a range that is not a pair', { ...valid, week: { wed: [['09:00']] } }, /^week\.wed\[0\]: must be a pair/],
    ['unknown weekday', { ...valid, week: { ...WEEKDAYS_10_18, monday: [] } }, /^week\.monday: unknown field/],
    ['malformed date', { ...valid, holidays: ['2026-1-1'] }, /^holidays\[0\]: malformed date "2026-1-1"/],
    ['impossible date', { ...valid, holidays: ['2026-01-01', '2026-02-30'] }, /^holidays\[1\]: malformed date "2026-02-30"/],
    ['unknown exception set', { ...valid, exceptionSets: ['ru-production', 'kz-production'] }, /^exceptionSets\[1\]: unknown exception set "kz-production" \(known: ru-production\)/],
    ['duplicate holiday', { ...valid, holidays: ['2026-01-01', '2026-01-01'] }, /^holidays\[1\]: "2026-01-01" is listed twice/],
    ['working day that is also a holiday', { ...valid, holidays: ['2026-01-03'], workingDays: [{ date: '2026-01-03' }] }, /^workingDays\[0\]\.date: "2026-01-03" is also listed as a holiday/],
    ['working day with no hours', { ...valid, workingDays: [{ date: '2026-01-03', hours: [] }] }, /^workingDays\[0\]\.hours: a working day needs at least one range/],
    ['working day with bad hours', { ...valid, workingDays: [{ date: '2026-01-03', hours: [['10:00', '09:00']] }] }, /^workingDays\[0\]\.hours\[0\]: end "09:00" is before start "10:00"/],
    ['closure with to before from', { ...valid, closures: [{ date: '2026-01-13', from: '15:00', to: '14:00' }] }, /^closures\[0\]: to "14:00" is before from "15:00"/],
    ['closure with a malformed time', { ...valid, closures: [{ date: '2026-01-13', from: '15h', to: '16:00' }] }, /^closures\[0\]: malformed from time "15h"/],
    ['short-day minutes out of range', { ...valid, exceptionPolicy: { shortDayMinutes: 0 } }, /^exceptionPolicy\.shortDayMinutes: must be a whole number/],
    ['unknown top-level field', { ...valid, holiday: ['2026-01-01'] }, /^holiday: unknown field/],
    ['coverage ending before it starts', { ...valid, coverage: { from: '2026-01-01', to: '2025-12-31' } }, /^coverage\.to: "2025-12-31" is before from/],
    ['not an object', 42, /a calendar must be a JSON object/],
  ])('%s', (_name, spec, message) => {
    const error = definitionError(spec);
    expect(error.message).toMatch(message);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports problems inside a custom exception set with the set named', () => {
    const set: ExceptionSetSpec = { id: 'x', coverage: { from: '2026-01-01', to: '2026-12-31' }, holidays: ['2027-01-01'] };
    expect(definitionError({ ...valid, exceptionSets: ['x'] }, { x: set }).message).toMatch(
      /^exception set "x"\.holidays\[0\]: "2027-01-01" is outside the coverage 2026-01-01\.\.2026-12-31/,
    );
    const badFixed: ExceptionSetSpec = { id: 'y', coverage: { from: '2026-01-01', to: '2026-12-31' }, fixedHolidays: ['13-01'] };
    expect(definitionError({ ...valid, exceptionSets: ['y'] }, { y: badFixed }).message).toMatch(/fixedHolidays\[0\]: malformed month-day "13-01"/);
  });

  it('accepts touching ranges and merges them', () => {
    const cal = compileCalendar({ ...valid, week: { mon: [['14:00', '18:00'], ['10:00', '14:00']] } });
    expect(workingTimeBetween(cal, at('2026-11-30T00:00'), at('2026-12-01T00:00')).workingMs).toBe(8 * H);
  });
});

describe('compileVersionedCalendar validation', () => {
  const v = (versionId: string, effectiveFrom?: string) => ({ versionId, ...(effectiveFrom ? { effectiveFrom } : {}), ...valid });
  it.each<[string, unknown, RegExp]>([
    ['no versions', { id: 'c', versions: [] }, /^versions: needs at least one version/],
    ['duplicate version id', { id: 'c', versions: [v('a'), v('a', '2026-01-01')] }, /^versions\[1\]\.versionId: duplicate version id "a"/],
    ['missing effectiveFrom on a later version', { id: 'c', versions: [v('a'), v('b')] }, /^versions\[1\]\.effectiveFrom: must be an ISO-8601/],
    ['malformed effectiveFrom', { id: 'c', versions: [v('a'), v('b', 'next monday')] }, /^versions\[1\]\.effectiveFrom: must be an ISO-8601/],
    ['versions out of order', { id: 'c', versions: [v('a', '2026-01-01'), v('b', '2025-01-01')] }, /^versions\[1\]\.effectiveFrom: must be later/],
    ['a bad version', { id: 'c', versions: [v('a'), { ...v('b', '2026-01-01'), timezone: 'Nowhere' }] }, /^versions\[1\]\.timezone: unknown time zone "Nowhere"/],
    ['no id', { versions: [v('a')] }, /^id: a versioned calendar needs a non-empty id/],
  ])('%s', (_name, spec, message) => {
    expect(() => compileVersionedCalendar(spec as never)).toThrow(message);
  });
});

describe('operations refuse bad arguments and never loop forever', () => {
  const cal = compileCalendar(valid);
  it('rejects NaN, infinite and negative inputs', () => {
    expect(() => addWorkingTime(cal, NaN, H)).toThrow(CalendarComputationError);
    expect(() => addWorkingTime(cal, at('2026-01-01T00:00'), -1)).toThrow(/workingMs must be a finite, non-negative/);
    expect(() => addWorkingTime(cal, at('2026-01-01T00:00'), Infinity)).toThrow(CalendarComputationError);
    expect(() => workingTimeBetween(cal, 0, Infinity)).toThrow(CalendarComputationError);
  });
  it('rejects instants outside 1900..2199', () => {
    expect(() => addWorkingTime(cal, Date.UTC(2300, 0, 1), H)).toThrow(/outside the supported range/);
    expect(() => addWorkingTime(cal, Date.UTC(2199, 11, 1), 10_000 * H)).toThrow(/outside the supported range/);
  });
  it('a calendar whose only working day always falls in a long holiday run throws a clear error', () => {
    // Works on Saturdays only, and every Saturday from 2026 to 2037 is a holiday.
    const holidays: string[] = [];
    for (let d = Date.UTC(2026, 0, 3); d < Date.UTC(2038, 0, 1); d += 7 * 86_400_000) holidays.push(new Date(d).toISOString().slice(0, 10));
    const saturdays = compileCalendar({ timezone: 'Europe/Moscow', week: { sat: [['10:00', '18:00']] }, holidays });
    const start = at('2026-01-01T00:00');
    expect(() => addWorkingTime(saturdays, start, H)).toThrow(/no working time for \d+ days/);
    expect(() => explainWorkingTime(saturdays, start, H)).toThrow(/no working time for \d+ days/);
    expect(() => nextWorkingInstant(saturdays, start)).toThrow(/no working time in the \d+ days/);
    // but a long, finite run is fine: from 2037 on Saturdays work again
    expect(new Date(addWorkingTime(saturdays, at('2036-12-01T00:00'), H).dueMs).toISOString()).toBe('2038-01-02T08:00:00.000Z');
  });
});

describe('docs/calendar-format.md examples', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readFileSync } = require('node:fs') as typeof import('node:fs');
  const doc = readFileSync(`${__dirname}/../../../docs/calendar-format.md`, 'utf8');
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] as string);
  it('the calendar and the versioned calendar examples compile', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    expect(() => compileCalendar(JSON.parse(blocks[0] as string) as CalendarSpec)).not.toThrow();
    expect(compileVersionedCalendar(JSON.parse(blocks[2] as string) as never).versions).toHaveLength(2);
  });
});
