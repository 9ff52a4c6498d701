// Office calendars: lunch breaks, partial closures, other zones, 24x7, shipped examples.
import {
  addWorkingTime,
  compileCalendar,
  explainWorkingTime,
  loadShippedCalendar,
  nextWorkingInstant,
  workingTimeBetween,
} from '../../../domain/calendar';
import type { CalendarSpec } from '../../../domain/calendar';
import { H, WEEKDAYS_10_18, at, iso } from './helpers';

const EKB = 'Asia/Yekaterinburg';

describe('Yekaterinburg office (version 2024: 09:00-13:00, 14:00-18:00)', () => {
  const office = loadShippedCalendar('office-yekaterinburg', at('2025-06-01T00:00', EKB));
  const add = (start: string, hours: number): string => iso(addWorkingTime(office, at(start, EKB), hours * H).dueMs, EKB);

  it('uses the 2024 version for 2025', () => {
    expect(office.versionId).toBe('2024');
    expect(office.timezone).toBe(EKB);
  });
  it('the lunch break is not counted: 12:00 + 2 h = 15:00', () => {
    expect(add('2025-12-25T12:00', 2)).toBe('2025-12-25T15:00:00+05:00');
  });
  it('a budget ending at the start of lunch ends at 13:00, not 14:00', () => {
    expect(add('2025-12-25T12:00', 1)).toBe('2025-12-25T13:00:00+05:00');
  });
  it('a start during lunch counts from 14:00', () => {
    expect(add('2025-12-25T13:20', 1)).toBe('2025-12-25T15:00:00+05:00');
    expect(iso(nextWorkingInstant(office, at('2025-12-25T13:20', EKB)), EKB)).toBe('2025-12-25T14:00:00+05:00');
  });
  it('the partial closure on 2025-12-26 14:00-18:00 is skipped', () => {
    const e = explainWorkingTime(office, at('2025-12-26T12:00', EKB), 2 * H);
    expect(iso(e.dueMs, EKB)).toBe('2025-12-29T10:00:00+05:00');
    expect(e.intervals.map((i) => [i.date, i.kind])).toEqual([
      ['2025-12-26', 'partial-closure'],
      ['2025-12-29', 'regular'],
    ]);
  });
  it('a working day has 8 hours', () => {
    expect(workingTimeBetween(office, at('2025-12-25T00:00', EKB), at('2025-12-26T00:00', EKB)).workingMs).toBe(8 * H);
  });
  it('the Russian production calendar applies in the office zone', () => {
    expect(add('2025-12-30T17:00', 2)).toBe('2026-01-12T10:00:00+05:00');
  });
});

describe('Moscow office (Mon-Fri 09-20, Sat 10-16)', () => {
  const office = loadShippedCalendar('office-moscow');
  it('works on Saturday', () => {
    expect(iso(addWorkingTime(office, at('2026-11-27T19:00'), 2 * H).dueMs)).toBe('2026-11-28T11:00:00+03:00');
  });
  it('own holiday 2026-12-26 (a Saturday) closes it', () => {
    expect(iso(addWorkingTime(office, at('2026-12-25T19:00'), 2 * H).dueMs)).toBe('2026-12-28T10:00:00+03:00');
  });
  it('partial closure 2026-04-15 09:00-12:00', () => {
    expect(iso(nextWorkingInstant(office, at('2026-04-15T08:00')))).toBe('2026-04-15T12:00:00+03:00');
  });
});

describe('24x7 calendar', () => {
  const cal = loadShippedCalendar('always-on');
  it('adds wall time, across midnight and weekends', () => {
    expect(iso(addWorkingTime(cal, at('2026-11-27T17:00'), 8 * H).dueMs)).toBe('2026-11-28T01:00:00+03:00');
    expect(iso(addWorkingTime(cal, at('2026-11-27T17:00'), 2000 * H).dueMs)).toBe(iso(at('2026-11-27T17:00') + 2000 * H));
  });
  it('a budget ending at midnight ends at 24:00 = next 00:00', () => {
    expect(iso(addWorkingTime(cal, at('2026-11-27T23:00'), H).dueMs)).toBe('2026-11-28T00:00:00+03:00');
  });
  it('is never extrapolated (no exception sets)', () => {
    expect(addWorkingTime(cal, at('2100-01-01T00:00'), 100 * H).extrapolated).toBe(false);
  });
});

describe('calendar-own exceptions', () => {
  const base: CalendarSpec = { timezone: 'Europe/Moscow', week: WEEKDAYS_10_18, exceptionSets: ['ru-production'] };
  it('own exceptions override the shared set: open on a set holiday, closed on a set working day', () => {
    const cal = compileCalendar({
      ...base,
      workingDays: [{ date: '2026-01-05', hours: [['12:00', '14:00']] }],
      holidays: ['2026-11-03'],
    });
    expect(workingTimeBetween(cal, at('2026-01-05T00:00'), at('2026-01-06T00:00')).workingMs).toBe(2 * H);
    expect(workingTimeBetween(cal, at('2026-11-03T00:00'), at('2026-11-04T00:00')).workingMs).toBe(0);
    expect(explainWorkingTime(cal, at('2026-01-05T00:00'), H).intervals[0]?.kind).toBe('special-hours');
  });
  it('a short day on a lunch-break schedule takes the hour off the end', () => {
    const cal = compileCalendar({
      timezone: 'Europe/Moscow',
      week: { mon: [['09:00', '13:00'], ['14:00', '14:30']] },
      shortDays: ['2026-11-30'],
    });
    // 4.5 h day shortened by 60 min: 09:00-13:00 remains minus 30 min -> 09:00-12:30
    const e = explainWorkingTime(cal, at('2026-11-30T09:00'), 3.5 * H);
    expect(iso(e.dueMs)).toBe('2026-11-30T12:30:00+03:00');
    expect(workingTimeBetween(cal, at('2026-11-30T00:00'), at('2026-12-01T00:00')).workingMs).toBe(3.5 * H);
  });
  it('several closures on one day', () => {
    const cal = compileCalendar({
      ...base,
      closures: [
        { date: '2026-11-25', from: '11:00', to: '12:00' },
        { date: '2026-11-25', from: '15:00', to: '16:00' },
      ],
    });
    expect(workingTimeBetween(cal, at('2026-11-25T00:00'), at('2026-11-26T00:00')).workingMs).toBe(6 * H);
    expect(iso(addWorkingTime(cal, at('2026-11-25T10:30'), 2 * H).dueMs)).toBe('2026-11-25T13:30:00+03:00');
  });
  it('compiling never mutates the spec, and later changes to the spec do not affect the calendar', () => {
    const spec = JSON.parse(JSON.stringify({ ...base, holidays: ['2026-11-25'] })) as { holidays: string[] } & CalendarSpec;
    const copy = JSON.parse(JSON.stringify(spec)) as unknown;
    const cal = compileCalendar(spec);
    expect(spec).toEqual(copy);
    spec.holidays.push('2026-11-26');
    expect(workingTimeBetween(cal, at('2026-11-26T00:00'), at('2026-11-27T00:00')).workingMs).toBe(8 * H);
    expect(Object.isFrozen(cal.spec)).toBe(true);
  });
});
