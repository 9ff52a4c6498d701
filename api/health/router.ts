import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { checkComponents } from './checks';

/**
 * /healthz: liveness; always 200 while the process serves, with each component's status.
 * /readyz: 503 unless the database, Temporal and a polling worker are all up, so a load
 * balancer stops sending traffic this API process cannot serve.
 */
export function healthRouter(db: Knex, client: Client, taskQueue: string): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.json({ status: 'ok', components: await checkComponents(db, client, taskQueue) });
  });
  router.get('/readyz', async (_req, res) => {
    const components = await checkComponents(db, client, taskQueue);
    const ready = Object.values(components).every((c) => c.status === 'up');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', components });
  });
  return router;
}
