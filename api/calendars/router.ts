import express, { Router, type Request } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { HOUR_MS } from '../../domain/time-units';
import {
  calendarAt,
  calendarVersion,
  CalendarComputationError,
  CalendarLimitError,
  compileVersionedCalendar,
  explainWorkingTime,
  IcsLimitError,
  importIcs,
  workingTimeBetween,
  type Calendar,
  type CalendarSpec,
  type CalendarVersionSpec,
  type VersionedCalendar,
} from '../../domain/calendar';
import { UnknownCalendarError, type CalendarRegistry } from '../../services/calendar-registry';
import { configWriter, OPERATIONS, requireRole, requireUnscoped, STAFF } from '../auth/authorize';
import { actorOf } from '../auth/principal';
import { ConflictProblem, NotFoundProblem, Problem, UnavailableProblem, ValidationProblem } from '../problems';
import { parseBody, parseWith } from '../validate';
import { hours, isoIn, presentCalendar, presentExplanation, presentVersion } from './present';
import { createReplanService, type ReplanServiceDeps } from '../../services/calendars/replan';
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
import { canonicalJson, compareAndSetCalendar, listCalendars, loadCalendar, toVersionedSpec, type StoredCalendar } from './store';
import { compileOr400, draftFromExceptions, draftFromFullSpec, planNextVersion, type VersionDraft } from './versions';

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
 * Bounds on what explain and between build for one call (a display and a measure, not the SLA
 * engine, which has none): ten years, and as many intervals as a page can show.
 */
export const EXPLAIN_LIMITS = { maxIntervals: 2_000, maxDays: 3_660 } as const;
export const BETWEEN_MAX_DAYS = 3_660;
const DEFAULT_AUTHOR = 'calendars-api';
const WRITE_ATTEMPTS = 5;

/**
 * /v1/calendars: working-time calendars as a resource. Shipped calendars (calendars/*.json)
 * and run-time ones (PostgreSQL) are listed together; a change is a new version from a stated
 * instant, after which the open requests on the calendar are re-planned onto it.
 */
export function calendarsRouter(deps: CalendarsRouterDeps): Router {
  const { db, registry } = deps;
  const now = deps.now ?? Date.now;
  const replans = createReplanService({ client: deps.client, db, taskQueue: deps.taskQueue, settings: deps.replan });
  const router = Router();

  const pathId = (req: Request) => parseWith(req.params.id, calendarIdSchema, 'path:id');
  const found = async (id: string): Promise<StoredCalendar> => {
    const c = await loadCalendar(db, id);
    if (!c) throw new NotFoundProblem(`calendar ${id}`);
    return c;
  };

  router.get('/', requireRole(...STAFF), async (req, res) => {
    const { horizonDays = DEFAULT_HORIZON_DAYS } = parseWith(req.query, listQuerySchema, 'query');
    const nowMs = now();
    const items = (await listCalendars(db)).map((c) => ('error' in c ? { id: c.id, error: c.error } : presentCalendar(c, nowMs, horizonDays)));
    res.json({ items, horizonDays });
  });

  router.get('/:id', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const { horizonDays = DEFAULT_HORIZON_DAYS } = parseWith(req.query, listQuerySchema, 'query');
    const c = await found(id);
    res.json({ ...presentCalendar(c, now(), horizonDays), spec: c.spec });
  });

  /** Creates a run-time calendar. Idempotent: the same spec again is 200; a different one is 409. */
  router.put('/:id', ...configWriter, async (req, res) => {
    const id = pathId(req);
    const body = parseBody(req, calendarBodySchema);
    if (body.id !== undefined && body.id !== id) {
      throw new ValidationProblem([{ field: 'id', rule: 'mismatch', message: `must equal the id in the path ("${id}") or be omitted` }]);
    }
    if (Array.isArray(body.versions)) {
      const unknown = Object.keys(body).filter((k) => !VERSIONED_KEYS.has(k));
      if (unknown.length > 0) throw new ValidationProblem(unknown.map((k) => ({ field: k, rule: 'unrecognized_key', message: 'is not a field of a versioned calendar (id, name, description, versions)' })));
    }
    const spec = toVersionedSpec(id, body as unknown as CalendarSpec);
    // Compiled as given, so a single calendar's errors name its own fields (`week.mon[1]`).
    compileOr400(() => compileVersionedCalendar(Array.isArray(body.versions) ? spec : ({ ...body, id } as unknown as CalendarSpec)), (f) => f);

    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const existing = await loadCalendar(db, id);
      if (existing) {
        if (canonicalJson(existing.spec) !== canonicalJson(spec)) {
          throw new ConflictProblem(`calendar "${id}" already exists (${existing.source}) with another spec; add a version with POST /v1/calendars/${id}/versions`, {
            calendarId: id,
          });
        }
        res.status(200).location(`/v1/calendars/${encodeURIComponent(id)}`).json({ ...presentCalendar(existing, now(), DEFAULT_HORIZON_DAYS), spec: existing.spec });
        return;
      }
      if ((await compareAndSetCalendar(db, id, spec, null)) !== undefined) {
        registry.invalidate(id);
        const created = await found(id);
        res.status(201).location(`/v1/calendars/${encodeURIComponent(id)}`).json({ ...presentCalendar(created, now(), DEFAULT_HORIZON_DAYS), spec: created.spec });
        return;
      }
    }
    throw new UnavailableProblem(`calendar "${id}" is being changed concurrently; retry`);
  });

  /**
   * Appends a version and re-plans the calendar's open requests onto it. `author` names who
   * made the change (recorded by each re-planned request).
   */
  router.post('/:id/versions', ...configWriter, async (req, res) => {
    const id = pathId(req);
    if (req.is('text/calendar')) {
      await addVersionFromIcs(id, req, res);
      return;
    }
    const raw = parseBody(req, calendarBodySchema);
    if ('addExceptions' in raw) {
      const body = parseWith(raw, addExceptionsBodySchema, '');
      await addVersion(id, (newest) => draftFromExceptions(newest, body.addExceptions, body.coverage), body, req, res);
    } else {
      const body = parseWith(raw, fullVersionBodySchema, '');
      if (body.id !== undefined && body.id !== id) {
        throw new ValidationProblem([{ field: 'id', rule: 'mismatch', message: `must equal the id in the path ("${id}") or be omitted` }]);
      }
      await addVersion(id, () => draftFromFullSpec(body), body, req, res);
    }
  });

  /** Like POST …/versions with addExceptions, the exceptions imported from an iCalendar body. */
  router.post('/:id/versions/ics', ...configWriter, async (req, res) => {
    const id = pathId(req);
    if (!req.is('text/calendar')) {
      throw new ValidationProblem([{ field: 'header:content-type', rule: 'unsupported_media_type', message: 'must be text/calendar' }], 415);
    }
    await addVersionFromIcs(id, req, res);
  });

  async function addVersionFromIcs(id: string, req: Request, res: express.Response): Promise<void> {
    const query = parseWith(req.query, icsQuerySchema, 'query');
    const text = typeof req.body === 'string' ? req.body : '';
    let imported: ReturnType<typeof importIcs> | undefined;
    await addVersion(
      id,
      (newest) => {
        imported = compileOr400(
          () => icsOr422(() => importIcs(text, { timezone: newest.timezone, ...(query.until ? { until: query.until } : {}) })),
          (f) => (f === 'ics' ? 'body' : `query.${f}`),
        );
        if (imported.holidays.length === 0 && imported.closures.length === 0) {
          throw new ValidationProblem([{ field: 'body', rule: 'empty', message: `no usable all-day or same-day events (${imported.skipped.length} skipped)` }]);
        }
        const draft = draftFromExceptions(newest, { holidays: imported.holidays, closures: imported.closures }, undefined, () => 'body');
        return { ...draft, field: () => 'body' };
      },
      { ...query, fieldPrefix: 'query.' },
      req,
      res,
      () => ({ imported: { holidays: imported?.holidays.length ?? 0, closures: imported?.closures.length ?? 0, skipped: imported?.skipped ?? [] } }),
    );
  }

  async function addVersion(
    id: string,
    makeDraft: (newest: CalendarVersionSpec) => VersionDraft,
    request: { effectiveFrom: string; versionId?: string; author?: string; fieldPrefix?: string },
    req: Request,
    res: express.Response,
    extra: () => Record<string, unknown> = () => ({}),
  ): Promise<void> {
    const prefix = request.fieldPrefix ?? '';
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const existing = await found(id);
      const newest = existing.spec.versions[existing.spec.versions.length - 1] as CalendarVersionSpec;
      const plan = planNextVersion(
        existing,
        makeDraft(newest),
        { effectiveFrom: request.effectiveFrom, versionId: request.versionId, effectiveFromField: `${prefix}effectiveFrom`, versionIdField: `${prefix}versionId` },
        now(),
      );
      let version: Calendar;
      let created: boolean;
      if (plan.kind === 'existing') {
        version = plan.version;
        created = false;
      } else {
        if ((await compareAndSetCalendar(db, id, plan.spec, existing.revision)) === undefined) continue; // lost a race: re-read
        version = compileVersionedCalendar(plan.spec).versions.at(-1) as Calendar;
        created = true;
      }
      registry.invalidate(id);
      const versionId = version.versionId ?? '1';
      const body = { calendarId: id, version: presentVersion(version), created, ...extra() };
      res.location(`/v1/calendars/${encodeURIComponent(id)}`);
      // One durable workflow per version: a repeat finds the same one (running or done).
      const replan = await replans.start(id, versionId, request.author ?? DEFAULT_AUTHOR, actorOf(req));
      if (/\brespond-async\b/i.test(req.header('prefer') ?? '')) {
        res
          .status(202)
          .set('Preference-Applied', 'respond-async')
          .json({ ...body, replan: { status: 'running', calendarId: id, versionId, progress: `/v1/calendars/${encodeURIComponent(id)}/versions/${encodeURIComponent(versionId)}/replan` } });
        return;
      }
      res.status(created ? 201 : 200).json({ ...body, replan: await replan.result() });
      return;
    }
    throw new UnavailableProblem(`calendar "${id}" is being changed concurrently; retry`);
  }

  /**
   * Progress of a re-plan: the workflow's counts (PostgreSQL, `replan`: total, done, failed) and
   * the projection's view (open requests on the calendar, how many are on the version).
   */
  // Counts every customer's open requests: vendor-wide operations keys only.
  router.get('/:id/versions/:versionId/replan', requireRole(...OPERATIONS), requireUnscoped(), async (req, res) => {
    const id = pathId(req);
    const versionId = parseWith(req.params.versionId, calendarIdSchema, 'path:versionId');
    const c = await found(id);
    if (!c.compiled.versions.some((v) => (v.versionId ?? '1') === versionId)) throw new NotFoundProblem(`version ${versionId} of calendar ${id}`);
    res.json(await replans.status(id, versionId));
  });

  router.get('/:id/explain', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const q = parseWith(req.query, explainQuerySchema, 'query');
    const versioned = await compiledCalendar(id, q.version);
    const { cal, atMs } = pick(versioned, q.start, 'query.start', q.version);
    const workingMs = Math.round(q.hours * HOUR_MS);
    const explanation = compute(() => explainWorkingTime(cal, atMs, workingMs, EXPLAIN_LIMITS), 'query.hours');
    res.json(presentExplanation(cal, atMs, workingMs, explanation));
  });

  router.get('/:id/between', requireRole(...STAFF), async (req, res) => {
    const id = pathId(req);
    const q = parseWith(req.query, betweenQuerySchema, 'query');
    const versioned = await compiledCalendar(id, q.version);
    const { cal, atMs: fromMs } = pick(versioned, q.from, 'query.from', q.version);
    const toMs = parseInstant(q.to, cal.timezone, 'query.to');
    if (Math.abs(toMs - fromMs) > BETWEEN_MAX_DAYS * 86_400_000) {
      throw new ValidationProblem([{ field: 'query.to', rule: 'too_big', message: `must be within ${BETWEEN_MAX_DAYS} days of from` }], 422);
    }
    const r = compute(() => workingTimeBetween(cal, fromMs, toMs));
    res.json({
      calendarId: id,
      versionId: cal.versionId ?? '1',
      timezone: cal.timezone,
      from: isoIn(fromMs, cal.timezone),
      to: isoIn(toMs, cal.timezone),
      workingSeconds: Math.floor(r.workingMs / 1000),
      workingHours: hours(r.workingMs),
      extrapolated: r.extrapolated,
    });
  });

  /** Through the registry (as workers see it); a named version unknown to the cache forces a reload. */
  async function compiledCalendar(id: string, versionId: string | undefined): Promise<VersionedCalendar> {
    const notFound = (what: string) => (err: unknown) => {
      throw err instanceof UnknownCalendarError ? new NotFoundProblem(what) : err;
    };
    await registry.versioned(id).catch(notFound(`calendar ${id}`));
    if (versionId !== undefined) await registry.resolve(id, { versionId }).catch(notFound(`version ${versionId} of calendar ${id}`));
    return registry.versioned(id);
  }

  return router;
}

/** The version asked for, or the one in force at the start instant (read in its zone if offset-less). */
function pick(versioned: VersionedCalendar, start: string, field: string, versionId: string | undefined): { cal: Calendar; atMs: number } {
  if (versionId !== undefined) {
    const cal = calendarVersion(versioned, versionId);
    if (!cal) throw new NotFoundProblem(`version ${versionId} of calendar ${versioned.id}`);
    return { cal, atMs: parseInstant(start, cal.timezone, field) };
  }
  const newest = versioned.versions[versioned.versions.length - 1] as Calendar;
  const guess = calendarAt(versioned, parseInstant(start, newest.timezone, field));
  return { cal: guess, atMs: parseInstant(start, guess.timezone, field) };
}

function parseInstant(value: string, zone: string, field: string): number {
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) {
    throw new ValidationProblem([{ field, rule: 'invalid_datetime', message: `must be an ISO-8601 date-time (an offset-less value is read in ${zone}), got ${JSON.stringify(value)}` }]);
  }
  return dt.toMillis();
}

/** A file that asks for more work than the importer allows: refused whole, naming the event. */
function icsOr422<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof IcsLimitError) {
      throw new ValidationProblem([{ field: 'body', rule: 'ics_too_much_work', message: err.message }], 422);
    }
    throw err;
  }
}

/** `field`: the parameter a caller's bound ({@link CalendarLimitError}) is about. */
function compute<T>(fn: () => T, field = 'query'): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarLimitError) {
      throw new ValidationProblem([{ field, rule: 'too_big', message: `${err.message}; ask for less (at most ${err.max} ${err.limit})` }], 422);
    }
    if (err instanceof CalendarComputationError) throw new Problem(422, 'Unprocessable request', err.message);
    throw err;
  }
}
