/**
 * Time-zone conversions for one IANA zone: wall-clock time -> instant.
 *
 * luxon supplies the zone offsets (via Intl); it is only used when a day's working intervals
 * are first computed (then cached), never in the per-call hot path.
 *
 * DST rules, chosen so that conversion is monotonic (a later wall time never maps to an
 * earlier instant), which keeps every day's intervals ordered:
 * - a wall time inside a spring-forward gap (02:30 in Berlin on the last Sunday of March)
 *   does not exist; it maps to the transition instant (03:00 CEST). So a working range
 *   01:00-04:00 on that day lasts 2 real hours, and 00:00-24:00 lasts 23.
 * - a wall time that occurs twice on a fall-back day maps to its *earlier* occurrence.
 *   00:00-24:00 on that day lasts 25 real hours.
 */
import { IANAZone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './time';

export interface ZoneClock {
  readonly name: string;
  /** Offset from UTC in minutes at an instant (e.g. +180 for Moscow). */
  offsetMinutes(utcMs: number): number;
  /**
   * Converts the wall-clock ms of one local day to instants. Takes the day number and the
   * wall times as ms since that day's local midnight (0 .. DAY_MS inclusive).
   */
  dayToUtc(day: number, msOfDay: readonly number[]): number[];
}

export function isKnownTimeZone(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && IANAZone.isValidZone(name);
}

export function zoneClock(name: string): ZoneClock {
  const zone = IANAZone.create(name);
  const offsetMinutes = (utcMs: number): number => zone.offset(utcMs);

  /** Instant of a wall-clock ms value, with the gap/overlap rules above. */
  const wallToUtc = (wall: number): number => {
    // Offsets a day either side bracket any transition near `wall`.
    const before = offsetMinutes(wall - DAY_MS);
    const after = offsetMinutes(wall + DAY_MS);
    const u1 = wall - before * MINUTE_MS;
    const u2 = wall - after * MINUTE_MS;
    const ok1 = offsetMinutes(u1) === before;
    const ok2 = offsetMinutes(u2) === after;
    if (ok1 && ok2) return Math.min(u1, u2); // unambiguous (equal) or repeated hour: the earlier one
    if (ok1) return u1;
    if (ok2) return u2;
    // In a gap: find the transition instant between the two candidates (binary search to 1 ms).
    let lo = Math.min(u1, u2);
    let hi = Math.max(u1, u2);
    for (let i = 0; i < 64 && hi - lo > 1; i++) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetMinutes(mid) === before) lo = mid;
      else hi = mid;
    }
    return hi;
  };

  const dayToUtc = (day: number, msOfDay: readonly number[]): number[] => {
    const midnight = day * DAY_MS;
    // Fast path: the same offset from a day before to a day after means no transition today.
    const before = offsetMinutes(midnight - DAY_MS);
    const after = offsetMinutes(midnight + 2 * DAY_MS);
    const middle = offsetMinutes(midnight + DAY_MS / 2 - before * MINUTE_MS);
    if (before === after && before === middle) {
      return msOfDay.map((ms) => midnight + ms - before * MINUTE_MS);
    }
    return msOfDay.map((ms) => wallToUtc(midnight + ms));
  };

  return { name, offsetMinutes, dayToUtc };
}
