import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { checkComponents } from './checks';
import { cachedReadiness, publicView, type Components } from './readiness';

/** A readiness answer is reused for this long: at most one probe per second per API process. */
export const READINESS_MAX_AGE_MS = 1_000;
const RETRY_AFTER_SECONDS = 5;

/**
 * /healthz: liveness; 200 while this process serves requests. It calls no dependency: a
 * database or Temporal outage must not make an orchestrator restart healthy API processes.
 * /readyz: 503 (with Retry-After) unless the database, Temporal and a polling worker are all
 * up, so a load balancer stops sending traffic this API process cannot serve. Probed at most
 * once per READINESS_MAX_AGE_MS, concurrent callers sharing one probe. Both are public, so
 * they show each component's name and status only; the reason a component is down (hosts,
 * ports, driver messages) goes to the log.
 */
export function healthRouter(db: Knex, client: Client, taskQueue: string, logger?: Logger): Router {
  const router = Router();
  let wasDown = '';
  const readiness = cachedReadiness(
    () => checkComponents(db, client, taskQueue),
    READINESS_MAX_AGE_MS,
    (components: Components) => {
      const down = Object.entries(components).filter(([, c]) => c.status === 'down');
      const key = down.map(([name, c]) => `${name}:${c.detail ?? ''}`).join('|');
      // Logged when the set of failures changes, not on every probe.
      if (key !== wasDown) {
        if (down.length) logger?.warn({ components }, `not ready: ${down.map(([name]) => name).join(', ')} down`);
        else if (wasDown) logger?.info('ready again');
      }
      wasDown = key;
    },
  );
  router.get('/healthz', (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const components = await readiness.current();
    const ready = Object.values(components).every((c) => c.status === 'up');
    res.setHeader('Cache-Control', 'no-store');
    if (!ready) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', components: publicView(components) });
  });
  return router;
}
