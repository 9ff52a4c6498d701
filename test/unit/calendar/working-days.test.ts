import { compileCalendar, endOfWorkingDays, loadShippedCalendar } from '../../../domain/calendar';
import { at, WEEKDAYS_10_18 } from './helpers';

describe('endOfWorkingDays (the auto-close rule)', () => {
  const supplier = loadShippedCalendar('supplier');

  it('counts working days after the day of the instant and ends at that day’s last working minute', () => {
    // Resolved Monday: 5 working days later is the next Monday, 18:00.
    expect(endOfWorkingDays(supplier, at('2026-12-07T12:00'), 5)).toBe(at('2026-12-14T18:00'));
    // Resolved on a Saturday: the day of resolution is not a working day and does not count either.
    expect(endOfWorkingDays(supplier, at('2026-12-05T12:00'), 1)).toBe(at('2026-12-07T18:00'));
    // Resolved Friday evening after hours: Monday is the first working day after it.
    expect(endOfWorkingDays(supplier, at('2026-12-04T20:00'), 1)).toBe(at('2026-12-07T18:00'));
  });

  it('skips the New Year holidays: from 30 December 2026 the next working days are 11 and 12 January', () => {
    expect(endOfWorkingDays(supplier, at('2026-12-30T12:00'), 1)).toBe(at('2027-01-11T18:00'));
    expect(endOfWorkingDays(supplier, at('2026-12-30T12:00'), 2)).toBe(at('2027-01-12T18:00'));
  });

  it('is null when there is no such working day (zero days), and works on any calendar', () => {
    expect(endOfWorkingDays(supplier, at('2026-12-07T12:00'), 0)).toBeNull();
    expect(endOfWorkingDays(compileCalendar({ id: 'w', timezone: 'Europe/Moscow', week: WEEKDAYS_10_18 }), at('2026-12-07T12:00'), 1)).toBe(at('2026-12-08T18:00'));
  });
});
