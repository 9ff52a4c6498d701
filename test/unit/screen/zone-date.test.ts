import { monthInZone } from '../../../web/zone-date.js';

describe("the calendar screen's default month", () => {
  test("is the calendar zone's month: 22:11 UTC on 30 November is already December in Moscow", () => {
    const now = Date.parse('2026-11-30T22:11:00Z');
    expect(monthInZone(now, 'Europe/Moscow')).toBe('2026-12');
    expect(monthInZone(now, 'UTC')).toBe('2026-11');
  });

  test('a zone west of UTC is still in the previous month, and a year turns with its zone', () => {
    expect(monthInZone(Date.parse('2027-01-01T03:00:00Z'), 'America/New_York')).toBe('2026-12');
    expect(monthInZone(Date.parse('2026-12-31T15:30:00Z'), 'Asia/Vladivostok')).toBe('2027-01');
  });
});
