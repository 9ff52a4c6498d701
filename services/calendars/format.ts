import { DateTime } from 'luxon';
import { offsetCachedZone } from '../../domain/calendar/offset-cached-zone';

/** An instant as ISO-8601 with the calendar's UTC offset, e.g. `2026-11-30T17:00:00+03:00`. */
export function isoIn(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone: offsetCachedZone(zone) }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}
