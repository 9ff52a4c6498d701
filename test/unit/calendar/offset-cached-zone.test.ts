// luxon zones that remember offsets per hour must place every instant as the plain IANA zone does,
// transitions included (a transition's hour is never remembered).
import { DateTime, IANAZone } from 'luxon';
import { offsetCachedZone } from '../../../domain/calendar/offset-cached-zone';
import { HOUR_MS, MINUTE_MS } from '../../../domain/time-units';

/** Every `stepMs` from `from` over `days`, then the same instants again (now from the memory). */
function instants(from: string, days: number, stepMs: number): number[] {
  const start = Date.parse(from);
  const once = Array.from({ length: Math.floor((days * 24 * HOUR_MS) / stepMs) }, (_, i) => start + i * stepMs);
  return [...once, ...once];
}

describe('offset-cached zones', () => {
  it.each([
    // Moscow's last DST spring and autumn, its permanent "summer" time and the 2014 return to +03:00.
    ['Europe/Moscow', '2010-03-27T00:00:00Z', 3],
    ['Europe/Moscow', '2010-10-30T00:00:00Z', 3],
    ['Europe/Moscow', '2011-03-26T00:00:00Z', 3],
    ['Europe/Moscow', '2014-10-25T00:00:00Z', 3],
    ['Europe/Berlin', '2026-03-28T00:00:00Z', 3],
    ['America/New_York', '2026-11-01T00:00:00Z', 2],
    // A half-hour DST shift, and a zone whose offset is not a whole hour.
    ['Australia/Lord_Howe', '2026-04-04T00:00:00Z', 3],
    ['Asia/Kathmandu', '1985-12-31T00:00:00Z', 2],
  ])('%s around %s: the same offset and the same ISO text for every instant', (name, from, days) => {
    const plain = IANAZone.create(name);
    const cached = offsetCachedZone(name);
    for (const ts of instants(from, days, 7 * MINUTE_MS + 13_000)) {
      expect([ts, (cached as IANAZone).offset(ts)]).toEqual([ts, plain.offset(ts)]);
      expect(DateTime.fromMillis(ts, { zone: cached }).toISO()).toBe(DateTime.fromMillis(ts, { zone: name }).toISO());
    }
  });

  it('is one zone per name, equal to the plain zone, and leaves a name that is no zone to luxon', () => {
    const cached = offsetCachedZone('Europe/Moscow');
    expect(offsetCachedZone('Europe/Moscow')).toBe(cached);
    expect(IANAZone.create('Europe/Moscow').equals(cached as IANAZone)).toBe(true);
    expect((cached as IANAZone).equals(IANAZone.create('Europe/Moscow'))).toBe(true);
    expect(offsetCachedZone('Mars/Olympus')).toBe('Mars/Olympus');
    // Names luxon reads as fixed offsets stay names: UTC keeps its "Z".
    expect(offsetCachedZone('UTC')).toBe('UTC');
    expect(DateTime.fromMillis(0, { zone: offsetCachedZone('UTC') }).toISO()).toBe('1970-01-01T00:00:00.000Z');
    expect(offsetCachedZone('utc+3')).toBe('utc+3');
    expect(DateTime.fromMillis(0, { zone: offsetCachedZone('Mars/Olympus') }).isValid).toBe(false);
  });
});
