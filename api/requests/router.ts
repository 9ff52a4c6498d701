import { Router } from 'express';
import type { Knex } from 'knex';
import { findRequest, listEvents } from '../../db/queries/requests';
import { NotFoundProblem, ValidationProblem } from '../problems';
import { parseBody, parseWith } from '../validate';
import { idempotencyKeySchema, registrationSchema, replySchema, requestIdSchema } from './schemas';
import { presentEvent, presentRow, presentSnapshot } from './present';
import type { RequestService } from './service';

/** /v1/requests: intake registers, agents respond, operations read. */
export function requestsRouter(service: RequestService, db: Knex): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const registration = parseBody(req, registrationSchema);
    const header = req.header('idempotency-key');
    const key = header !== undefined ? parseWith(header, idempotencyKeySchema, 'header:idempotency-key') : registration.externalRef;
    if (!key) {
      throw new ValidationProblem([{ field: 'externalRef', rule: 'required', message: 'externalRef or an Idempotency-Key header is required' }]);
    }
    const scope = header !== undefined ? 'idempotency-key' : 'external-ref';
    const result = await service.register(scope, key, registration);
    if ('snapshot' in result) {
      res.status(result.created ? 201 : 200).location(`/v1/requests/${result.snapshot.requestId}`).json(presentSnapshot(result.snapshot));
      return;
    }
    const row = await findRequest(db, result.requestId);
    if (!row) throw new NotFoundProblem(`request ${result.requestId}`);
    res.status(200).json(presentRow(row));
  });

  router.get('/:id', async (req, res) => {
    const id = parseWith(req.params.id, requestIdSchema, 'path:id');
    const row = await findRequest(db, id);
    if (!row) throw new NotFoundProblem(`request ${id}`);
    res.json(presentRow(row));
  });

  router.get('/:id/events', async (req, res) => {
    const id = parseWith(req.params.id, requestIdSchema, 'path:id');
    const row = await findRequest(db, id);
    if (!row) throw new NotFoundProblem(`request ${id}`);
    res.json({ items: (await listEvents(db, id)).map(presentEvent) });
  });

  router.post('/:id/responses', async (req, res) => {
    const id = parseWith(req.params.id, requestIdSchema, 'path:id');
    const reply = parseBody(req, replySchema);
    res.json(presentSnapshot(await service.respond(id, reply)));
  });

  return router;
}
