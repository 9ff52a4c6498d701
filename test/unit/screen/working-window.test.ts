import { loadShippedCalendar, workingWindowAt } from '../../../domain/calendar';
import { monthOf } from '../../../api/screen/calendar-month';
import { clockText, workingElapsed } from '../../../web/countdown.js';

const supplier = loadShippedCalendar('supplier');
const at = (s: string) => Date.parse(s);

describe('workingWindowAt: where a countdown may tick', () => {
  test('inside working hours: working until the end of the interval', () => {
    expect(workingWindowAt(supplier, at('2026-11-27T12:00:00+03:00'))).toEqual({ working: true, untilMs: at('2026-11-27T18:00:00+03:00') });
  });

  test('Friday evening: not working until Monday morning', () => {
    const w = workingWindowAt(supplier, at('2026-11-27T19:00:00+03:00'));
    expect(w.working).toBe(false);
    expect(w.untilMs).toBe(at('2026-11-30T10:00:00+03:00'));
  });

  test('the end instant of an interval is not working (intervals are half-open)', () => {
    expect(workingWindowAt(supplier, at('2026-11-27T18:00:00+03:00')).working).toBe(false);
  });
});

describe('monthOf: the month view', () => {
  test('weekdays, weekends and the New Year holidays of December 2026 and January 2027', () => {
    const dec = monthOf('2026-12', 'Europe/Moscow', () => supplier);
    expect(dec).toHaveLength(31);
    expect(dec[0]).toMatchObject({ date: '2026-12-01', weekday: 2, kind: 'regular', workingMinutes: 480 });
    expect(dec.find((d) => d.date === '2026-12-05')).toMatchObject({ kind: 'day-off', workingMinutes: 0, intervals: [] });
    const jan = monthOf('2027-01', 'Europe/Moscow', () => supplier);
    expect(jan.find((d) => d.date === '2027-01-01')).toMatchObject({ kind: 'holiday', workingMinutes: 0 });
  });
});

describe('the page countdown (web/countdown.js)', () => {
  const perf = globalThis.performance;
  let nowPerf = 0;
  beforeAll(() => {
    Object.defineProperty(globalThis, 'performance', { value: { now: () => nowPerf }, configurable: true });
  });
  afterAll(() => {
    Object.defineProperty(globalThis, 'performance', { value: perf, configurable: true });
  });

  const running = { kind: 'first_response', status: 'running', running: true, remainingMs: 10_000, overdueMs: 0, atRisk: false };

  test('ticks only during working time, and never past the end of the working window', () => {
    const snapshot = { now: 1_000_000, receivedAt: 0, window: { working: true, untilMs: 1_003_000, until: null }, zone: 'UTC' };
    nowPerf = 2_000;
    expect(workingElapsed(snapshot)).toBe(2_000);
    expect(clockText(running, snapshot).text).toBe('0:00:08 left');
    nowPerf = 60_000;
    expect(workingElapsed(snapshot)).toBe(3_000);
    const night = { ...snapshot, window: { working: false, untilMs: 2_000_000, until: '2026-11-30T10:00:00+03:00' } };
    expect(workingElapsed(night)).toBe(0);
  });

  test('paused clocks do not tick; a clock past its target counts overdue', () => {
    const snapshot = { now: 0, receivedAt: 0, window: { working: true, untilMs: 100_000, until: null }, zone: 'UTC' };
    nowPerf = 30_000;
    expect(clockText({ ...running, status: 'paused', running: false }, snapshot)).toMatchObject({ tone: 'paused' });
    expect(clockText({ ...running, status: 'paused', running: false }, snapshot).text).toMatch(/^0:00:10 left/);
    expect(clockText(running, snapshot)).toEqual({ text: '+0:00:20 overdue', tone: 'breached' });
  });
});
