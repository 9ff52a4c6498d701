import { z } from 'zod';
import { LEVEL_IDS } from '../../domain/policy';
import { entityIdSchema } from '../../domain/request/actions';
import { REQUEST_STATES } from '../../domain/request/snapshot';

const id = entityIdSchema;

/** POST /v1/requests: defined with the registration service, which takes its parsed output. */
export { registrationSchema } from '../../services/registration/input';

// The agent and customer actions are domain schemas: the workflow's Update types come from them.
export {
  assignmentSchema,
  cancellationSchema,
  customerReplySchema,
  noteSchema,
  priorityChangeSchema,
  replySchema,
  resolutionSchema,
  thirdPartyWaitSchema,
} from '../../domain/request/actions';

export const idempotencyKeySchema = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
export const requestIdSchema = z.string().regex(/^SR-[0-9A-Z]{26}$/, 'a request id like SR-…');

// GET /v1/requests (operations list) ------------------------------------------------------

/** A comma list of allowed words, e.g. `state=registered,in_progress`; each at most once. */
const commaList = <T extends string>(allowed: readonly T[]) =>
  z
    .string()
    .regex(new RegExp(`^(${allowed.join('|')})(,(${allowed.join('|')}))*$`), `a comma-separated list of: ${allowed.join(', ')}`)
    .transform((s) => [...new Set(s.split(','))] as T[]);
const flag = z.enum(['true', 'false'], { message: 'true or false' }).transform((v) => v === 'true');
/** An ISO-8601 instant with an offset (`Z` or `+03:00`), as epoch ms. */
export const isoInstantQuery = z.iso.datetime({ offset: true, message: 'an ISO-8601 instant with an offset, e.g. 2026-12-01T09:00:00+03:00' }).transform((s) => Date.parse(s));

export const requestListQuerySchema = z.strictObject({
  state: commaList(REQUEST_STATES).optional(),
  level: commaList(LEVEL_IDS).optional(),
  customerId: id.optional(),
  assignee: id.optional(),
  group: id.optional(),
  breached: flag.optional(),
  atRisk: flag.optional(),
  dueBefore: isoInstantQuery.optional(),
  registeredFrom: isoInstantQuery.optional(),
  registeredTo: isoInstantQuery.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(500).optional(),
});
export type RequestListQuery = z.infer<typeof requestListQuerySchema>;

const cursorSchema = z.strictObject({
  r: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/),
  i: requestIdSchema.or(id),
});

/** The opaque list cursor: base64url JSON of the last row's position. */
export function encodeListCursor(p: { registeredAt: string; id: string }): string {
  return Buffer.from(JSON.stringify({ r: p.registeredAt, i: p.id })).toString('base64url');
}

/** The position in a cursor, or null when it is not one this API issued. */
export function decodeListCursor(cursor: string): { registeredAt: string; id: string } | null {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return parsed.success ? { registeredAt: parsed.data.r, id: parsed.data.i } : null;
  } catch {
    return null;
  }
}

/** GET /v1/requests/:id/history: `workflowTasks=true` keeps Temporal's workflow-task events too. */
export const historyQuerySchema = z.strictObject({ workflowTasks: flag.optional() });
