// Daylight-saving days: local schedules follow the wall clock, durations are real time.
// Europe/Berlin 2026: spring forward Sun 29 Mar 02:00->03:00, fall back Sun 25 Oct 03:00->02:00.
// America/New_York 2026: spring forward Sun 8 Mar 02:00->03:00, fall back Sun 1 Nov 02:00->01:00.
import { addWorkingTime, compileCalendar, isWorkingInstant, workingTimeBetween } from '../../../domain/calendar';
import { H, at, iso, twentyFourSeven } from './helpers';

const BERLIN = 'Europe/Berlin';
const NY = 'America/New_York';

describe.each([
  [BERLIN, '2026-03-29', '2026-03-30', '2026-10-25', '2026-10-26'],
  [NY, '2026-03-08', '2026-03-09', '2026-11-01', '2026-11-02'],
])('24x7 calendar in %s', (zone, springDay, springNext, fallDay, fallNext) => {
  const cal = twentyFourSeven(zone);
  const hours = (from: string, to: string): number => workingTimeBetween(cal, at(from, zone), at(to, zone)).workingMs / H;

  it('a spring-forward day has 23 working hours', () => {
    expect(hours(`${springDay}T00:00`, `${springNext}T00:00`)).toBe(23);
  });
  it('a fall-back day has 25 working hours', () => {
    expect(hours(`${fallDay}T00:00`, `${fallNext}T00:00`)).toBe(25);
  });
  it('adding 24 working hours from local midnight lands at 01:00 after spring forward, 23:00 after fall back', () => {
    expect(iso(addWorkingTime(cal, at(`${springDay}T00:00`, zone), 24 * H).dueMs, zone)).toBe(
      iso(at(`${springNext}T01:00`, zone), zone),
    );
    expect(iso(addWorkingTime(cal, at(`${fallDay}T00:00`, zone), 24 * H).dueMs, zone)).toBe(iso(at(`${fallDay}T23:00`, zone), zone));
  });
  it('an ordinary week has 168 hours', () => {
    expect(hours('2026-06-01T00:00', '2026-06-08T00:00')).toBe(168);
  });
  it('the whole year has 8760 hours (the DST hour lost in spring comes back in autumn)', () => {
    expect(hours('2026-01-01T00:00', '2027-01-01T00:00')).toBe(8760);
  });
});

describe('working intervals that contain the skipped or repeated hour (Berlin)', () => {
  const cal = compileCalendar({
    timezone: BERLIN,
    week: { sun: [['01:00', '05:00']], mon: [['09:00', '17:00']] },
  });
  const hours = (day: string): number => workingTimeBetween(cal, at(`${day}T00:00`, BERLIN), at(`${day}T23:59`, BERLIN)).workingMs / H;

  it('01:00-05:00 lasts 3 real hours on the spring-forward Sunday, 4 normally, 5 on the fall-back Sunday', () => {
    expect(hours('2026-03-29')).toBe(3);
    expect(hours('2026-03-22')).toBe(4);
    expect(hours('2026-10-25')).toBe(5);
  });
  it('02:30 local does not exist on 29 March; 03:00 CEST is working', () => {
    expect(isWorkingInstant(cal, Date.parse('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
    expect(isWorkingInstant(cal, Date.parse('2026-03-29T03:00:00Z'))).toBe(false); // 05:00 CEST
  });
  it('addWorkingTime crosses the spring-forward gap by real time', () => {
    // 01:30 CET + 1 h = 03:30 CEST
    expect(iso(addWorkingTime(cal, at('2026-03-29T01:30', BERLIN), H).dueMs, BERLIN)).toBe('2026-03-29T03:30:00+02:00');
  });
  it('addWorkingTime runs through the repeated hour on 25 October', () => {
    // 01:30 CEST + 2 h = 02:30 CET (the second 02:30)
    expect(iso(addWorkingTime(cal, at('2026-10-25T01:30', BERLIN), 2 * H).dueMs, BERLIN)).toBe('2026-10-25T02:30:00+01:00');
  });
});

describe('office hours across a DST weekend', () => {
  it('Berlin Mon-Fri 09-17: Friday 16:00 CET + 2 h = Monday 10:00 CEST', () => {
    const cal = compileCalendar({
      timezone: BERLIN,
      week: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
    });
    expect(iso(addWorkingTime(cal, at('2026-03-27T16:00', BERLIN), 2 * H).dueMs, BERLIN)).toBe('2026-03-30T10:00:00+02:00');
    expect(iso(addWorkingTime(cal, at('2026-10-23T16:00', BERLIN), 2 * H).dueMs, BERLIN)).toBe('2026-10-26T10:00:00+01:00');
  });
  it('New York Mon-Fri 08-20 (spring forward at 02:00 Sunday does not touch it)', () => {
    const h = [['08:00', '20:00']] as const;
    const cal = compileCalendar({ timezone: NY, week: { mon: h, tue: h, wed: h, thu: h, fri: h } });
    expect(iso(addWorkingTime(cal, at('2026-03-06T19:00', NY), 2 * H).dueMs, NY)).toBe('2026-03-09T09:00:00-04:00');
    expect(workingTimeBetween(cal, at('2026-03-02T00:00', NY), at('2026-03-16T00:00', NY)).workingMs / H).toBe(120);
  });
});
