import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { CalendarRegistry } from '../../services/calendar-registry';
import { createReplanService } from '../../services/calendars/replan';
import { OPERATIONS, requireRole, requireUnscoped } from '../auth/authorize';

/**
 * /v1/calendar-replans: the re-plans running now and those finished in the last hour, newest
 * first, for the board (a calendar change moves every open deadline on it at once; the desk
 * should see that happening). One re-plan's detail is at /v1/calendars/:id/versions/:v/replan.
 */
export function calendarReplansRouter(deps: { db: Knex; client: Client; taskQueue: string; calendars: CalendarRegistry }): Router {
  const replans = createReplanService(deps);
  const router = Router();
  // Counts every customer's open requests: vendor-wide operations keys only.
  router.get('/', requireRole(...OPERATIONS), requireUnscoped(), async (_req, res) => {
    res.json({ items: await replans.recent() });
  });
  return router;
}
