/**
 * The compiled calendar and the per-day plans the operations walk over.
 * Built by `compile.ts`; read by `add.ts`, `between.ts`, `explain.ts`, `instants.ts`.
 */
import type { CalendarSpec, LocalDate } from './spec';
import type { DayTable } from './days';

/**
 * What kind of day a working interval belongs to (shown by `explainWorkingTime`).
 * - `regular`                the weekly schedule, untouched
 * - `working-weekend`        a working day on a weekly day off (a transferred working Saturday)
 * - `short-working-weekend`  the same, and also a short (pre-holiday) day
 * - `short-day`              a shortened day (Russia: one hour shorter before a holiday)
 * - `special-hours`          a working day with hours set by a dated exception
 * - `partial-closure`        a regular day with part of it closed
 * - `holiday` / `day-off`    no working time (never appears on an interval)
 */
export type DayKind =
  | 'regular'
  | 'working-weekend'
  | 'short-working-weekend'
  | 'short-day'
  | 'special-hours'
  | 'partial-closure'
  | 'holiday'
  | 'day-off';

/** A [start, end) range of minutes since local midnight; end may be 1440 (24:00). */
export type MinuteRange = readonly [startMinute: number, endMinute: number];

/**
 * One local day, resolved and converted to instants. Intervals are sorted, disjoint,
 * non-empty and lie within [startMs, endMs].
 */
export interface DayPlan {
  /** Local day number (days since 1970-01-01). */
  readonly day: number;
  /** Instant of the local midnight that starts the day. */
  readonly startMs: number;
  /** Instant of the next local midnight (23 or 25 hours later on DST days). */
  readonly endMs: number;
  /** Working interval starts (epoch ms), ascending. */
  readonly starts: readonly number[];
  /** Working interval ends (epoch ms); `ends[i] > starts[i]`. */
  readonly ends: readonly number[];
  /** Sum of the intervals, ms. */
  readonly workingMs: number;
  readonly kind: DayKind;
  /** The day lies outside the coverage of the calendar's exception data. */
  readonly extrapolated: boolean;
}

/** A compiled, validated, immutable calendar. Create with `compileCalendar`. */
export interface Calendar {
  /** Calendar id (spec `id`, or `"calendar"`). */
  readonly id: string;
  /** Version id when it came from a versioned calendar. */
  readonly versionId?: string;
  /** Instant this version took effect (`-Infinity` for an unversioned or first version). */
  readonly effectiveFromMs: number;
  readonly timezone: string;
  /** A frozen copy of the spec it was compiled from. */
  readonly spec: CalendarSpec;
  /**
   * Local dates for which all exception data is known (inclusive); `null` = unbounded.
   * Results that depend on a day outside it are `extrapolated`.
   */
  readonly coverage: { readonly from: LocalDate | null; readonly to: LocalDate | null };
  /** Coverage as instants: [fromMs, toMs), the local midnights bounding it (±Infinity if unbounded). */
  readonly coverageMs: { readonly fromMs: number; readonly toMs: number };
  /** The engine's per-day tables and caches. Internal: use the operations instead. */
  readonly days: DayTable;
}
