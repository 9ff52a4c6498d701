import { Router, type Request } from 'express';
import type { Knex } from 'knex';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../db/queries/api-keys';
import { customerExists } from '../../db/queries/policy';
import { parseQuery } from '../policy/http';
import { NotFoundProblem, ValidationProblem } from '../problems';
import { parseBody, parseWith } from '../validate';
import type { KeyVerifier } from './authenticate';
import { requireRole } from './authorize';
import { generateKey } from './keys';
import { apiKeyBody as keyBody, apiKeyIdSchema as keyIdSchema, apiKeysQuery as listQuery } from './schemas';

/** A key as shown to admins: never its secret or hash. */
function presentKey(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    customerScope: row.customer_scope,
    intakeSource: row.intake_source ?? null,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
    links: { self: `/v1/api-keys/${row.id}` },
  };
}

/**
 * /v1/api-keys (admin only): create a key (its full string is in the 201 answer and nowhere
 * else, ever), list and read keys without secrets, revoke a key. A revoke takes effect at
 * once on the API process that served it and, through NOTIFY api_key_changed (a trigger), within
 * about a second on the others (api/auth/key-events.ts).
 */
export function apiKeysRouter(deps: { db: Knex; verifier: KeyVerifier }): Router {
  const { db, verifier } = deps;
  const router = Router();
  router.use(requireRole('admin'));
  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const pathKeyId = (req: Request) => parseWith(req.params.id, keyIdSchema, 'path:id');

  router.post('/', async (req, res) => {
    const body = parseBody(req, keyBody);
    const customerScope = body.customerScope ?? null;
    if (customerScope !== null && body.role === 'admin') {
      throw new ValidationProblem([{ field: 'customerScope', rule: 'not_allowed', message: 'an admin key cannot be limited to a customer' }], 422);
    }
    if (customerScope !== null && !(await customerExists(db, customerScope))) {
      throw new ValidationProblem([{ field: 'customerScope', rule: 'unknown_reference', message: `unknown customer "${customerScope}"` }], 422);
    }
    const intakeSource = body.intakeSource ?? null;
    if (intakeSource !== null && body.role !== 'intake' && body.role !== 'admin') {
      throw new ValidationProblem([{ field: 'intakeSource', rule: 'not_allowed', message: 'only intake and admin keys register requests' }], 422);
    }
    const generated = generateKey();
    const row = await insertApiKey(db, {
      id: generated.id,
      name: body.name,
      role: body.role,
      customerScope,
      intakeSource,
      secretHash: generated.secretHash,
      prefix: generated.prefix,
      createdBy: req.principal!.keyId,
    });
    res.status(201).location(`/v1/api-keys/${row.id}`).json({ ...presentKey(row), key: generated.key });
  });

  router.get('/', async (req, res) => {
    const { state, limit, after } = parseQuery(req, listQuery);
    const page = await listApiKeys(db, { state, limit, ...(after !== undefined && { after }) });
    res.json({ items: page.items.map(presentKey), ...(page.next !== undefined && { next: page.next }) });
  });

  router.get('/:id', async (req, res) => {
    const id = pathKeyId(req);
    const row = await findApiKey(db, id);
    if (!row) throw new NotFoundProblem(`API key ${id}`);
    res.json(presentKey(row));
  });

  /** Revokes the key (idempotent: a second revoke answers the same record). */
  router.delete('/:id', async (req, res) => {
    const id = pathKeyId(req);
    const row = await revokeApiKey(db, id);
    if (!row) throw new NotFoundProblem(`API key ${id}`);
    verifier.forget(id);
    res.json(presentKey(row));
  });

  return router;
}
