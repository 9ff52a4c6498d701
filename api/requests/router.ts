import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { listRequests, type RequestListRow } from '../../db/queries/request-list';
import { listEvents } from '../../db/queries/requests';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { allowedActions } from '../../domain/request/allowed-actions';
import { requestWorkflowId } from '../../domain/request/workflow-id';
import type { CalendarRegistry } from '../../services/calendar-registry';
import type { RegistrationService } from '../../services/registration/service';
import {
  assignUpdate,
  priorityUpdate,
  cancelUpdate,
  closeUpdate,
  reopenUpdate,
  resolveUpdate,
  respondUpdate,
  waitOnCustomerUpdate,
  waitOnThirdPartyUpdate,
  resumeUpdate,
  type RequestReceipt,
} from '../../workflows/messages';
import { requireRole, ROLES, STAFF } from '../auth/authorize';
import { actorOf, callerOf, canSeeCustomer, customerScopeOf, type Role } from '../auth/principal';
import { NotFoundProblem, ValidationProblem } from '../problems';
import { parseQuery } from '../policy/http';
import { parseBody, parseWith } from '../validate';
import { clientRunFetcher, loadTemporalHistory, mergeHistory, type TemporalHistory } from './history';
import { isoIn, presentEvent, presentRequest } from './present';
import {
  assignmentSchema,
  priorityChangeSchema,
  cancellationSchema,
  customerReplySchema,
  decodeListCursor,
  encodeListCursor,
  historyQuerySchema,
  idempotencyKeySchema,
  noteSchema,
  registrationSchema,
  replySchema,
  requestIdSchema,
  requestListQuerySchema,
  resolutionSchema,
  thirdPartyWaitSchema,
} from './schemas';
import type { RequestService } from './service';
import { createCustomerReplyService } from './follow-up';
import { assertWithinBounds, instantBoundsFromEnv } from './instant-bounds';
import { actionIdempotencyKey, type IdempotentActions } from './idempotent-actions';
import type { InstantBounds } from '../../domain/request/occurred-at';

export interface RequestsRouterDeps {
  service: RequestService;
  registration: RegistrationService;
  /** Sends agent and customer actions once per Idempotency-Key. */
  actions: IdempotentActions;
  db: Knex;
  calendars: CalendarRegistry;
  /** Base of the Temporal Web UI, to link a request to its workflow history. */
  temporalUiBase?: string;
  namespace: string;
  /** Reads workflow histories for GET /:id/history; without it the history has the PostgreSQL timeline only. */
  client?: Client;
  /** Bounds of `receivedAt` and `occurredAt`; from the environment when absent. */
  instantBounds?: InstantBounds;
}

/** /v1/requests: intake registers and relays customer replies, agents act, operations read. */
export function requestsRouter(deps: RequestsRouterDeps): Router {
  const { service, db, calendars } = deps;
  const bounds = deps.instantBounds ?? instantBoundsFromEnv();
  const customerReplies = createCustomerReplyService({ requests: service, registration: deps.registration });
  const { actions } = deps;
  const router = Router();

  const present = async (s: RequestSnapshot) => {
    const cal = await calendars.resolve(s.calendar.id, { versionId: s.calendar.versionId });
    const workflowId = requestWorkflowId(s.requestId);
    const temporalUi = deps.temporalUiBase ? `${deps.temporalUiBase}/namespaces/${deps.namespace}/workflows/${workflowId}` : undefined;
    return presentRequest(s, cal, Date.now(), { temporalUi });
  };
  const temporalUi = (workflowId: string) => `${deps.temporalUiBase}/namespaces/${deps.namespace}/workflows/${workflowId}`;
  const calendarKey = (r: RequestListRow) => `${r.calendar_id}\u0000${r.calendar_version_id}`;
  /** Time zones of the rows' calendars (cached by the registry); UTC when one cannot be resolved. */
  const zonesOf = async (rows: readonly RequestListRow[]) => {
    const keys = new Map(rows.map((r) => [calendarKey(r), r] as const));
    const zones = new Map<string, string>();
    await Promise.all(
      [...keys].map(async ([key, r]) => {
        const zone = await calendars.resolve(r.calendar_id, { versionId: r.calendar_version_id }).then((c) => c.timezone, () => 'UTC');
        zones.set(key, zone);
      }),
    );
    return zones;
  };
  const listItem = (r: RequestListRow, iso: ReturnType<typeof isoIn>) => ({
    id: r.id,
    state: r.state,
    level: r.level,
    customerId: r.customer_id,
    subject: r.subject,
    priority: r.priority,
    assignee: { agent: r.assignee, group: r.assignee_group },
    registeredAt: iso(r.registered_at.getTime()),
    nextDueAt: iso(r.next_due_at?.getTime()),
    breached: r.breached,
    atRisk: r.at_risk,
    allowedActions: allowedActions({ state: r.state, reopenUntilMs: r.reopen_until?.getTime() ?? null }, Date.now()),
    links: { self: `/v1/requests/${r.id}` },
  });
  const requestId = (req: Request) => parseWith(req.params.id, requestIdSchema, 'path:id');
  /** The request, if the caller's key may see it; another customer's request is "not found" to a scoped key. */
  const visible = async (req: Request, id: string): Promise<RequestSnapshot> => {
    const s = await service.get(id);
    if (!canSeeCustomer(req, s.registration.customerId ?? s.policy.customerId)) throw new NotFoundProblem(`request ${id}`);
    return s;
  };

  router.post('/', requireRole('intake', 'admin'), async (req, res) => {
    const input = parseBody(req, registrationSchema);
    assertWithinBounds('receivedAt', input.receivedAt, bounds);
    const header = req.header('idempotency-key');
    const idempotencyKey = header === undefined ? undefined : parseWith(header, idempotencyKeySchema, 'header:idempotency-key');
    const { created, snapshot } = await deps.registration.register(callerOf(req), input, idempotencyKey);
    res.status(created ? 201 : 200).location(`/v1/requests/${snapshot.requestId}`).json(await present(snapshot));
  });

  // Operations list: compact items, newest registration first, keyset pages. A scoped key
  // sees its customer's requests only (a customerId filter naming another customer finds none).
  router.get('/', requireRole(...ROLES), async (req, res) => {
    const q = parseQuery(req, requestListQuerySchema);
    const after = q.cursor === undefined ? undefined : decodeListCursor(q.cursor);
    if (after === null) throw new ValidationProblem([{ field: 'query:cursor', rule: 'invalid_cursor', message: 'is not a cursor this API issued (pass nextCursor as it was given)' }]);
    const scope = customerScopeOf(req);
    if (scope !== null && q.customerId !== undefined && q.customerId !== scope) {
      res.json({ items: [], nextCursor: null });
      return;
    }
    const page = await listRequests(
      db,
      {
        states: q.state,
        levels: q.level,
        customerId: scope ?? q.customerId,
        assignee: q.assignee,
        group: q.group,
        breached: q.breached,
        atRisk: q.atRisk,
        dueBeforeMs: q.dueBefore,
        registeredFromMs: q.registeredFrom,
        registeredToMs: q.registeredTo,
      },
      q.limit,
      after,
    );
    const zones = await zonesOf(page.rows);
    res.json({ items: page.rows.map((r) => listItem(r, isoIn(zones.get(calendarKey(r)) ?? 'UTC'))), nextCursor: page.next ? encodeListCursor(page.next) : null });
  });

  router.get('/:id', requireRole(...ROLES), async (req, res) => {
    res.json(await present(await visible(req, requestId(req))));
  });

  // The timeline holds internal notes: the support desk and operations only.
  router.get('/:id/events', requireRole(...STAFF), async (req, res) => {
    const s = await visible(req, requestId(req));
    const cal = await calendars.resolve(s.calendar.id, { versionId: s.calendar.versionId });
    res.json({ items: (await listEvents(db, s.requestId)).map((e) => presentEvent(e, isoIn(cal.timezone))) });
  });

  // The domain timeline merged with the workflow's Temporal history (internal notes too: staff only).
  router.get('/:id/history', requireRole(...STAFF), async (req, res) => {
    const id = requestId(req);
    const { workflowTasks = false } = parseQuery(req, historyQuerySchema);
    const s = await visible(req, id);
    const cal = await calendars.resolve(s.calendar.id, { versionId: s.calendar.versionId });
    const workflowId = requestWorkflowId(s.requestId);
    const [events, temporal] = await Promise.all([
      listEvents(db, s.requestId),
      deps.client
        ? loadTemporalHistory(clientRunFetcher(deps.client, workflowId), { includeWorkflowTasks: workflowTasks })
        : Promise.resolve<TemporalHistory>({ available: false, reason: 'this API process has no Temporal client' }),
    ]);
    const { entries, ...temporalStatus } = temporal.available ? temporal : { ...temporal, entries: [] };
    res.json({
      id: s.requestId,
      workflowId,
      temporal: temporalStatus,
      items: mergeHistory(events, entries, isoIn(cal.timezone)),
      links: {
        self: `/v1/requests/${s.requestId}/history`,
        request: `/v1/requests/${s.requestId}`,
        events: `/v1/requests/${s.requestId}/events`,
        ...(deps.temporalUiBase ? { temporalUi: temporalUi(workflowId) } : {}),
      },
    });
  });

  /** An action as the idempotent-actions service takes it: with the Idempotency-Key header, if any. */
  const keyed = (req: Request, id: string, action: string, body: object) => ({
    caller: callerOf(req),
    requestId: id,
    key: actionIdempotencyKey(req.header('idempotency-key')),
    action,
    body,
  });

  /** POST /:id/<path>: validate the body, send the Update (once per Idempotency-Key), answer with the new state. */
  function action<S extends z.ZodType, A extends object>(path: string, roles: readonly Role[], schema: S, update: UpdateDefinition<RequestReceipt, [A]>, toArg: (body: z.infer<S>) => A) {
    router.post(`/:id/${path}`, requireRole(...roles), async (req, res) => {
      const id = requestId(req);
      const body = parseBody(req, schema);
      const a = keyed(req, id, path, body as object);
      await visible(req, id);
      const answer = await actions.perform(
        a,
        () => assertWithinBounds('occurredAt', (body as { occurredAt?: string }).occurredAt, bounds),
        async (updateId) => ({ status: 200, snapshot: await service.act(id, update, toArg(body), actorOf(req), { updateId }) }),
      );
      res.status(answer.status).json(await present(answer.snapshot));
    });
  }
  const desk: readonly Role[] = ['agent', 'admin'];
  action('responses', desk, replySchema, respondUpdate, (b) => b);
  action('wait-on-customer', desk, noteSchema, waitOnCustomerUpdate, (b) => b);
  action('wait-on-third-party', desk, thirdPartyWaitSchema, waitOnThirdPartyUpdate, (b) => b);
  action('resume', desk, noteSchema, resumeUpdate, (b) => b);
  // Intake systems relay what the customer wrote. Past a closed request's reopen window the reply
  // starts a follow-up request (201 with its Location) instead of a 409.
  router.post('/:id/customer-replies', requireRole('intake', 'agent', 'admin'), async (req, res) => {
    const id = requestId(req);
    const body = parseBody(req, customerReplySchema);
    const a = keyed(req, id, 'customer-replies', body);
    await visible(req, id);
    const { status, snapshot } = await actions.perform(
      a,
      () => assertWithinBounds('occurredAt', body.occurredAt, bounds),
      async (updateId) => {
        const { snapshot, followUp } = await customerReplies.reply(id, body, actorOf(req), callerOf(req), { updateId });
        return { status: followUp?.created ? 201 : 200, snapshot };
      },
    );
    if (snapshot.requestId !== id) res.location(`/v1/requests/${snapshot.requestId}`);
    res.status(status).json(await present(snapshot));
  });
  action('resolve', desk, resolutionSchema, resolveUpdate, (b) => b);
  action('close', desk, noteSchema, closeUpdate, (b) => b);
  action('reopen', desk, noteSchema, reopenUpdate, (b) => b);
  action('cancel', desk, cancellationSchema, cancelUpdate, (b) => b);
  action('assignment', desk, assignmentSchema, assignUpdate, (b) => b);
  action('priority', desk, priorityChangeSchema, priorityUpdate, (b) => b);

  return router;
}
