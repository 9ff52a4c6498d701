/**
 * IANA zones for luxon that remember their UTC offsets per hour.
 *
 * luxon asks Intl for the offset of every instant it places in an IANA zone (a
 * `formatToParts` call each time). A registration places a dozen instants: its policy's dates
 * in the supplier's zone, its answer's timestamps in its calendar's zone. Under a registration
 * storm that was the API's dearest computation after its I/O.
 *
 * Exact as long as a zone changes its offset at most once within one hour, which holds for
 * every zone in the tz database (its transitions are weeks apart; domain/calendar/zone.ts
 * assumes days). An hour whose two ends have different offsets holds a transition: it is never
 * remembered, and each of its instants is asked for on its own.
 */
import { IANAZone, Info, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';
import { HOUR_MS } from '../time-units';

/** Hours remembered per zone before the memory starts again: about a year of distinct hours. */
const MAX_HOURS = 10_000;

class OffsetCachedZone extends Zone<true> {
  private readonly hours = new Map<number, number>();

  constructor(private readonly inner: IANAZone<true>) {
    super();
  }

  override get type(): string {
    return this.inner.type;
  }

  override get name(): string {
    return this.inner.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): true {
    return true;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string {
    return this.inner.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    return this.inner.formatOffset(ts, format);
  }

  override equals(other: Zone): boolean {
    return this.inner.equals(other);
  }

  override offset(ts: number): number {
    const hour = Math.floor(ts / HOUR_MS);
    const known = this.hours.get(hour);
    if (known !== undefined) return known;
    const start = this.inner.offset(hour * HOUR_MS);
    if (start !== this.inner.offset((hour + 1) * HOUR_MS - 1)) return this.inner.offset(ts);
    if (this.hours.size >= MAX_HOURS) this.hours.clear();
    this.hours.set(hour, start);
    return start;
  }
}

const zones = new Map<string, Zone | string>();

/**
 * What to give luxon as the zone `name`: for an IANA zone, a zone remembering its offsets, one
 * per name in this process; any other name as it is (luxon then answers as it always did).
 */
export function offsetCachedZone(name: string): Zone | string {
  let zone = zones.get(name);
  if (zone === undefined) {
    // luxon reads some names as fixed offsets ("UTC", "utc+3"): those need no memory, and keep their "Z".
    const normal = Info.normalizeZone(name);
    zone = normal instanceof IANAZone && normal.isValid ? new OffsetCachedZone(normal as IANAZone<true>) : name;
    // Names come from stored calendars and offices: few, but bounded all the same.
    if (zones.size >= 1_000) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}
