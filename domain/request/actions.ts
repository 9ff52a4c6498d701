/**
 * What agents, the customer and intake can do to a request, as validating schemas. Defined
 * once: the API parses request bodies with these schemas, and the workflow's Update payload
 * types are inferred from them (workflows/messages.ts imports the types only, so zod never
 * reaches the workflow bundle).
 */
import { z } from 'zod';
import { PRIORITIES } from '../policy/vocabulary';
import type { Actor } from './timeline';

export const CANCEL_REASONS = ['duplicate', 'spam', 'withdrawn'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Trimmed, then at least one character: `pattern: \S` tells the document's readers that blanks are refused. */
const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');
/** An identifier people and intake systems type: agent, group, customer, product ids. */
export const entityIdSchema = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
/**
 * When the action really happened, if earlier than now (a phone call typed in afterwards, an
 * e-mail relayed late). The API bounds it (domain/request/occurred-at.ts); the workflow refuses
 * one before the request's previous event.
 */
const occurredAt = z.iso
  .datetime({ offset: true, message: 'an ISO-8601 instant with an offset, e.g. 2026-12-01T09:00:00+03:00' })
  .optional()
  .describe(
    'When it happened, if earlier than now (an instant with offset). Not more than INTAKE_MAX_CLOCK_SKEW_SECONDS (default 120) ahead of the server clock, ' +
      'not older than INTAKE_MAX_BACKDATE_DAYS (default 30) days (422 naming occurredAt otherwise), never before the request\'s previous event (409 naming occurredAt).',
  );
const author = text(320).describe('Who acts: an agent id, or the customer representative for customer replies');

export const replySchema = z.strictObject({ visibility: z.enum(['public', 'internal']), author, body: z.string().min(1).max(50_000), occurredAt });
export const noteSchema = z.strictObject({ author, note: z.string().max(50_000).optional(), occurredAt });
export const thirdPartyWaitSchema = z.strictObject({
  author,
  party: text(200).optional().describe('Who is waited on, e.g. "developers" or a vendor'),
  note: z.string().max(50_000).optional(),
  occurredAt,
});
export const customerReplySchema = z.strictObject({ author, body: z.string().min(1).max(50_000), occurredAt });
export const resolutionSchema = z.strictObject({ author, summary: z.string().min(1).max(50_000), occurredAt });
export const cancellationSchema = z.strictObject({ author, reason: z.enum(CANCEL_REASONS), note: z.string().max(50_000).optional(), occurredAt });
export const assignmentSchema = z
  .strictObject({ author, agent: entityIdSchema.nullable().optional(), group: entityIdSchema.nullable().optional(), occurredAt })
  .refine((a) => a.agent !== undefined || a.group !== undefined, { message: 'give agent, group or both', path: ['agent'] })
  .meta({ anyOf: [{ required: ['agent'] }, { required: ['group'] }] })
  .describe('At least one of agent and group is required (null unassigns); 400 naming agent otherwise.');
export const priorityChangeSchema = z.strictObject({ author, priority: z.enum(PRIORITIES), occurredAt });

/**
 * Every action carries the API key that sent it (audit), set by the API from the caller's
 * credentials, never from the body; `author` is the human name given.
 */
export interface Attributed {
  by?: Actor;
}

/** Only a public reply to the customer counts as the first response. */
export type Reply = z.infer<typeof replySchema> & Attributed;
export type ActorNote = z.infer<typeof noteSchema> & Attributed;
export type ThirdPartyWait = z.infer<typeof thirdPartyWaitSchema> & Attributed;
export type CustomerReply = z.infer<typeof customerReplySchema> & Attributed;
export type Resolution = z.infer<typeof resolutionSchema> & Attributed;
export type Cancellation = z.infer<typeof cancellationSchema> & Attributed;
export type Assignment = z.infer<typeof assignmentSchema> & Attributed;
export type PriorityChange = z.infer<typeof priorityChangeSchema> & Attributed;

/** A deliberate re-plan after a calendar change (sent by the calendars service, not people). */
export interface Replan extends Attributed {
  author: string;
  /** The calendar version the clocks switch to from now on. */
  calendarVersionId: string;
  /**
   * When the fan-out computed the re-plan (its answers ahead are for this instant): the clocks
   * switch then, not when the workflow gets to it. Absent: when the workflow applies it.
   */
  occurredAt?: string;
}
