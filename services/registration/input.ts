import { z } from 'zod';
import { PRIORITIES } from '../../domain/policy';

/** Trimmed, then at least one character: `pattern: \S` tells the document's readers that blanks are refused. */
const text = (max: number) => z.string().trim().min(1).max(max).regex(/\S/, 'must not be blank');
const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/** POST /v1/requests: what an intake system tells us about a new support request. */
export const registrationSchema = z
  .strictObject({
  subject: text(500),
  description: z.string().max(20_000).optional(),
  customerId: id.optional().describe('Absent for an anonymous person (initial support only)'),
  productId: id.optional(),
  channel: id.describe('Catalogue channel id the request came through, e.g. supplier-email'),
  category: id.describe('Catalogue service id = what is asked for, e.g. defect-report'),
  priority: z.enum(PRIORITIES).optional(),
  officeId: id.optional().describe('Sales office serving an initial-level request'),
  reporter: text(320)
    .optional()
    .describe(
      "Who raises the request; pinned into it. Where the level's terms let only the customer's registered representatives ask (`whoMayAsk`), " +
        "it must be a representative's id or e-mail: otherwise the request falls through to a level that lets anyone ask, or is refused with 422 reporter-not-representative.",
    ),
  followUpOf: z
    .string()
    .regex(/^SR-[0-9A-Z]{26}$/, 'a request id like SR-…')
    .optional()
    .describe('The closed request this one follows up (set by POST /v1/requests/{id}/customer-replies after the reopen window; intake may set it too).'),
  receivedAt: z.iso
    .datetime({ offset: true, message: 'an ISO-8601 instant with an offset, e.g. 2026-12-01T09:00:00+03:00' })
    .optional()
    .describe(
      'When the request reached the desk, if earlier than now (an e-mail relayed late, a call typed in afterwards). Entitlement and level are evaluated then, ' +
        'and every clock starts there: a target already passed is breached at once (warnings it slept through are recorded as missed, not sent). ' +
        'Not more than INTAKE_MAX_CLOCK_SKEW_SECONDS (default 120) ahead of the server clock (an instant within it counts as now), ' +
        'not older than INTAKE_MAX_BACKDATE_DAYS (default 30) days: 422 naming receivedAt otherwise. Default: now.',
    ),
  externalRef: text(200)
    .optional()
    .describe(
      "The intake system's reference; a retry with the same one (same API key or intake source, same customer) returns the same request. " +
        'A retry whose other fields differ is refused with 422 idempotency-key-reused. Required unless an Idempotency-Key header is sent.',
    ),
  })
  .describe('externalRef, or an Idempotency-Key header, is required (400 naming externalRef otherwise).');

/** The one input type of registration, from the router to the workflow's `Registration`. */
export type RegistrationInput = z.infer<typeof registrationSchema>;
