/**
 * Time units, defined once. Durations are integer milliseconds everywhere (epoch ms for
 * instants); hours appear only at the edges, for people.
 */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Milliseconds as hours for display, rounded to 3 decimals (3.6 s; `Math.round`, so halves go
 * up): finer than any SLA target is stated, coarse enough to hide float noise (7.999999 h).
 *
 * @example hours(27_000_000) // 7.5
 */
export function hours(ms: number): number {
  return Math.round((ms / HOUR_MS) * 1000) / 1000;
}
