/**
 * The fixed vocabulary of the policy: level ids, their precedence and request priorities.
 *
 * Why these are code and not catalogue data: each level has its own eligibility rule
 * (a contract, a pilot, a purchase, a licence, or nobody at all), and those rules are code in
 * `entitlement.ts`. A catalogue version can change every term of a level, but not invent a new
 * level that no rule would ever grant. Channel, service and recipient ids, in contrast, are data:
 * the catalogue declares them and everything else is checked against it.
 */
import { z } from 'zod';
import { HOUR_MS } from '../time-units';

export const LEVEL_IDS = ['initial', 'basic', 'warranty', 'individual', 'pilot'] as const;
export type LevelId = (typeof LEVEL_IDS)[number];
export const LevelIdSchema = z.enum(LEVEL_IDS);

/** Highest first: a customer holding several levels is served under the first that fits. */
export const LEVEL_PRECEDENCE: readonly LevelId[] = ['individual', 'pilot', 'warranty', 'basic', 'initial'];

/** Position in {@link LEVEL_PRECEDENCE}; smaller is stronger. */
export function precedenceRank(level: LevelId): number {
  return LEVEL_PRECEDENCE.indexOf(level);
}

/**
 * Request priorities. Catalogue levels have one target whatever the priority; an individual
 * contract may set targets per priority.
 */
export const PRIORITIES = ['critical', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PrioritySchema = z.enum(PRIORITIES);

/** Stable ids of channels, services and recipient roles: lower-case kebab, e.g. `office-phone`. */
export const VocabularyIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'expected a lower-case kebab id such as "office-phone"');

/**
 * Not "." or "..": a URL resolves those path segments away (`/v1/customers/.` is
 * `/v1/customers/`), so a record with such an id could never be read back.
 */
export const addressableId = (id: z.ZodString) =>
  id.refine((v) => v !== '.' && v !== '..', 'must not be "." or ".." (a URL cannot address it)').meta({ not: { enum: ['.', '..'] } });

/** Ids of records in the facts (customers, licences, contracts...): any non-empty string a URL can address. */
export const RecordIdSchema = addressableId(z.string().min(1).max(200));

/** Text in both languages of the source; the Russian original stands where they differ. */
export const LocalizedTextSchema = z.strictObject({ en: z.string().min(1), ru: z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedTextSchema>;

/** Milliseconds since the Unix epoch (UTC). */
export type EpochMs = number;
export const EpochMsSchema = z.number().int().safe();

/** A working hour is an hour of working time: the same 3,600,000 ms. */
export const MS_PER_WORKING_HOUR = HOUR_MS;
