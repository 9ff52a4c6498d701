import { Router, type Request, type Response } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { CalendarSpec, VersionedCalendarSpec } from '../../domain/calendar';
import type { CalendarRegistry } from '../../services/calendar-registry';
import { createReplanService, type ReplanServiceDeps } from '../../services/calendars/replan';
import { createCalendarsService, type VersionAdded, type VersionChange } from '../../services/calendars/service';
import { configWriter, OPERATIONS, requireRole, requireUnscoped, STAFF } from '../auth/authorize';
import { actorOf } from '../auth/principal';
import { ValidationProblem } from '../problems';
import { parseBody, parseWith } from '../validate';
import { parseQuery } from '../policy/http';
import { isoIn } from '../../services/calendars/format';
import { hours, presentCalendar, presentExplanation, presentVersion } from './present';
import {
  addExceptionsBodySchema,
  betweenQuerySchema,
  calendarBodySchema,
  calendarIdSchema,
  explainQuerySchema,
  fullVersionBodySchema,
  icsQuerySchema,
  listQuerySchema,
  VERSIONED_KEYS,
} from './schemas';


export interface CalendarsRouterDeps {
  db: Knex;
  registry: CalendarRegistry;
  client: Client;
  /** The task queue the re-plan workflows run on (the workers'). */
  taskQueue: string;
  /** Re-plan settings (window, page size, per-Update timeout). */
  replan?: ReplanServiceDeps['settings'];
  logger?: Logger;
  now?: () => number;
}

const DEFAULT_HORIZON_DAYS = 90;

/**
 * /v1/calendars: working-time calendars as a resource. Shipped calendars (calendars/*.json)
 * and run-time ones (PostgreSQL) are listed together; a change is a new version from a stated
 * instant, after which the open requests on the calendar are re-planned onto it. Each route
 * parses, calls the calendars service (services/calendars/service.ts) once, and replies.
 */
export function calendarsRouter(deps: CalendarsRouterDeps): Router {
  const now = deps.now ?? Date.now;
  const replans = createReplanService({ client: deps.client, db: deps.db, taskQueue: deps.taskQueue, calendars: deps.registry, settings: deps.replan });
  const calendars = createCalendarsService({ db: deps.db, registry: deps.registry, replans, now });
  const router = Router();

  const pathId = (req: Request) => parseWith(req.params.id, calendarIdSchema, 'path:id');
  const idMismatch = (id: string) =>
    new ValidationProblem([{ field: 'id', rule: 'mismatch', message: `must equal the id in the path ("${id}") or be omitted` }]);

  router.get('/', requireRole(...STAFF), async (req, res) => {
    const { horizonDays = DEFAULT_HORIZON_DAYS } = parseQuery(req, listQuerySchema);
    const nowMs = now();
    const items = (await calendars.list()).map((c) => ('error' in c ? { id: c.id, error: c.error } : presentCalendar(c, nowMs, horizonDays)));
    res.json({ items, horizonDays });
  });

  router.get('/:id', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const { horizonDays = DEFAULT_HORIZON_DAYS } = parseQuery(req, listQuerySchema);
    const c = await calendars.get(id);
    res.json({ ...presentCalendar(c, now(), horizonDays), spec: c.spec });
  });

  /** Creates a run-time calendar. Idempotent: the same spec again is 200; a different one is 409. */
  router.put('/:id', ...configWriter, async (req, res) => {
    const id = pathId(req);
    const body = parseBody(req, calendarBodySchema);
    if (body.id !== undefined && body.id !== id) throw idMismatch(id);
    if (Array.isArray(body.versions)) {
      const unknown = Object.keys(body).filter((k) => !VERSIONED_KEYS.has(k));
      if (unknown.length > 0) throw new ValidationProblem(unknown.map((k) => ({ field: k, rule: 'unrecognized_key', message: 'is not a field of a versioned calendar (id, name, description, versions)' })));
    }
    const { calendar, created } = await calendars.put(id, body as unknown as CalendarSpec | VersionedCalendarSpec);
    res
      .status(created ? 201 : 200)
      .location(`/v1/calendars/${encodeURIComponent(id)}`)
      .json({ ...presentCalendar(calendar, now(), DEFAULT_HORIZON_DAYS), spec: calendar.spec });
  });

  /**
   * Appends a version and re-plans the calendar's open requests onto it. `author` names who
   * made the change (recorded by each re-planned request).
   */
  router.post('/:id/versions', ...configWriter, async (req, res) => {
    const id = pathId(req);
    if (req.is('text/calendar')) {
      await addVersion(id, icsChange(req), req, res);
      return;
    }
    const raw = parseBody(req, calendarBodySchema);
    if ('addExceptions' in raw) {
      const body = parseWith(raw, addExceptionsBodySchema, '');
      await addVersion(id, { ...body, kind: 'exceptions' }, req, res);
    } else {
      const body = parseWith(raw, fullVersionBodySchema, '');
      if (body.id !== undefined && body.id !== id) throw idMismatch(id);
      await addVersion(id, { kind: 'full', body, effectiveFrom: body.effectiveFrom, versionId: body.versionId, author: body.author }, req, res);
    }
  });

  /** Like POST …/versions with addExceptions, the exceptions imported from an iCalendar body. */
  router.post('/:id/versions/ics', ...configWriter, async (req, res) => {
    const id = pathId(req);
    if (!req.is('text/calendar')) {
      throw new ValidationProblem([{ field: 'header:content-type', rule: 'unsupported_media_type', message: 'must be text/calendar' }], 415);
    }
    await addVersion(id, icsChange(req), req, res);
  });

  function icsChange(req: Request): VersionChange {
    const query = parseQuery(req, icsQuerySchema);
    return { ...query, kind: 'ics', text: typeof req.body === 'string' ? req.body : '' };
  }

  /** `Prefer: respond-async`: 202 once the re-plan is started, with where to follow it. */
  async function addVersion(id: string, change: VersionChange, req: Request, res: Response): Promise<void> {
    const async = /\brespond-async\b/i.test(req.header('prefer') ?? '');
    const added = await calendars.addVersion(id, change, { by: actorOf(req), wait: !async });
    res.location(`/v1/calendars/${encodeURIComponent(id)}`);
    const body = presentAdded(added);
    if (async) {
      const { versionId } = added;
      res
        .status(202)
        .set('Preference-Applied', 'respond-async')
        .json({ ...body, replan: { status: 'running', calendarId: id, versionId, progress: `/v1/calendars/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}/replan` } });
      return;
    }
    res.status(added.created ? 201 : 200).json({ ...body, replan: added.replan });
  }

  /**
   * Progress of a re-plan: the workflow's counts (PostgreSQL, `replan`: total, done, failed) and
   * the projection's view (open requests on the calendar, how many are on the version).
   */
  // Counts every customer's open requests: vendor-wide operations keys only.
  router.get('/:id/versions/:versionId/replan', requireRole(...OPERATIONS), requireUnscoped(), async (req, res) => {
    const id = pathId(req);
    const versionId = parseWith(req.params.versionId, calendarIdSchema, 'path:versionId');
    res.json(await calendars.replanStatus(id, versionId));
  });

  router.get('/:id/explain', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const q = parseQuery(req, explainQuerySchema);
    const { cal, atMs, workingMs, explanation } = await calendars.explain(id, q);
    res.json(presentExplanation(cal, atMs, workingMs, explanation));
  });

  router.get('/:id/between', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const q = parseQuery(req, betweenQuerySchema);
    const { cal, fromMs, toMs, result } = await calendars.between(id, q);
    res.json({
      calendarId: id,
      versionId: cal.versionId ?? '1',
      timezone: cal.timezone,
      from: isoIn(fromMs, cal.timezone),
      to: isoIn(toMs, cal.timezone),
      workingSeconds: Math.floor(result.workingMs / 1000),
      workingHours: hours(result.workingMs),
      extrapolated: result.extrapolated,
    });
  });

  return router;
}

function presentAdded(added: VersionAdded) {
  return { calendarId: added.calendarId, version: presentVersion(added.version), created: added.created, ...(added.imported && { imported: added.imported }) };
}
