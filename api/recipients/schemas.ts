import { z } from 'zod';
import { RECIPIENT_KINDS } from '../../domain/notification/directory-entry';
import { addressableId, VocabularyIdSchema } from '../../domain/policy';

/** Directory ids end up in outbox keys (`<intent>:<recipient>:<channel>`): no colons or blanks. */
export const recipientIdSchema = addressableId(
  z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9._@-]+$/, 'letters, digits and . _ @ - only'),
).describe('The entry id; for an agent, the id requests are assigned to (so "assignee" resolves to this entry)');

const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');

/** PUT /v1/recipients/:recipientId: the whole entry (a replace, not a merge). */
export const recipientBody = z
  .strictObject({
    name: text(200).describe('Display name used in e-mail headers and the ops view'),
    kind: z.enum(RECIPIENT_KINDS).default('person').describe('"person" (an agent, a team lead, the head of support) or "team" (a shared mailbox or a team webhook)'),
    roles: z
      .array(VocabularyIdSchema)
      .max(20)
      .default([])
      .describe(
        'Roles policies address, e.g. team-lead, head-of-support, dedicated-engineer, duty-agent (warned while a request is unassigned). ' +
          '"assignee" and "contract-escalation-contacts" are resolved per request and refused here (422).',
      ),
    email: z.email().meta({ pattern: z.regexes.email.source }).max(320).optional(),
    webhookUrl: z
      .string()
      .max(2000)
      .meta({ format: 'uri', pattern: '^https://' })
      .optional()
      .describe('https only (422 https_required naming webhookUrl); plain http to a loopback host only where WEBHOOK_ALLOW_HTTP_LOOPBACK=true'),
    quietCalendarId: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('Calendar whose working time warnings wait for (breaches do not wait); must exist, shipped or defined (422 unknown_reference otherwise)'),
    active: z.boolean().default(true).describe('Inactive entries are kept but not notified'),
  })
  .describe('A person or team notified about requests. Needs an email or a webhookUrl (422 channel_required naming both otherwise).');

export const recipientsQuery = z.strictObject({
  role: VocabularyIdSchema.optional(),
  kind: z.enum(RECIPIENT_KINDS).optional(),
  active: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: recipientIdSchema.optional(),
});
