// Importing holidays and closures from an iCalendar file (fixture: test/fixtures/calendar/office-closures.ics).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalendarDefinitionError, compileCalendar, importIcs, workingTimeBetween } from '../../../domain/calendar';
import { H, WEEKDAYS_10_18, at } from './helpers';

const fixture = readFileSync(join(__dirname, '../../fixtures/calendar/office-closures.ics'), 'utf8');

describe('importIcs', () => {
  const result = importIcs(fixture, { timezone: 'Europe/Moscow' });

  it('turns all-day events into holidays (DTEND exclusive), expanding yearly recurrences', () => {
    expect(result.holidays).toEqual(['2026-01-01', '2026-01-02', '2026-02-23', '2026-04-15', '2027-04-15', '2028-04-15']);
  });
  it('turns same-day timed events into partial closures; UTC times are converted to the given zone', () => {
    expect(result.closures).toEqual([
      { date: '2026-03-20', from: '14:00', to: '18:00', reason: 'All-hands meeting' },
      { date: '2026-03-24', from: '12:00', to: '13:00', reason: 'Server maintenance' },
    ]);
  });
  it('skips cancelled events silently and reports unusable ones', () => {
    expect(result.holidays).not.toContain('2026-06-01');
    expect(result.skipped).toEqual([{ summary: 'Overnight migration', reason: 'timed event does not start and end on the same date' }]);
  });
  it('without a zone, UTC times are read as written', () => {
    expect(importIcs(fixture).closures[1]).toEqual({ date: '2026-03-24', from: '09:00', to: '10:00', reason: 'Server maintenance' });
  });
  it('stops recurrences at `until`', () => {
    expect(importIcs(fixture, { until: '2026-12-31' }).holidays).not.toContain('2027-04-15');
  });
  it('the result plugs straight into a calendar spec', () => {
    const cal = compileCalendar({ timezone: 'Europe/Moscow', week: WEEKDAYS_10_18, holidays: result.holidays, closures: result.closures });
    expect(workingTimeBetween(cal, at('2026-03-20T00:00'), at('2026-03-21T00:00')).workingMs).toBe(4 * H);
    expect(workingTimeBetween(cal, at('2026-02-23T00:00'), at('2026-02-24T00:00')).workingMs).toBe(0);
  });
  it('is pure: the same text gives the same result', () => {
    expect(importIcs(fixture, { timezone: 'Europe/Moscow' })).toEqual(result);
  });
  it('rejects text that is not iCalendar', () => {
    expect(() => importIcs('hello')).toThrow(CalendarDefinitionError);
    expect(() => importIcs('hello')).toThrow(/^ics: not a valid iCalendar file/);
    expect(() => importIcs(fixture, { timezone: 'Mars/Olympus' })).toThrow(/unknown time zone/);
  });
});
