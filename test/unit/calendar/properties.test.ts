// Property-based tests (fast-check) over the shipped calendars and randomly generated ones.
//
// The laws, for every calendar, start s and budgets a, b, d >= 0 (integer ms):
//   1. workingTimeBetween(s, add(s, d)) = d                        (add is the inverse of between)
//   2. add(add(s, a), b) = add(s, a + b)                           (holds for a = 0 or b = 0 too,
//      because add(s, 0) = s and add returns the *earliest* instant the budget is used up)
//      but note add(s, d) = add(nextWorkingInstant(s), d) only for d > 0: a zero budget does not move s.
//   3. for d > 0 the due instant closes working time: the millisecond before it is working
//      (so the due instant is working itself or the end of a working interval), and it is > s
//   4. add is monotonic in the start and in the budget; between is additive over adjacent ranges
//   5. explainWorkingTime agrees with add, its intervals are working time and add up to d
// Plus an independent oracle (luxon, day by day) for plain weekly calendars in zones without DST,
// and for the supplier calendar straight from the production-calendar JSON.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import ru from '../../../calendars/ru-production-calendar.json';
import {
  addWorkingTime,
  compileCalendar,
  explainWorkingTime,
  isWorkingInstant,
  loadShippedCalendar,
  nextWorkingInstant,
  workingTimeBetween,
  WEEKDAYS,
} from '../../../domain/calendar';
import type { Calendar, CalendarSpec, TimeRange } from '../../../domain/calendar';
import { H, at } from './helpers';

const hhmm = (m: number): string => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** 0-3 disjoint ranges in one day, minute precision, possibly ending at 24:00. */
const dayRanges = fc
  .uniqueArray(fc.integer({ min: 0, max: 1440 }), { maxLength: 6 })
  .map((points) => {
    const p = [...points].sort((a, b) => a - b);
    const ranges: TimeRange[] = [];
    for (let i = 0; i + 1 < p.length; i += 2) {
      const s = p[i] as number;
      const e = p[i + 1] as number;
      if (s < 1440) ranges.push([hhmm(s), hhmm(e)]);
    }
    return ranges;
  });

const ZONES = ['Europe/Moscow', 'Asia/Yekaterinburg', 'UTC', 'Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe'];
const NO_DST_ZONES = ['Europe/Moscow', 'Asia/Yekaterinburg', 'UTC', 'Asia/Kolkata', 'Asia/Tokyo'];

const minutesOf = ([from, to]: TimeRange) => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return m(to) - m(from);
};

/**
 * A week with at least an hour of working time: the largest budget (2000 h) must end within the
 * supported dates (to 2199) from any start, and a week of one working minute would need
 * 120,000 weeks for it (seen: seed -1828847956).
 */
function weekArb(): fc.Arbitrary<CalendarSpec['week']> {
  return fc.tuple(...WEEKDAYS.map(() => dayRanges)).map((days) => {
    const week = Object.fromEntries(WEEKDAYS.map((d, i) => [d, days[i] as TimeRange[]])) as Record<string, TimeRange[]>;
    const weekly = Object.values(week).reduce((sum, ranges) => sum + ranges.reduce((s, r) => s + minutesOf(r), 0), 0);
    if (weekly < 60) week.wed = [['09:00', '17:00']];
    return week;
  });
}

const dateIn2026 = fc.integer({ min: 0, max: 364 }).map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));

const randomSpec: fc.Arbitrary<CalendarSpec> = fc.record({
  timezone: fc.constantFrom(...ZONES),
  week: weekArb(),
  exceptionSets: fc.constantFrom<string[]>([], ['ru-production']),
  holidays: fc.uniqueArray(dateIn2026, { maxLength: 5 }),
  closures: fc.array(
    fc.tuple(dateIn2026, fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 1, max: 600 })).map(([date, s, len]) => ({
      date,
      from: hhmm(s),
      to: hhmm(Math.min(1440, s + len)),
    })),
    { maxLength: 3 },
  ),
});

const calendars: fc.Arbitrary<Calendar> = fc.oneof(
  fc.constantFrom(
    loadShippedCalendar('supplier'),
    loadShippedCalendar('office-yekaterinburg', at('2025-06-01T00:00')),
    loadShippedCalendar('always-on'),
  ),
  randomSpec.map((spec) => compileCalendar(spec)),
);

const START_MIN = Date.UTC(2023, 9, 1);
const START_MAX = Date.UTC(2028, 2, 1);
const start = fc.integer({ min: START_MIN, max: START_MAX });
const budget = fc.oneof(
  fc.integer({ min: 0, max: 60 * H }),
  fc.integer({ min: 0, max: 400 }).map((h) => h * H),
  fc.constantFrom(0, 1, H, 8 * H, 40 * H),
  fc.integer({ min: 0, max: 2000 * H }),
);

const RUNS = { numRuns: 300 };

describe('calendar laws (fast-check)', () => {
  it('1. between(s, add(s, d)) = d', () => {
    fc.assert(
      fc.property(calendars, start, budget, (cal, s, d) => {
        const due = addWorkingTime(cal, s, d).dueMs;
        expect(workingTimeBetween(cal, s, due).workingMs).toBe(d);
      }),
      RUNS,
    );
  });

  it('2. add(add(s, a), b) = add(s, a + b), including zero budgets', () => {
    fc.assert(
      fc.property(calendars, start, budget, budget, (cal, s, a, b) => {
        const twoSteps = addWorkingTime(cal, addWorkingTime(cal, s, a).dueMs, b).dueMs;
        expect(twoSteps).toBe(addWorkingTime(cal, s, a + b).dueMs);
      }),
      RUNS,
    );
  });

  it('2b. add(s, 0) = s, and add(s, d) = add(nextWorkingInstant(s), d) for d > 0', () => {
    fc.assert(
      fc.property(calendars, start, budget, (cal, s, d) => {
        expect(addWorkingTime(cal, s, 0).dueMs).toBe(s);
        if (d > 0) expect(addWorkingTime(cal, nextWorkingInstant(cal, s), d).dueMs).toBe(addWorkingTime(cal, s, d).dueMs);
      }),
      RUNS,
    );
  });

  it('3. a due instant never falls inside non-working time except at an interval end', () => {
    fc.assert(
      fc.property(calendars, start, budget.filter((d) => d > 0), (cal, s, d) => {
        const due = addWorkingTime(cal, s, d).dueMs;
        expect(due).toBeGreaterThan(s);
        expect(isWorkingInstant(cal, due - 1)).toBe(true);
      }),
      RUNS,
    );
  });

  it('4. monotonic in start and budget; between is additive', () => {
    fc.assert(
      fc.property(calendars, start, start, budget, budget, (cal, s1, s2, d1, d2) => {
        const [sLo, sHi] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [dLo, dHi] = d1 <= d2 ? [d1, d2] : [d2, d1];
        expect(addWorkingTime(cal, sLo, dLo).dueMs).toBeLessThanOrEqual(addWorkingTime(cal, sHi, dLo).dueMs);
        expect(addWorkingTime(cal, sLo, dLo).dueMs).toBeLessThanOrEqual(addWorkingTime(cal, sLo, dHi).dueMs);
        const mid = sLo + Math.floor((sHi - sLo) / 3);
        expect(workingTimeBetween(cal, sLo, mid).workingMs + workingTimeBetween(cal, mid, sHi).workingMs).toBe(
          workingTimeBetween(cal, sLo, sHi).workingMs,
        );
      }),
      RUNS,
    );
  });

  it('5. explainWorkingTime agrees with add; its intervals are working time and sum to d', () => {
    fc.assert(
      fc.property(calendars, start, budget.map((d) => d % (300 * H)), (cal, s, d) => {
        const e = explainWorkingTime(cal, s, d);
        const a = addWorkingTime(cal, s, d);
        expect(e.dueMs).toBe(a.dueMs);
        expect(e.extrapolated).toBe(a.extrapolated);
        expect(e.intervals.reduce((sum, i) => sum + i.workingMs, 0)).toBe(d);
        for (const i of e.intervals) {
          expect(isWorkingInstant(cal, i.startMs)).toBe(true);
          expect(isWorkingInstant(cal, i.endMs - 1)).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });
});

/** Reference addWorkingTime: day by day, interval ends computed by luxon; `hoursOf(date, weekday)` gives a day's ranges. */
function referenceAdd(zone: string, hoursOf: (date: DateTime) => readonly TimeRange[], startMs: number, budgetMs: number): number {
  if (budgetMs === 0) return startMs;
  let remaining = budgetMs;
  let day = DateTime.fromMillis(startMs, { zone }).startOf('day');
  for (let i = 0; i < 5000; i++, day = day.plus({ days: 1 })) {
    for (const [from, to] of hoursOf(day)) {
      const toInstant = (t: string): number =>
        t === '24:00' ? day.plus({ days: 1 }).toMillis() : day.set({ hour: Number(t.slice(0, 2)), minute: Number(t.slice(3)) }).toMillis();
      const s = Math.max(toInstant(from), startMs);
      const e = toInstant(to);
      if (e <= s) continue;
      if (remaining <= e - s) return s + remaining;
      remaining -= e - s;
    }
  }
  throw new Error('reference: too many days');
}

describe('independent oracle (luxon, day by day)', () => {
  it('plain weekly calendars in zones without DST', () => {
    fc.assert(
      fc.property(fc.constantFrom(...NO_DST_ZONES), weekArb(), start, budget, (zone, week, s, rawBudget) => {
        const cal = compileCalendar({ timezone: zone, week });
        // At most 100 weeks of this calendar's working time, so the day-by-day oracle stays bounded.
        const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
        const weeklyMs = Object.values(week).flat().reduce((sum, [from, to]) => sum + (minutes(to) - minutes(from)) * 60_000, 0);
        const d = rawBudget % Math.min(300 * H, 100 * weeklyMs);
        const hoursOf = (date: DateTime): readonly TimeRange[] => week[WEEKDAYS[date.weekday - 1] as keyof typeof week] ?? [];
        expect(addWorkingTime(cal, s, d).dueMs).toBe(referenceAdd(zone, hoursOf, s, d));
      }),
      { numRuns: 200 },
    );
  });

  it('the supplier calendar, rebuilt from calendars/ru-production-calendar.json by its README rule', () => {
    const years = ru.years as Record<string, { holidays: string[]; workingWeekendDays: string[]; shortDays: string[] }>;
    const all = (k: 'holidays' | 'workingWeekendDays' | 'shortDays'): Set<string> => new Set(Object.values(years).flatMap((y) => y[k]));
    const holidays = all('holidays');
    const workingWeekend = all('workingWeekendDays');
    const short = all('shortDays');
    // "A date is a working day if it is Mon-Fri and not in holidays, or if it is in workingWeekendDays."
    const hoursOf = (date: DateTime): readonly TimeRange[] => {
      const d = date.toISODate() as string;
      const working = (date.weekday <= 5 && !holidays.has(d)) || workingWeekend.has(d);
      if (!working) return [];
      return [['10:00', short.has(d) ? '17:00' : '18:00']];
    };
    const supplier = loadShippedCalendar('supplier');
    const inData = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2026, 11, 1) });
    fc.assert(
      fc.property(inData, budget.map((d) => d % (600 * H)), (s, d) => {
        const ours = addWorkingTime(supplier, s, d);
        if (!ours.extrapolated) expect(ours.dueMs).toBe(referenceAdd('Europe/Moscow', hoursOf, s, d));
      }),
      { numRuns: 300 },
    );
  });
});
