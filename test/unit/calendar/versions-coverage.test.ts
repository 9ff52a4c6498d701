// Versions (a change takes effect from an instant; old versions explain old deadlines) and
// coverage (exception data known up to a date; past it results are flagged extrapolated).
import {
  addWorkingTime,
  calendarAt,
  calendarVersion,
  compileCalendar,
  compileVersionedCalendar,
  coverageWarning,
  describeCoverage,
  explainWorkingTime,
  loadShippedCalendar,
  loadShippedVersionedCalendar,
  workingTimeBetween,
} from '../../../domain/calendar';
import { H, WEEKDAYS_10_18, at, iso } from './helpers';

const EKB = 'Asia/Yekaterinburg';

describe('versioned calendars', () => {
  const office = loadShippedVersionedCalendar('office-yekaterinburg');

  it('picks the version in force at an instant; the change takes effect exactly at effectiveFrom', () => {
    const change = at('2026-03-01T00:00', EKB);
    expect(calendarAt(office, change - 1).versionId).toBe('2024');
    expect(calendarAt(office, change).versionId).toBe('2026-03');
    expect(calendarAt(office, at('2020-01-01T00:00', EKB)).versionId).toBe('2024'); // first version answers for the past
    expect(calendarAt(office, change).effectiveFromMs).toBe(change);
  });
  it('the same request gets different deadlines under each version; the old one stays explainable', () => {
    const start = at('2026-03-02T08:00', EKB);
    expect(iso(addWorkingTime(calendarAt(office, start), start, H).dueMs, EKB)).toBe('2026-03-02T09:30:00+05:00');
    const old = calendarVersion(office, '2024');
    expect(old).toBeDefined();
    if (old) expect(iso(explainWorkingTime(old, start, H).dueMs, EKB)).toBe('2026-03-02T10:00:00+05:00');
    expect(calendarVersion(office, 'nope')).toBeUndefined();
  });
  it('a plain spec is a single version', () => {
    const v = compileVersionedCalendar({ id: 'plain', timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 });
    expect(v.versions).toHaveLength(1);
    expect(calendarAt(v, 0).versionId).toBe('1');
  });
  it('effectiveFrom with an explicit offset or as epoch ms', () => {
    const v = compileVersionedCalendar({
      id: 'c',
      versions: [
        { versionId: 'a', timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 },
        { versionId: 'b', effectiveFrom: '2026-06-01T00:00:00Z', timezone: 'Europe/Moscow', week: { mon: [['00:00', '24:00']] } },
        { versionId: 'c', effectiveFrom: Date.UTC(2027, 0, 1), timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 },
      ],
    });
    expect(calendarAt(v, Date.UTC(2026, 5, 1) - 1).versionId).toBe('a');
    expect(calendarAt(v, Date.UTC(2026, 5, 1)).versionId).toBe('b');
    expect(calendarAt(v, Date.UTC(2027, 5, 1)).versionId).toBe('c');
  });
});

describe('coverage and extrapolation', () => {
  const supplier = loadShippedCalendar('supplier');

  it('the supplier calendar is covered 2024-01-01..2027-12-31', () => {
    expect(supplier.coverage).toEqual({ from: '2024-01-01', to: '2027-12-31' });
    expect(describeCoverage(supplier)).toMatch(/coverage ends on 2027-12-31/);
  });
  it('coverageWarning reports the end date when it is within the horizon', () => {
    expect(coverageWarning(supplier, at('2027-11-01T00:00'), 90)).toBe('2027-12-31');
    expect(coverageWarning(supplier, at('2027-09-01T00:00'), 90)).toBeNull();
    expect(coverageWarning(supplier, at('2028-06-01T00:00'), 0)).toBe('2027-12-31'); // already past
    expect(coverageWarning(loadShippedCalendar('always-on'), at('2027-11-01T00:00'), 10_000)).toBeNull();
  });
  it('results inside the coverage are not extrapolated; a budget running into 2028 is', () => {
    expect(addWorkingTime(supplier, at('2027-12-30T10:00'), 8 * H).extrapolated).toBe(false);
    expect(addWorkingTime(supplier, at('2027-12-30T10:00'), 8 * H + 1).extrapolated).toBe(true);
    const e = explainWorkingTime(supplier, at('2027-12-30T17:00'), 8 * H);
    expect(iso(e.dueMs)).toBe('2028-01-10T17:00:00+03:00'); // 31 Dec 2027 off, 1-8 Jan statutory, 9th Sunday
    expect(e.extrapolated).toBe(true);
    expect(e.intervals.map((i) => i.extrapolated)).toEqual([false, true]);
  });
  it('past the coverage: weekly schedule + statutory fixed-date holidays (23 Feb 2028 is a Wednesday)', () => {
    const r = addWorkingTime(supplier, at('2028-02-22T17:00'), 8 * H);
    expect(iso(r.dueMs)).toBe('2028-02-24T17:00:00+03:00');
    expect(r.extrapolated).toBe(true);
    expect(workingTimeBetween(supplier, at('2028-05-01T00:00'), at('2028-05-02T00:00')).workingMs).toBe(0);
  });
  it('before the coverage is extrapolated too', () => {
    expect(addWorkingTime(supplier, at('2023-12-29T17:00'), 2 * H).extrapolated).toBe(true);
    expect(workingTimeBetween(supplier, at('2023-12-29T00:00'), at('2024-01-10T00:00')).extrapolated).toBe(true);
  });
  it('a calendar with no exception sets is unbounded, with its own coverage it is bounded', () => {
    const plain = compileCalendar({ timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 });
    expect(plain.coverage).toEqual({ from: null, to: null });
    const own = compileCalendar({ timezone: 'Europe/Moscow', week: WEEKDAYS_10_18, coverage: { from: '2026-01-01', to: '2026-06-30' } });
    expect(coverageWarning(own, at('2026-06-01T00:00'), 30)).toBe('2026-06-30');
  });
});
