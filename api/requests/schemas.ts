import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

/** POST /v1/requests */
export const registrationSchema = z.strictObject({
  subject: text(500),
  description: z.string().max(20_000).optional(),
  customerId: id.optional(),
  productId: id.optional(),
  channel: id.optional(),
  category: id.optional(),
  priority: id.optional(),
  reporter: text(320).optional(),
  externalRef: text(200).optional(),
});

/** POST /v1/requests/:id/responses */
export const replySchema = z.strictObject({
  visibility: z.enum(['public', 'internal']),
  author: text(320),
  body: z.string().min(1).max(50_000),
});

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
export const requestIdSchema = z.string().regex(/^SR-[0-9A-Z]{26}$/, 'a request id like SR-…');
