import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  assignmentSchema,
  cancellationSchema,
  customerReplySchema,
  historyQuerySchema,
  idempotencyKeySchema,
  noteSchema,
  priorityChangeSchema,
  registrationSchema,
  replySchema,
  requestIdSchema,
  requestListQuerySchema,
  resolutionSchema,
  thirdPartyWaitSchema,
} from '../../requests/schemas';
import { REQUEST_STATES } from '../../../domain/request/snapshot';
import { REQUEST_ACTIONS } from '../../../domain/request/transitions';
import { jsonResponse, named } from '../components';
import { defineOperation } from '../define';

const TAG = 'Requests';
const REQUEST_STATE =
  'The request: state, level, pinned policy (with `reasons`, `whoMayAsk`, the pinned `reporter` and `notGranted`: why stronger levels were not granted, in en and ru), clocks (due, paused, breached), assignee, ' +
  'and `allowedActions`: what its state allows now';

/** Where each of `allowedActions` is sent (POST /v1/requests/{id}/<path>). */
const ACTION_ROUTES =
  'reply: responses (visibility public), note: responses (visibility internal), wait_on_customer: wait-on-customer, wait_on_third_party: wait-on-third-party, ' +
  'resume: resume, customer_reply: customer-replies, resolve: resolve, close: close, reopen: reopen, cancel: cancel, assign: assignment, set_priority: priority';

export const allowedActionsSchema = z
  .array(z.enum(REQUEST_ACTIONS))
  .describe(
    "The actions the request's current state allows now (the workflow's own state machine): offer only these. " +
      `Where each is sent: ${ACTION_ROUTES}. The key's role still decides who may send which (agents act; intake relays customer replies). ` +
      'A change made meanwhile can still refuse an action: 409 with the reason and the state. ' +
      "A request closed past its reopen window lists only customer_reply (which registers a follow-up); a cancelled one lists none.",
  );

/** The request representation (`api/requests/present.ts`): the members integrations read most; others are described in prose. */
const requestRepresentation = z
  .looseObject({
    id: z.string().describe('SR-…'),
    state: z.enum(REQUEST_STATES),
    level: z.string(),
    priority: z.string(),
    allowedActions: allowedActionsSchema,
    revision: z.number().int().describe('Increases with every change'),
  })
  .describe(REQUEST_STATE);

/** /v1/requests (`api/requests/router.ts`). */
export function registerRequestPaths(registry: OpenAPIRegistry): void {
  const id = { id: requestIdSchema.describe('A request id, e.g. SR-7Q…') };
  const request = named(registry, 'Request', requestRepresentation);
  defineOperation(registry, {
    method: 'post',
    path: '/v1/requests',
    tag: TAG,
    summary: 'Register a support request',
    description:
      'Admits the request under the support policy, pins its level, calendar and targets, and starts its workflow. ' +
      'A retry with the same `externalRef` or `Idempotency-Key` returns the same request (200) and never starts a second workflow. ' +
      "Keys are scoped by the caller (its API key, or the key's `intakeSource`) and the customer: another caller's or customer's key never names this request. " +
      'A retry whose content differs from the first attempt answers 422 `idempotency-key-reused` naming the differing fields. ' +
      'A registration refused for a configuration reason (e.g. 409 `unknown-calendar`) leaves nothing behind: retry once it is fixed. ' +
      '503 with `Retry-After` when too many registrations wait for the same contract quota. ' +
      'A refusal by the support policy is a 422 with `rule`, `allowed` (the terms held) and `notGranted`: why each level that could have served the category was not granted, ' +
      'as `{ level, contractId?, code, en, ru }` sentences a desk agent can repeat (e.g. code `warranty-ended`, "Warranty support: warranty ended on 2027-03-01 (…)"). ' +
      'Anonymous requests from the `support-site-form` channel that name no office go to the office set by `SITE_FORM_DEFAULT_OFFICE_ID`, when the deployment sets one. ' +
      '`receivedAt` (a request that reached the desk earlier) moves admission and every clock to that instant; it may be at most INTAKE_MAX_CLOCK_SKEW_SECONDS ' +
      '(default 120) ahead of the server clock and at most INTAKE_MAX_BACKDATE_DAYS (default 30) days old, else 422 with rule `in-the-future` or `too-old` naming receivedAt.',
    headers: z.object({ 'idempotency-key': idempotencyKeySchema.optional().describe('Identifies the registration instead of externalRef') }),
    body: named(registry, 'Registration', registrationSchema),
    responses: { 201: jsonResponse(`Registered. ${REQUEST_STATE}`, request), 200: jsonResponse(`Already registered by an earlier attempt. ${REQUEST_STATE}`, request) },
    errors: [403, 409, 422, 503],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/requests',
    tag: TAG,
    summary: 'List requests (operations view)',
    description: 'Compact items, newest registration first, keyset pages (`cursor` = the `nextCursor` of the previous page). A customer-scoped key sees its own requests only.',
    query: requestListQuerySchema,
    responses: { 200: jsonResponse('`items` (each with `allowedActions`, as on the request) and `nextCursor` (null on the last page)') },
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/requests/{id}',
    tag: TAG,
    summary: 'A request: state, clocks and the actions allowed now',
    params: id,
    responses: { 200: jsonResponse(REQUEST_STATE, request) },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/requests/{id}/events',
    tag: TAG,
    summary: "The request's domain timeline",
    params: id,
    responses: { 200: jsonResponse('`items`: the events, oldest first; `actor` is the name the caller gave, `by` ({ keyId, role }) the API key that made the action (absent for the workflow\'s own events)') },
    errors: [404],
  });
  defineOperation(registry, {
    method: 'get',
    path: '/v1/requests/{id}/history',
    tag: TAG,
    summary: "The request's domain timeline merged with its Temporal workflow history",
    params: id,
    query: historyQuerySchema,
    responses: { 200: jsonResponse('Domain events (with `actor` and `by`: { keyId, role } of the calling key) and workflow history events (timers, updates, activities) in one timeline') },
    errors: [404],
  });

  const note = named(registry, 'Note', noteSchema);
  const actions: Array<[path: string, summary: string, schema: z.ZodType]> = [
    ['responses', 'Reply to the customer (public) or add an internal note', named(registry, 'Reply', replySchema)],
    ['wait-on-customer', 'Wait on the customer: pauses the clocks the pinned terms name (policy.lifecycle.pauses; seed levels: resolution)', note],
    [
      'wait-on-third-party',
      'Wait on a third party (handed to the developers, a vendor): pauses the clocks the pinned terms name (seed levels: none)',
      named(registry, 'ThirdPartyWait', thirdPartyWaitSchema),
    ],
    ['resume', 'Stop waiting (on the customer or a third party): paused clocks run again', note],
    ['customer-replies', "Relay the customer's reply: resumes the clock", named(registry, 'CustomerReply', customerReplySchema)],
    ['resolve', 'Resolve the request', named(registry, 'Resolution', resolutionSchema)],
    ['close', 'Close a resolved request', note],
    ['reopen', 'Reopen a resolved request', note],
    ['cancel', 'Cancel the request (duplicate, spam, withdrawn)', named(registry, 'Cancellation', cancellationSchema)],
    ['assignment', 'Assign to an agent and/or a group', named(registry, 'Assignment', assignmentSchema)],
    ['priority', "Change the request's priority", named(registry, 'PriorityChange', priorityChangeSchema)],
  ];
  const occurredAtRules =
    '`occurredAt` records an action that happened earlier (same bounds as `receivedAt`: 422 `in-the-future` or `too-old`); ' +
    "one before the request's previous event answers 409 with reason `OccurredOutOfOrder` and rule `before-previous-event` naming occurredAt.";
  const customerReplyRules =
    " A reply to a resolved request, or a closed one within its reopen window, reopens it or is recorded and told to the assignee (the pinned term `policy.lifecycle.replyAfterResolution`). " +
    'A reply to a request closed past its reopen window registers a new request with `followUpOf` naming this one, on the terms in force now: 201 with its Location ' +
    '(200 when the same reply was relayed before). A cancelled request answers 409.';
  const idempotencyRules =
    ' With an `Idempotency-Key` header (1-200 printable ASCII characters, scoped to the caller — its API key, or its `intakeSource` — and the request), ' +
    'a retry of the same action with the same body answers like the first attempt (same status, the request as it is now) and records nothing new, ' +
    'even while the first attempt is still running or after its answer was lost; a first attempt refused with 409 is refused the same way again. ' +
    'The same key with another action or body answers 422 `idempotency-key-reused` naming the differing fields (`differingFields`, `action` when the action differs).';
  const actionHeaders = z.object({
    'idempotency-key': idempotencyKeySchema.optional().describe('Makes a retry of this action safe: the same key, action and body are applied once'),
  });
  for (const [path, summary, body] of actions) {
    const followUp = path === 'customer-replies';
    defineOperation(registry, {
      method: 'post',
      path: `/v1/requests/{id}/${path}`,
      tag: TAG,
      summary,
      params: id,
      body,
      headers: actionHeaders,
      description: occurredAtRules + (followUp ? customerReplyRules : '') + idempotencyRules,
      responses: {
        200: jsonResponse(`Done. ${REQUEST_STATE}`, request),
        ...(followUp ? { 201: jsonResponse(`The request was closed past its reopen window: the follow-up registered for the reply. ${REQUEST_STATE}`, request) } : {}),
      },
      errors: followUp ? [403, 404, 409, 422, 503] : [404, 409, 422],
    });
  }
}
