/**
 * Terms of a request's life after the first answer, as catalogue and contract data: which
 * waiting states pause which clock, and what a customer's reply to a resolved request does.
 * Catalogue documents before support-levels.v2 have none, and requests pinned before them read
 * the legacy terms, which are the behaviour of those releases (waiting on the customer pauses
 * the resolution clock; a reply reopens).
 */
import { z } from 'zod';
import { LEGACY_LIFECYCLE_TERMS } from './pinned-lifecycle';
import { LevelIdSchema, type LevelId } from './vocabulary';

export const REPLY_AFTER_RESOLUTION = ['reopen', 'notify-assignee'] as const;
export type ReplyAfterResolution = (typeof REPLY_AFTER_RESOLUTION)[number];

/** The states in which the desk waits on someone else; each may pause some clocks. */
export const WAITING_STATES = ['waiting_on_customer', 'waiting_on_third_party'] as const;
export type WaitingState = (typeof WAITING_STATES)[number];

const CLOCK_KINDS = ['first_response', 'resolution', 'next_reply'] as const;
const ClockListSchema = z.array(z.enum(CLOCK_KINDS)).refine((l) => new Set(l).size === l.length, 'each clock at most once');

export const PausePolicySchema = z
  .strictObject({
    waiting_on_customer: ClockListSchema.describe('Clocks paused while the desk waits on the customer.'),
    waiting_on_third_party: ClockListSchema.describe('Clocks paused while the request waits on a third party (handed to the developers, a vendor).'),
  })
  .describe('Which waiting state pauses which clock; an empty list pauses nothing.');
export type PausePolicy = z.infer<typeof PausePolicySchema>;

const WorkingHoursSchema = z.strictObject({ workingHours: z.number().positive().max(10_000) });
/**
 * The agent's next public reply after a customer's reply is due within this many working
 * hours (Znuny "update time", Zendesk "next reply time"); null: not targeted (no clock).
 */
export const NextReplyTermSchema = z
  .union([
    WorkingHoursSchema,
    z.strictObject({
      byPriority: z.strictObject({ critical: WorkingHoursSchema.nullable(), high: WorkingHoursSchema.nullable(), normal: WorkingHoursSchema.nullable(), low: WorkingHoursSchema.nullable() }),
    }),
  ])
  .nullable()
  .describe('Next-reply target: { workingHours }, or { byPriority: { critical, high, normal, low } } (each { workingHours } or null), or null (none).');
export type NextReplyTerm = z.infer<typeof NextReplyTermSchema>;

const WorkingDaysSchema = z.number().int().min(1).max(100).nullable();
export const WaitingOnCustomerTermsSchema = z
  .strictObject({
    reminderAfterWorkingDays: WorkingDaysSchema.describe('Remind the customer after this many working days without a reply; null: never.'),
    autoResolveAfterWorkingDays: WorkingDaysSchema.describe('Resolve the request after this many working days without a reply; null: never.'),
  })
  .refine((t) => t.reminderAfterWorkingDays === null || t.autoResolveAfterWorkingDays === null || t.reminderAfterWorkingDays < t.autoResolveAfterWorkingDays, {
    message: 'the reminder must come before the automatic resolution',
    path: ['reminderAfterWorkingDays'],
  });
export type WaitingOnCustomerTerms = z.infer<typeof WaitingOnCustomerTermsSchema>;

export const LifecycleTermsSchema = z.strictObject({
  pauses: PausePolicySchema,
  nextReply: NextReplyTermSchema,
  waitingOnCustomer: WaitingOnCustomerTermsSchema,
  replyAfterResolution: z
    .enum(REPLY_AFTER_RESOLUTION)
    .describe(
      'A customer reply to a resolved (or closed, within the reopen window) request: "reopen" resumes the resolution clock with what was left; ' +
        '"notify-assignee" records the reply and tells the assignee, who decides (a "thank you" causes no breach).',
    ),
});
export type LifecycleTerms = z.infer<typeof LifecycleTermsSchema>;

/** A contract (or a level) may set some terms and inherit the rest (a pause policy as a whole). */
export const LifecycleTermsOverrideSchema = LifecycleTermsSchema.partial();
export type LifecycleTermsOverride = z.infer<typeof LifecycleTermsOverrideSchema>;

/** The catalogue document's block: defaults for every level, and per-level overrides. */
export const CatalogueLifecycleTermsSchema = z.strictObject({
  defaults: LifecycleTermsSchema,
  levels: z.partialRecord(LevelIdSchema, LifecycleTermsOverrideSchema).optional(),
});
export type CatalogueLifecycleTerms = z.infer<typeof CatalogueLifecycleTermsSchema>;

/** A level's terms in a catalogue document (legacy when the document has no block). */
export function levelLifecycleTerms(block: CatalogueLifecycleTerms | undefined, level: LevelId, inheritsFrom?: LevelId): LifecycleTerms {
  if (!block) return structuredClone(LEGACY_LIFECYCLE_TERMS);
  const own = block.levels?.[level] ?? (inheritsFrom ? block.levels?.[inheritsFrom] : undefined);
  return { ...block.defaults, ...own };
}
