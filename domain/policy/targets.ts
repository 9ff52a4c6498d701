/**
 * SLA targets in working hours, as the catalogue and contracts write them, and in working
 * milliseconds, as a pinned policy carries them to the SLA clocks.
 *
 * `null` means "not regulated": there is no target and so no breach, but the clock still runs
 * and the time is reported.
 */
import { z } from 'zod';
import { MS_PER_WORKING_HOUR } from './vocabulary';

export const WorkingHoursTargetSchema = z
  .strictObject({
    workingHours: z.number().positive().finite().describe('Working hours on the level calendar, e.g. 8; fractions allowed (0.5 = 30 working minutes).'),
  })
  .nullable()
  .describe('A target in working hours, or null when the level does not regulate this time.');
export type WorkingHoursTarget = z.infer<typeof WorkingHoursTargetSchema>;

export const TargetPairSchema = z.strictObject({
  firstResponse: WorkingHoursTargetSchema,
  resolution: WorkingHoursTargetSchema,
});
export type TargetPair = z.infer<typeof TargetPairSchema>;

/** A target as the clocks take it. */
export interface WorkingMsTarget {
  workingMs: number;
}

export interface PinnedTargets {
  firstResponse: WorkingMsTarget | null;
  resolution: WorkingMsTarget | null;
}

/**
 * Converts hours to whole working milliseconds; rounding keeps fractional hours exact to the ms.
 *
 * @example toPinnedTargets({ firstResponse: { workingHours: 8 }, resolution: null })
 * // { firstResponse: { workingMs: 28_800_000 }, resolution: null }
 */
export function toPinnedTargets(pair: TargetPair): PinnedTargets {
  const toMs = (t: WorkingHoursTarget): WorkingMsTarget | null =>
    t === null ? null : { workingMs: Math.round(t.workingHours * MS_PER_WORKING_HOUR) };
  return { firstResponse: toMs(pair.firstResponse), resolution: toMs(pair.resolution) };
}
