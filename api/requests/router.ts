import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import type { z } from 'zod';
import type { UpdateDefinition } from '@temporalio/common';
import { listEvents } from '../../db/queries/requests';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import type { CalendarRegistry } from '../../services/calendar-registry';
import {
  assignUpdate,
  cancelUpdate,
  closeUpdate,
  customerReplyUpdate,
  reopenUpdate,
  resolveUpdate,
  respondUpdate,
  waitOnCustomerUpdate,
} from '../../workflows/messages';
import { ValidationProblem } from '../problems';
import { parseBody, parseWith } from '../validate';
import { isoIn, presentEvent, presentRequest } from './present';
import {
  assignmentSchema,
  cancellationSchema,
  customerReplySchema,
  idempotencyKeySchema,
  noteSchema,
  registrationSchema,
  replySchema,
  requestIdSchema,
  resolutionSchema,
} from './schemas';
import type { RequestService } from './service';

export interface RequestsRouterDeps {
  service: RequestService;
  db: Knex;
  calendars: CalendarRegistry;
  /** Base of the Temporal Web UI, to link a request to its workflow history. */
  temporalUiBase?: string;
  namespace: string;
}

/** /v1/requests: intake registers and relays customer replies, agents act, operations read. */
export function requestsRouter(deps: RequestsRouterDeps): Router {
  const { service, db, calendars } = deps;
  const router = Router();

  const present = async (s: RequestSnapshot) => {
    const cal = await calendars.resolve(s.calendar.id, { versionId: s.calendar.versionId });
    const workflowId = `support-request-${s.requestId}`;
    const temporalUi = deps.temporalUiBase ? `${deps.temporalUiBase}/namespaces/${deps.namespace}/workflows/${workflowId}` : undefined;
    return presentRequest(s, cal, Date.now(), { temporalUi });
  };
  const requestId = (req: Request) => parseWith(req.params.id, requestIdSchema, 'path:id');

  router.post('/', async (req, res) => {
    const fields = parseBody(req, registrationSchema);
    const header = req.header('idempotency-key');
    const key = header !== undefined ? parseWith(header, idempotencyKeySchema, 'header:idempotency-key') : fields.externalRef;
    if (!key) {
      throw new ValidationProblem([{ field: 'externalRef', rule: 'required', message: 'externalRef or an Idempotency-Key header is required' }]);
    }
    const { created, snapshot } = await service.register(header !== undefined ? 'idempotency-key' : 'external-ref', key, fields);
    res.status(created ? 201 : 200).location(`/v1/requests/${snapshot.requestId}`).json(await present(snapshot));
  });

  router.get('/:id', async (req, res) => {
    res.json(await present(await service.get(requestId(req))));
  });

  router.get('/:id/events', async (req, res) => {
    const s = await service.get(requestId(req));
    const cal = await calendars.resolve(s.calendar.id, { versionId: s.calendar.versionId });
    res.json({ items: (await listEvents(db, s.requestId)).map((e) => presentEvent(e, isoIn(cal.timezone))) });
  });

  /** POST /:id/<path>: validate the body, send the Update, answer with the new state. */
  function action<S extends z.ZodType, A>(path: string, schema: S, update: UpdateDefinition<RequestSnapshot, [A]>, toArg: (body: z.infer<S>) => A) {
    router.post(`/:id/${path}`, async (req, res) => {
      const id = requestId(req);
      const body = parseBody(req, schema);
      res.json(await present(await service.act(id, update, toArg(body))));
    });
  }
  action('responses', replySchema, respondUpdate, (b) => b);
  action('wait-on-customer', noteSchema, waitOnCustomerUpdate, (b) => b);
  action('customer-replies', customerReplySchema, customerReplyUpdate, (b) => b);
  action('resolve', resolutionSchema, resolveUpdate, (b) => b);
  action('close', noteSchema, closeUpdate, (b) => b);
  action('reopen', noteSchema, reopenUpdate, (b) => b);
  action('cancel', cancellationSchema, cancelUpdate, (b) => b);
  action('assignment', assignmentSchema, assignUpdate, (b) => b);

  return router;
}
