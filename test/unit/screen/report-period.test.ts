import { defaultReportPeriod } from '../../../web/report-period.js';

// The report is asked for from Moscow midnight to Moscow midnight (the supplier calendar's dates).
const moscowMidnight = (date: string) => Date.parse(`${date}T00:00:00+03:00`);

describe("the report screen's default period", () => {
  test('ends after now wherever the browser is: late evening UTC is already tomorrow in Moscow', () => {
    const now = Date.parse('2026-11-30T22:11:00Z'); // 01:11 on 1 December in Moscow
    const period = defaultReportPeriod(now);
    expect(period).toEqual({ from: '2026-11-01', to: '2026-12-02' });
    expect(moscowMidnight(period.to)).toBeGreaterThan(now);
  });

  test('covers the last 30 days up to and including Moscow today', () => {
    const now = Date.parse('2026-03-15T09:00:00Z');
    const period = defaultReportPeriod(now);
    expect(period).toEqual({ from: '2026-02-13', to: '2026-03-16' });
    expect(moscowMidnight(period.from)).toBeLessThanOrEqual(now - 30 * 86_400_000);
  });
});
