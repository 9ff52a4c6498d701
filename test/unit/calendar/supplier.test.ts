// Hand-checked cases on the vendor's supplier calendar: Mon-Fri 10:00-18:00 Moscow + the Russian
// production calendar (short days end 17:00, transferred working Saturdays 10-18 / 10-17).
import {
  addWorkingTime,
  explainWorkingTime,
  isWorkingInstant,
  loadShippedCalendar,
  nextWorkingInstant,
  supplierCalendarSpec,
  workingTimeBetween,
  compileCalendar,
} from '../../../domain/calendar';
import { H, at, iso } from './helpers';

const supplier = loadShippedCalendar('supplier');
const add = (start: string, hours: number): string => iso(addWorkingTime(supplier, at(start), hours * H).dueMs);
const between = (from: string, to: string): number => workingTimeBetween(supplier, at(from), at(to)).workingMs / H;

describe('supplier calendar: the source example', () => {
  it('Friday 17:00 + 8 working hours = Monday 17:00 (1 h Friday + 7 h Monday)', () => {
    expect(add('2026-11-27T17:00', 8)).toBe('2026-11-30T17:00:00+03:00');
  });
  it('when Monday is a holiday it is the next working day: Fri 2026-03-06 17:00 + 8 h = Tue 2026-03-10 17:00', () => {
    // 2026-03-08 (Sunday) moves the day off to Monday 2026-03-09
    expect(add('2026-03-06T17:00', 8)).toBe('2026-03-10T17:00:00+03:00');
  });
  it('supplierCalendarSpec compiles to the same calendar', () => {
    const cal = compileCalendar(supplierCalendarSpec);
    expect(addWorkingTime(cal, at('2026-11-27T17:00'), 8 * H).dueMs).toBe(at('2026-11-30T17:00'));
  });
});

describe('supplier calendar: edges of working intervals', () => {
  it('a budget used up exactly at the end of the day ends there: 17:00 + 1 h = 18:00 the same day', () => {
    expect(add('2026-11-25T17:00', 1)).toBe('2026-11-25T18:00:00+03:00');
  });
  it('one millisecond more moves to the next working day', () => {
    const r = addWorkingTime(supplier, at('2026-11-25T17:00'), H + 1);
    expect(r.dueMs).toBe(at('2026-11-26T10:00') + 1);
  });
  it('a zero budget does not move the start, even at night', () => {
    expect(addWorkingTime(supplier, at('2026-11-28T03:00'), 0).dueMs).toBe(at('2026-11-28T03:00'));
  });
  it('counting starts at the first working instant at or after the start', () => {
    expect(add('2026-11-28T12:00', 1)).toBe('2026-11-30T11:00:00+03:00'); // Saturday -> Monday 10:00 + 1 h
    expect(add('2026-11-30T07:00', 2)).toBe('2026-11-30T12:00:00+03:00');
    expect(add('2026-11-30T18:00', 1)).toBe('2026-12-01T11:00:00+03:00');
  });
  it('a 40-hour budget from Monday 10:00 ends Friday 18:00 of the same week', () => {
    expect(add('2026-11-23T10:00', 40)).toBe('2026-11-27T18:00:00+03:00');
  });
  it('isWorkingInstant: intervals are half-open', () => {
    expect(isWorkingInstant(supplier, at('2026-11-27T10:00'))).toBe(true);
    expect(isWorkingInstant(supplier, at('2026-11-27T17:59:59.999'))).toBe(true);
    expect(isWorkingInstant(supplier, at('2026-11-27T18:00'))).toBe(false);
    expect(isWorkingInstant(supplier, at('2026-11-28T12:00'))).toBe(false); // Saturday
    expect(isWorkingInstant(supplier, at('2026-01-05T12:00'))).toBe(false); // New Year holidays
  });
  it('nextWorkingInstant: itself when working, else the next opening', () => {
    expect(iso(nextWorkingInstant(supplier, at('2026-11-27T12:34')))).toBe('2026-11-27T12:34:00+03:00');
    expect(iso(nextWorkingInstant(supplier, at('2026-11-27T18:00')))).toBe('2026-11-30T10:00:00+03:00');
    expect(iso(nextWorkingInstant(supplier, at('2025-12-30T19:00')))).toBe('2026-01-12T10:00:00+03:00');
  });
});

describe('supplier calendar: the Russian production calendar', () => {
  it('New Year 2026: Tue 2025-12-30 15:00 + 8 h = Mon 2026-01-12 15:00 (31 Dec and 1-9 Jan are off)', () => {
    expect(add('2025-12-30T15:00', 8)).toBe('2026-01-12T15:00:00+03:00');
  });
  it('New Year 2027: Wed 2026-12-30 (a full day: 31 Dec is a transferred day off) 17:00 + 8 h = Mon 2027-01-11 17:00', () => {
    expect(add('2026-12-30T17:00', 8)).toBe('2027-01-11T17:00:00+03:00');
  });
  it('a request registered during the holidays starts counting on the first working day', () => {
    expect(add('2026-01-03T12:00', 16)).toBe('2026-01-13T18:00:00+03:00');
  });
  it('short working Saturday 2025-11-01 (10:00-17:00): Fri 17:00 + 8 h = Sat 17:00', () => {
    const e = explainWorkingTime(supplier, at('2025-10-31T17:00'), 8 * H);
    expect(iso(e.dueMs)).toBe('2025-11-01T17:00:00+03:00');
    expect(e.intervals.map((i) => [i.date, i.kind, i.workingMs / H])).toEqual([
      ['2025-10-31', 'regular', 1],
      ['2025-11-01', 'short-working-weekend', 7],
    ]);
    // one more hour skips Sunday and the 3-4 November holidays
    expect(add('2025-10-31T17:00', 9)).toBe('2025-11-05T11:00:00+03:00');
  });
  it('working Saturdays of 2024: 27 April and 28 December work 10:00-18:00', () => {
    expect(add('2024-04-26T17:00', 9)).toBe('2024-04-27T18:00:00+03:00');
    expect(add('2024-04-26T17:00', 10)).toBe('2024-05-02T11:00:00+03:00'); // 29 Apr-1 May off
    expect(add('2024-12-27T17:00', 9)).toBe('2024-12-28T18:00:00+03:00');
    expect(add('2024-12-27T17:00', 10)).toBe('2025-01-09T11:00:00+03:00'); // 30 Dec-8 Jan off
    expect(explainWorkingTime(supplier, at('2024-04-27T09:00'), H).intervals[0]?.kind).toBe('working-weekend');
  });
  it('2024-11-02 is a short working Saturday', () => {
    expect(between('2024-11-02T00:00', '2024-11-03T00:00')).toBe(7);
  });
  it('a short day ends at 17:00: Tue 2026-11-03 16:00 + 1 h = 17:00; + 2 h = Thu 11:00 (4 Nov is a holiday)', () => {
    expect(add('2026-11-03T16:00', 1)).toBe('2026-11-03T17:00:00+03:00');
    expect(add('2026-11-03T16:00', 2)).toBe('2026-11-05T11:00:00+03:00');
    expect(explainWorkingTime(supplier, at('2026-11-03T16:00'), H).intervals[0]?.kind).toBe('short-day');
  });
  it.each([
    [2024, 1979],
    [2025, 1972],
    [2026, 1972],
    [2027, 1972],
  ])('working hours in %i equal the official 40-hour norm (%i h)', (year, hours) => {
    const r = workingTimeBetween(supplier, at(`${year}-01-01T00:00`), at(`${year + 1}-01-01T00:00`));
    expect(r.workingMs / H).toBe(hours);
    expect(r.extrapolated).toBe(false);
  });
});

describe('supplier calendar: workingTimeBetween', () => {
  it('Friday 17:00 to Monday 12:00 = 1 h + 2 h', () => {
    expect(between('2026-11-27T17:00', '2026-11-30T12:00')).toBe(3);
  });
  it('is 0 for an empty or reversed range', () => {
    expect(between('2026-11-27T12:00', '2026-11-27T12:00')).toBe(0);
    expect(between('2026-11-27T13:00', '2026-11-27T12:00')).toBe(0);
  });
  it('counts [from, to): both ends inside one interval', () => {
    expect(between('2026-11-27T10:30', '2026-11-27T11:15')).toBe(0.75);
  });
});

describe('explainWorkingTime', () => {
  it('lists the consumed intervals with local dates; they add up to the budget', () => {
    const e = explainWorkingTime(supplier, at('2026-11-27T17:00'), 8 * H);
    expect(e.intervals.map((i) => [i.date, iso(i.startMs), iso(i.endMs), i.kind])).toEqual([
      ['2026-11-27', '2026-11-27T17:00:00+03:00', '2026-11-27T18:00:00+03:00', 'regular'],
      ['2026-11-30', '2026-11-30T10:00:00+03:00', '2026-11-30T17:00:00+03:00', 'regular'],
    ]);
    expect(e.dueMs).toBe(addWorkingTime(supplier, at('2026-11-27T17:00'), 8 * H).dueMs);
  });
  it('a zero budget has no intervals', () => {
    expect(explainWorkingTime(supplier, at('2026-11-27T17:00'), 0).intervals).toEqual([]);
  });
});
