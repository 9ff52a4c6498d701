import { Router } from 'express';
import type { Knex } from 'knex';
import { directoryChanges, getDirectoryEntry, listDirectory } from '../../db/queries/recipient-directory';
import type { RecipientDirectory } from '../../services/recipient-directory';
import { configWriter, requireRole, requireUnscoped, STAFF } from '../auth/authorize';
import { actorOf } from '../auth/principal';
import { enc, found, parseQuery } from '../policy/http';
import { parseBody, parseWith } from '../validate';
import { recipientBody, recipientIdSchema, recipientsQuery } from './schemas';

/**
 * /v1/recipients: the notification directory (people and teams, their roles, e-mail, webhook
 * and quiet hours). Operations and admin write; staff read; a customer-scoped key neither (the
 * directory holds the vendor's staff). Every write is audited with the calling key.
 */
export function recipientsRouter(deps: { db: Knex; directory: RecipientDirectory }): Router {
  const router = Router();
  const staffOnly = [requireRole(...STAFF), requireUnscoped()];
  const idOf = (raw: unknown) => parseWith(raw, recipientIdSchema, 'path:recipientId');

  router.get('/', ...staffOnly, async (req, res) => {
    const { active, ...q } = parseQuery(req, recipientsQuery);
    res.json(await listDirectory(deps.db, { ...q, ...(active !== undefined && { active: active === 'true' }) }));
  });

  router.get('/:recipientId', ...staffOnly, async (req, res) => {
    const id = idOf(req.params.recipientId);
    res.json(found(await getDirectoryEntry(deps.db, id), `recipient "${id}"`));
  });

  router.get('/:recipientId/changes', ...staffOnly, async (req, res) => {
    const id = idOf(req.params.recipientId);
    res.json({ items: await directoryChanges(deps.db, id) });
  });

  router.put('/:recipientId', ...configWriter, async (req, res) => {
    const id = idOf(req.params.recipientId);
    const body = parseBody(req, recipientBody);
    const { created, entry } = await deps.directory.put(id, body, actorOf(req));
    res.status(created ? 201 : 200).location(`${req.baseUrl}/${enc(id)}`).json(entry);
  });

  router.delete('/:recipientId', ...configWriter, async (req, res) => {
    const id = idOf(req.params.recipientId);
    found((await deps.directory.delete(id, actorOf(req))) || undefined, `recipient "${id}"`);
    res.status(204).end();
  });

  return router;
}
