// Importing holidays and closures from an iCalendar file (fixture: test/fixtures/calendar/office-closures.ics).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalendarDefinitionError, compileCalendar, ICS_LIMITS, IcsLimitError, importIcs, workingTimeBetween } from '../../../domain/calendar';
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

describe('importIcs bounds its work per file', () => {
  const event = (uid: string, rule: string, start = 'DTSTART;VALUE=DATE:20260101') => `BEGIN:VEVENT\r\nUID:${uid}\r\nSUMMARY:Holiday ${uid}\r\n${start}\r\nRRULE:${rule}\r\nEND:VEVENT\r\n`;
  const file = (...events: string[]) => `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n${events.join('')}END:VCALENDAR\r\n`;
  // No wall-time budget unless a test sets one: the step and date budgets are deterministic.
  const refusal = (text: string, limits: Partial<typeof ICS_LIMITS> = { wallMs: 600_000 }): IcsLimitError => {
    try {
      importIcs(text, { limits });
    } catch (e) {
      if (e instanceof IcsLimitError) return e;
      throw e;
    }
    throw new Error('imported');
  };

  // On main this call never returned: ical.js spins inside one next() on a rule that never matches.
  // The timeout bounds a stall; it is not a performance assertion.
  it('refuses a rule that never matches (DAILY;BYMONTH=2;BYMONTHDAY=30), naming the event', () => {
    const err = refusal(file(event('feb-30', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;UNTIL=20300101')));
    expect(err).toMatchObject({ uid: 'feb-30', summary: 'Holiday feb-30' });
    expect(err.message).toMatch(/^event UID "feb-30" "Holiday feb-30": its recurrence rule tries more than 25000 candidate dates/);
  }, 20_000);

  it('counts the steps of all events together: many cheap-looking rules are refused as a file', () => {
    // Each rule stays under the per-event budget (one step a day from 1990: ~16.7k each)...
    const rule = 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=28;UNTIL=20351231';
    const events = Array.from({ length: 40 }, (_, i) => event(`e${i}`, rule, 'DTSTART;VALUE=DATE:19900228'));
    expect(importIcs(file(...events.slice(0, 1))).holidays.length).toBeGreaterThan(40);
    // ...but not all of them.
    expect(refusal(file(...events)).reason).toBe(`the file's recurrence rules try more than ${ICS_LIMITS.stepsPerFile} candidate dates in all`);
  }, 20_000);

  it('caps the dates produced across the whole file, not per event', () => {
    // 1000 occurrences each (the per-event cap): 30 events pass the file's 20,000.
    const events = Array.from({ length: 30 }, (_, i) => event(`d${i}`, 'FREQ=DAILY;COUNT=1000', `DTSTART;VALUE=DATE:${2026 + (i % 5)}0101`));
    const err = refusal(file(...events));
    expect(err.reason).toBe(`the file yields more than ${ICS_LIMITS.entriesPerFile} holiday dates and closures`);
    expect(err.uid).toMatch(/^d\d+$/);
  }, 20_000);

  it('stops on wall time too, checked inside a spinning rule', () => {
    const err = refusal(file(event('slow', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30')), { wallMs: 1, stepsPerEvent: Infinity, stepsPerFile: Infinity });
    expect(err).toMatchObject({ uid: 'slow', reason: 'the file takes more than 0.001 s to import; split it' });
  }, 20_000);

  it('a rule ical.js cannot iterate is skipped with its reason, not a crash', () => {
    const r = importIcs(file(event('w', 'FREQ=WEEKLY;BYDAY=MO;BYMONTHDAY=30')));
    expect(r.skipped).toEqual([{ summary: 'Holiday w', reason: expect.stringMatching(/^unusable recurrence rule: .*BYMONTHDAY/) }]);
  });
});
