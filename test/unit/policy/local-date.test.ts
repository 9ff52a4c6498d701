import {
  addDays,
  addYearsClamped,
  endOfPeriod,
  isLocalDate,
  localDateAt,
  startOfLocalDate,
  startOfPeriod,
  warrantyLastDay,
} from '../../../domain/policy';

describe('local dates', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['1900-02-29', false],
    ['2000-02-29', true],
    ['2026-04-31', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['2026-01-01T00:00', false],
    ['0999-01-01', false],
  ])('isLocalDate(%s) = %p', (value, valid) => expect(isLocalDate(value)).toBe(valid));

  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2024-02-28', 2, '2024-03-01'],
    ['2026-01-01', -1, '2025-12-31'],
    ['2026-09-01', -1, '2026-08-31'],
  ])('addDays(%s, %p) = %s', (date, days, expected) => expect(addDays(date, days)).toBe(expected));

  it.each([
    ['2026-03-01', 1, '2027-03-01'],
    ['2024-02-29', 1, '2025-02-28'],
    ['2024-02-29', 4, '2028-02-29'],
    ['2026-12-31', 1, '2027-12-31'],
  ])('addYearsClamped(%s, %p) = %s', (date, years, expected) => expect(addYearsClamped(date, years)).toBe(expected));

  it.each([
    ['2026-05-17', 'month', '2026-05-01', '2026-05-31'],
    ['2024-02-10', 'month', '2024-02-01', '2024-02-29'],
    ['2026-05-17', 'quarter', '2026-04-01', '2026-06-30'],
    ['2026-12-31', 'quarter', '2026-10-01', '2026-12-31'],
    ['2026-05-17', 'year', '2026-01-01', '2026-12-31'],
  ] as const)('the %s of %s is %s..%s', (date, period, from, through) => {
    expect(startOfPeriod(date, period)).toBe(from);
    expect(endOfPeriod(date, period)).toBe(through);
  });

  it('dates are read on the Moscow wall clock (UTC+3)', () => {
    expect(localDateAt(Date.UTC(2026, 11, 31, 20, 59, 59, 999))).toBe('2026-12-31');
    expect(localDateAt(Date.UTC(2026, 11, 31, 21, 0))).toBe('2027-01-01');
    expect(startOfLocalDate('2027-01-01')).toBe(Date.UTC(2026, 11, 31, 21, 0));
    expect(localDateAt(Date.UTC(2026, 11, 31, 21, 0), 'UTC')).toBe('2026-12-31');
  });

  it('invalid input names the value', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow('"2026-02-30" is not a calendar date YYYY-MM-DD');
    expect(() => localDateAt(Number.NaN)).toThrow(/cannot place instant NaN/);
  });
});

describe('the warranty year (Civil Code arts. 191-192: same date next year, inclusive)', () => {
  it.each([
    ['2026-03-01', '2027-03-01'],
    ['2024-02-29', '2025-02-28'],
    ['2023-02-28', '2024-02-28'],
    ['2025-12-31', '2026-12-31'],
  ])('bought %s: warranty through %s inclusive', (purchasedOn, lastDay) => expect(warrantyLastDay(purchasedOn)).toBe(lastDay));
});
