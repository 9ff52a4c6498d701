/**
 * Per-day and per-week working time of one compiled calendar, computed lazily and cached.
 *
 * A day is resolved once (weekly schedule + exception sets + the calendar's own exceptions),
 * converted to instants (zone.ts) and kept in a Map keyed by its day number; weeks keep just
 * their total, so long budgets can skip whole weeks with one lookup each. The operations
 * then work on plain numbers: no luxon, no allocation in the hot path.
 */
import { CalendarComputationError } from './errors';
import type { DayKind, DayPlan, MinuteRange } from './model';
import { DAY_MS, MINUTE_MS, firstDayOfWeek, formatLocalDate, monthDayOf, parseLocalDate, weekdayOf } from './time';
import type { ZoneClock } from './zone';

/** One dated exception, compiled to minutes. */
export type DayException =
  | { readonly type: 'holiday' }
  | { readonly type: 'working-day'; readonly ranges?: readonly MinuteRange[] }
  | { readonly type: 'short-day' }
  | { readonly type: 'closure'; readonly range: MinuteRange };

/** The order exceptions of one date are applied in (see spec.ts `ExceptionFields`). */
export const EXCEPTION_RANK: Record<DayException['type'], number> = { holiday: 0, 'working-day': 1, 'short-day': 2, closure: 3 };

/** An exception set compiled to day numbers. */
export interface CompiledExceptionSet {
  readonly id: string;
  /** Coverage as day numbers, inclusive. */
  readonly fromDay: number;
  readonly toDay: number;
  readonly byDay: ReadonlyMap<number, readonly DayException[]>;
  /** `MM-DD` holidays assumed outside the coverage. */
  readonly fixedHolidays: ReadonlySet<string>;
}

export interface DayTableInput {
  readonly zone: ZoneClock;
  /** Weekly schedule, index 0 = Monday. */
  readonly week: readonly (readonly MinuteRange[])[];
  readonly sets: readonly CompiledExceptionSet[];
  readonly own: ReadonlyMap<number, readonly DayException[]>;
  readonly workingWeekendRanges: readonly MinuteRange[];
  readonly shortDayMinutes: number;
  /** Coverage of all exception data, day numbers inclusive (±Infinity when unbounded). */
  readonly coverageFromDay: number;
  readonly coverageToDay: number;
}

export interface WeekPlan {
  readonly week: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly workingMs: number;
}

/** Supported local dates: 1900-01-01 .. 2199-12-31. Every scan stops at these bounds. */
export const MIN_DAY = parseLocalDate('1900-01-01') as number;
export const MAX_DAY = parseLocalDate('2199-12-31') as number;
/** More days than this in a row without working time is treated as a broken calendar. */
export const MAX_IDLE_DAYS = 3_660;

const MAX_CACHED_DAYS = 150_000;

export class DayTable {
  private readonly dayCache = new Map<number, DayPlan>();
  private readonly weekCache = new Map<number, WeekPlan>();
  private readonly approxOffsetMs: number;

  constructor(private readonly input: DayTableInput) {
    this.approxOffsetMs = input.zone.offsetMinutes(Date.UTC(2025, 0, 1)) * MINUTE_MS;
  }

  /** The resolved, converted plan of local day `day`. */
  plan(day: number): DayPlan {
    const hit = this.dayCache.get(day);
    if (hit !== undefined) return hit;
    if (!(day >= MIN_DAY && day <= MAX_DAY)) {
      throw new CalendarComputationError(
        `date ${Number.isFinite(day) ? formatLocalDate(day) : String(day)} is outside the supported range 1900-01-01..2199-12-31`,
      );
    }
    if (this.dayCache.size >= MAX_CACHED_DAYS) this.dayCache.clear();
    const plan = this.build(day);
    this.dayCache.set(day, plan);
    return plan;
  }

  /** Total working time of Monday-based week `week` (see time.ts `weekOf`). */
  week(week: number): WeekPlan {
    const hit = this.weekCache.get(week);
    if (hit !== undefined) return hit;
    const first = firstDayOfWeek(week);
    let workingMs = 0;
    for (let d = first; d < first + 7; d++) workingMs += this.plan(d).workingMs;
    const plan: WeekPlan = { week, startMs: this.plan(first).startMs, endMs: this.plan(first + 6).endMs, workingMs };
    if (this.weekCache.size >= MAX_CACHED_DAYS / 7) this.weekCache.clear();
    this.weekCache.set(week, plan);
    return plan;
  }

  /** The plan of the local day that contains instant `ms`. */
  planAt(ms: number): DayPlan {
    if (!Number.isFinite(ms)) throw new CalendarComputationError(`instant ${ms} is not a finite number of epoch milliseconds`);
    let day = Math.floor((ms + this.approxOffsetMs) / DAY_MS);
    // The guess is off by at most one day (the offset used may differ by DST); three steps suffice.
    for (let i = 0; i < 3; i++) {
      const plan = this.plan(day);
      if (ms < plan.startMs) day--;
      else if (ms >= plan.endMs) day++;
      else return plan;
    }
    throw new CalendarComputationError(`cannot find the local day of instant ${new Date(ms).toISOString()}`);
  }

  /** Resolves which minutes of `day` are working, before any time-zone conversion. */
  resolve(day: number): { ranges: readonly MinuteRange[]; kind: DayKind; extrapolated: boolean } {
    const { input } = this;
    const weekly = input.week[weekdayOf(day)] ?? [];
    const state: ResolveState = { ranges: weekly, kind: weekly.length > 0 ? 'regular' : 'day-off' };
    let extrapolated = day < input.coverageFromDay || day > input.coverageToDay;
    for (const set of input.sets) {
      if (day >= set.fromDay && day <= set.toDay) {
        for (const ex of set.byDay.get(day) ?? []) this.apply(state, ex, weekly);
      } else {
        extrapolated = true;
        if (set.fixedHolidays.has(monthDayOf(day))) this.apply(state, { type: 'holiday' }, weekly);
      }
    }
    for (const ex of input.own.get(day) ?? []) this.apply(state, ex, weekly);
    return { ranges: state.ranges, kind: state.kind, extrapolated };
  }

  private apply(state: ResolveState, ex: DayException, weekly: readonly MinuteRange[]): void {
    switch (ex.type) {
      case 'holiday':
        state.ranges = [];
        state.kind = 'holiday';
        return;
      case 'working-day':
        if (ex.ranges) {
          state.ranges = ex.ranges;
          state.kind = weekly.length > 0 ? 'special-hours' : 'working-weekend';
        } else if (weekly.length > 0) {
          state.ranges = weekly;
          state.kind = 'regular';
        } else {
          state.ranges = this.input.workingWeekendRanges;
          state.kind = 'working-weekend';
        }
        return;
      case 'short-day':
        state.ranges = shortenDay(state.ranges, this.input.shortDayMinutes);
        if (state.kind === 'working-weekend') state.kind = 'short-working-weekend';
        else if (state.ranges.length > 0) state.kind = 'short-day';
        return;
      case 'closure':
        state.ranges = subtractRange(state.ranges, ex.range);
        if (state.kind === 'regular') state.kind = 'partial-closure';
        return;
    }
  }

  private build(day: number): DayPlan {
    const { ranges, kind, extrapolated } = this.resolve(day);
    const wall: number[] = [0, DAY_MS];
    for (const [s, e] of ranges) wall.push(s * MINUTE_MS, e * MINUTE_MS);
    const utc = this.input.zone.dayToUtc(day, wall);
    const starts: number[] = [];
    const ends: number[] = [];
    let workingMs = 0;
    for (let i = 2; i < utc.length; i += 2) {
      const s = utc[i] as number;
      const e = utc[i + 1] as number;
      if (e <= s) continue; // wholly inside a spring-forward gap
      const last = ends.length - 1;
      if (last >= 0 && s <= (ends[last] as number)) {
        workingMs += Math.max(0, e - (ends[last] as number));
        ends[last] = Math.max(e, ends[last] as number);
      } else {
        starts.push(s);
        ends.push(e);
        workingMs += e - s;
      }
    }
    return { day, startMs: utc[0] as number, endMs: utc[1] as number, starts, ends, workingMs, kind, extrapolated };
  }
}

interface ResolveState {
  ranges: readonly MinuteRange[];
  kind: DayKind;
}

/** Takes `minutes` off the end of a day's working time (across ranges if needed). */
export function shortenDay(ranges: readonly MinuteRange[], minutes: number): MinuteRange[] {
  const out = ranges.map((r) => [r[0], r[1]] as [number, number]);
  let left = minutes;
  while (left > 0 && out.length > 0) {
    const last = out[out.length - 1] as [number, number];
    const len = last[1] - last[0];
    if (len > left) {
      last[1] -= left;
      left = 0;
    } else {
      out.pop();
      left -= len;
    }
  }
  return out;
}

/** Removes `[from, to)` from sorted, disjoint ranges. */
export function subtractRange(ranges: readonly MinuteRange[], cut: MinuteRange): MinuteRange[] {
  const out: MinuteRange[] = [];
  for (const [s, e] of ranges) {
    if (cut[1] <= s || cut[0] >= e) {
      out.push([s, e]);
      continue;
    }
    if (cut[0] > s) out.push([s, cut[0]]);
    if (cut[1] < e) out.push([cut[1], e]);
  }
  return out;
}
