/** Bodies, queries and path parameters of /v1/api-keys (also read by the OpenAPI document). */
import { z } from 'zod';
import { RecordIdSchema } from '../../domain/policy';
import { ROLES } from './authorize';
import { KEY_ID_PATTERN } from './keys';
import type { Role } from './principal';

/** POST /v1/api-keys */
export const apiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200).regex(/\S/, 'must not be blank').describe('What the key is for, e.g. "CRM intake"'),
  role: z.enum(ROLES as [Role, ...Role[]]),
  customerScope: RecordIdSchema.nullable().optional().describe("Customer id the key is limited to (a customer's own integration)"),
  intakeSource: RecordIdSchema.nullable()
    .optional()
    .describe(
      'Intake and admin keys: the intake integration the key belongs to. Keys sharing a source share one idempotency namespace ' +
        '(externalRef / Idempotency-Key), so a rotated key finds the requests its predecessor registered. Default: the key is its own namespace.',
    ),
});

/** GET /v1/api-keys */
export const apiKeysQuery = z.strictObject({
  state: z.enum(['active', 'revoked', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  after: z.string().regex(KEY_ID_PATTERN, 'a key id').optional(),
});

/** :id of /v1/api-keys/:id */
export const apiKeyIdSchema = z.string().regex(KEY_ID_PATTERN, 'a key id like key_…');
