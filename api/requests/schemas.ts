import { z } from 'zod';
import { PRIORITIES } from '../../domain/policy';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const author = text(320).describe('Who acts: an agent id, or the customer representative for customer replies');

/** POST /v1/requests */
export const registrationSchema = z.strictObject({
  subject: text(500),
  description: z.string().max(20_000).optional(),
  customerId: id.optional().describe('Absent for an anonymous person (initial support only)'),
  productId: id.optional(),
  channel: id.describe('Catalogue channel id the request came through, e.g. supplier-email'),
  category: id.describe('Catalogue service id = what is asked for, e.g. defect-report'),
  priority: z.enum(PRIORITIES).optional(),
  officeId: id.optional().describe('Sales office serving an initial-level request'),
  reporter: text(320).optional(),
  externalRef: text(200).optional().describe("The intake system's reference; a retry with the same one returns the same request"),
});

export const replySchema = z.strictObject({ visibility: z.enum(['public', 'internal']), author, body: z.string().min(1).max(50_000) });
export const noteSchema = z.strictObject({ author, note: z.string().max(50_000).optional() });
export const customerReplySchema = z.strictObject({ author, body: z.string().min(1).max(50_000) });
export const resolutionSchema = z.strictObject({ author, summary: z.string().min(1).max(50_000) });
export const cancellationSchema = z.strictObject({ author, reason: z.enum(['duplicate', 'spam', 'withdrawn']), note: z.string().max(50_000).optional() });
export const assignmentSchema = z
  .strictObject({ author, agent: id.nullable().optional(), group: id.nullable().optional() })
  .refine((a) => a.agent !== undefined || a.group !== undefined, { message: 'give agent, group or both', path: ['agent'] });

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
export const requestIdSchema = z.string().regex(/^SR-[0-9A-Z]{26}$/, 'a request id like SR-…');
