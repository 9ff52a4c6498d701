/**
 * The calendars use cases (what `/v1/calendars` does): create a run-time calendar, append a
 * version (a full spec, exceptions, or an imported .ics) with compare-and-set retries against
 * other API processes, start the version's durable re-plan, and measure working time through
 * the registry the workers use. Errors are thrown by meaning (./errors); the API maps them.
 */
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
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
  type Explanation,
  type VersionedCalendar,
  type VersionedCalendarSpec,
} from '../../domain/calendar';
import type { Actor } from '../../domain/request/snapshot';
import { HOUR_MS } from '../../domain/time-units';
import { compareAndSetCalendar } from '../../db/queries/calendars';
import { UnknownCalendarError, type CalendarRegistry } from '../calendar-registry';
import { canonicalJson, listCalendars, loadCalendar, toVersionedSpec, type StoredCalendar } from './catalogue';
import { CalendarBusyError, CalendarComputationRefusedError, CalendarConflictError, CalendarInputError, CalendarNotFoundError } from './errors';
import type { ReplanReport, ReplanService, ReplanStatus } from './replan';
import { compileOr400, draftFromExceptions, draftFromFullSpec, planNextVersion, type AddedExceptions, type VersionDraft } from './versions';

/**
 * Bounds on what explain and between build for one call (a display and a measure, not the SLA
 * engine, which has none): ten years, and as many intervals as a page can show.
 */
export const EXPLAIN_LIMITS = { maxIntervals: 2_000, maxDays: 3_660 } as const;
export const BETWEEN_MAX_DAYS = 3_660;
const DEFAULT_AUTHOR = 'calendars-api';
/** Compare-and-set attempts before a write gives up as busy (another process kept winning). */
const WRITE_ATTEMPTS = 5;

export interface CalendarsServiceDeps {
  db: Knex;
  registry: CalendarRegistry;
  replans: ReplanService;
  now?: () => number;
}

/** When and under which id a new version takes effect, and who made the change. */
export interface VersionRequest {
  effectiveFrom: string;
  versionId?: string;
  author?: string;
}

/** What a new version is made of. */
export type VersionChange =
  | ({ kind: 'full'; body: Record<string, unknown> } & VersionRequest)
  | ({ kind: 'exceptions'; addExceptions: AddedExceptions; coverage?: unknown } & VersionRequest)
  /** Exceptions imported from an iCalendar body; `until` bounds recurring events (query fields). */
  | ({ kind: 'ics'; text: string; until?: string } & VersionRequest);

export interface VersionAdded {
  calendarId: string;
  version: Calendar;
  /** false: the same version was added before (a retried request). */
  created: boolean;
  /** For an .ics import: what was taken from the file. */
  imported?: { holidays: number; closures: number; skipped: unknown[] };
  versionId: string;
  /** The re-plan's report; undefined when the caller did not wait for it (`wait: false`). */
  replan?: ReplanReport;
}

export function createCalendarsService(deps: CalendarsServiceDeps) {
  const { db, registry, replans } = deps;
  const now = deps.now ?? Date.now;

  async function found(id: string): Promise<StoredCalendar> {
    const c = await loadCalendar(db, id);
    if (!c) throw new CalendarNotFoundError(`calendar ${id}`);
    return c;
  }

  /** Through the registry (as workers see it); a named version unknown to the cache forces a reload. */
  async function compiledCalendar(id: string, versionId: string | undefined): Promise<VersionedCalendar> {
    const notFound = (what: string) => (err: unknown) => {
      throw err instanceof UnknownCalendarError ? new CalendarNotFoundError(what) : err;
    };
    await registry.versioned(id).catch(notFound(`calendar ${id}`));
    if (versionId !== undefined) await registry.resolve(id, { versionId }).catch(notFound(`version ${versionId} of calendar ${id}`));
    return registry.versioned(id);
  }

  function draftFor(change: VersionChange, newest: CalendarVersionSpec, imported: { value?: ReturnType<typeof importIcs> }): VersionDraft {
    if (change.kind === 'full') return draftFromFullSpec(change.body);
    if (change.kind === 'exceptions') return draftFromExceptions(newest, change.addExceptions, change.coverage);
    const result = compileOr400(
      () => icsOr422(() => importIcs(change.text, { timezone: newest.timezone, ...(change.until ? { until: change.until } : {}) })),
      (f) => (f === 'ics' ? 'body' : `query:${f}`),
    );
    imported.value = result;
    if (result.holidays.length === 0 && result.closures.length === 0) {
      throw new CalendarInputError([{ field: 'body', rule: 'empty', message: `no usable all-day or same-day events (${result.skipped.length} skipped)` }]);
    }
    const draft = draftFromExceptions(newest, { holidays: result.holidays, closures: result.closures }, undefined, () => 'body');
    return { ...draft, field: () => 'body' };
  }

  return {
    /** Every calendar, shipped and run-time; a row that no longer compiles is reported, not thrown. */
    list: () => listCalendars(db),

    get: found,

    /**
     * Creates a run-time calendar. Idempotent: the same spec again is `created: false`; a
     * different one is a conflict (a change is a new version).
     */
    async put(id: string, body: CalendarSpec | VersionedCalendarSpec): Promise<{ calendar: StoredCalendar; created: boolean }> {
      const versionedBody = Array.isArray((body as { versions?: unknown }).versions);
      const spec = toVersionedSpec(id, body);
      // Compiled as given, so a single calendar's errors name its own fields (`week.mon[1]`).
      compileOr400(() => compileVersionedCalendar(versionedBody ? spec : ({ ...body, id } as CalendarSpec)), (f) => f);

      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const existing = await loadCalendar(db, id);
        if (existing) {
          if (canonicalJson(existing.spec) !== canonicalJson(spec)) {
            throw new CalendarConflictError(`calendar "${id}" already exists (${existing.source}) with another spec; add a version with POST /v1/calendars/${id}/versions`, {
              calendarId: id,
            });
          }
          return { calendar: existing, created: false };
        }
        if ((await compareAndSetCalendar(db, id, spec, null)) !== undefined) {
          registry.invalidate(id);
          return { calendar: await found(id), created: true };
        }
      }
      throw new CalendarBusyError(id);
    },

    /**
     * Appends a version (append-only; a repeat of the newest is recognised) and starts its
     * durable re-plan of the calendar's open requests: one workflow per version, so a repeat
     * finds the same one. `wait`: also wait for the re-plan's report.
     */
    async addVersion(id: string, change: VersionChange, opts: { by?: Actor; wait: boolean }): Promise<VersionAdded> {
      // An .ics change names its request fields in the query string.
      const prefix = change.kind === 'ics' ? 'query:' : '';
      const imported: { value?: ReturnType<typeof importIcs> } = {};
      for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
        const existing = await found(id);
        const newest = existing.spec.versions[existing.spec.versions.length - 1] as CalendarVersionSpec;
        const plan = planNextVersion(
          existing,
          draftFor(change, newest, imported),
          { effectiveFrom: change.effectiveFrom, versionId: change.versionId, effectiveFromField: `${prefix}effectiveFrom`, versionIdField: `${prefix}versionId` },
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
        const replan = await replans.start(id, versionId, change.author ?? DEFAULT_AUTHOR, opts.by);
        return {
          calendarId: id,
          version,
          created,
          versionId,
          ...(change.kind === 'ics' && {
            imported: { holidays: imported.value?.holidays.length ?? 0, closures: imported.value?.closures.length ?? 0, skipped: imported.value?.skipped ?? [] },
          }),
          ...(opts.wait && { replan: await replan.result() }),
        };
      }
      throw new CalendarBusyError(id);
    },

    /** Progress of a version's re-plan; the version must exist. */
    async replanStatus(id: string, versionId: string): Promise<ReplanStatus> {
      const c = await found(id);
      if (!c.compiled.versions.some((v) => (v.versionId ?? '1') === versionId)) throw new CalendarNotFoundError(`version ${versionId} of calendar ${id}`);
      return replans.status(id, versionId);
    },

    /** How `hours` of working time from `start` fall on the calendar (bounded by EXPLAIN_LIMITS). */
    async explain(id: string, q: { start: string; hours: number; version?: string }): Promise<{ cal: Calendar; atMs: number; workingMs: number; explanation: Explanation }> {
      const versioned = await compiledCalendar(id, q.version);
      const { cal, atMs } = pick(versioned, q.start, 'query:start', q.version);
      const workingMs = Math.round(q.hours * HOUR_MS);
      const explanation = compute(() => explainWorkingTime(cal, atMs, workingMs, EXPLAIN_LIMITS), 'query:hours');
      return { cal, atMs, workingMs, explanation };
    },

    /** Working time between two instants (at most BETWEEN_MAX_DAYS apart). */
    async between(id: string, q: { from: string; to: string; version?: string }) {
      const versioned = await compiledCalendar(id, q.version);
      const { cal, atMs: fromMs } = pick(versioned, q.from, 'query:from', q.version);
      const toMs = parseInstant(q.to, cal.timezone, 'query:to');
      if (Math.abs(toMs - fromMs) > BETWEEN_MAX_DAYS * 86_400_000) {
        throw new CalendarInputError([{ field: 'query:to', rule: 'too_big', message: `must be within ${BETWEEN_MAX_DAYS} days of from` }], 422);
      }
      const result = compute(() => workingTimeBetween(cal, fromMs, toMs));
      return { cal, fromMs, toMs, result };
    },
  };
}

export type CalendarsService = ReturnType<typeof createCalendarsService>;

/** The version asked for, or the one in force at the start instant (read in its zone if offset-less). */
function pick(versioned: VersionedCalendar, start: string, field: string, versionId: string | undefined): { cal: Calendar; atMs: number } {
  if (versionId !== undefined) {
    const cal = calendarVersion(versioned, versionId);
    if (!cal) throw new CalendarNotFoundError(`version ${versionId} of calendar ${versioned.id}`);
    return { cal, atMs: parseInstant(start, cal.timezone, field) };
  }
  const newest = versioned.versions[versioned.versions.length - 1] as Calendar;
  const guess = calendarAt(versioned, parseInstant(start, newest.timezone, field));
  return { cal: guess, atMs: parseInstant(start, guess.timezone, field) };
}

function parseInstant(value: string, zone: string, field: string): number {
  const dt = DateTime.fromISO(value, { zone });
  if (!dt.isValid) {
    throw new CalendarInputError([{ field, rule: 'invalid_datetime', message: `must be an ISO-8601 date-time (an offset-less value is read in ${zone}), got ${JSON.stringify(value)}` }]);
  }
  return dt.toMillis();
}

/** A file that asks for more work than the importer allows: refused whole, naming the event. */
function icsOr422<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof IcsLimitError) throw new CalendarInputError([{ field: 'body', rule: 'ics_too_much_work', message: err.message }], 422);
    throw err;
  }
}

/** `field`: the parameter a caller's bound ({@link CalendarLimitError}) is about. */
function compute<T>(fn: () => T, field = 'query'): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CalendarLimitError) {
      throw new CalendarInputError([{ field, rule: 'too_big', message: `${err.message}; ask for less (at most ${err.max} ${err.limit})` }], 422);
    }
    if (err instanceof CalendarComputationError) throw new CalendarComputationRefusedError(err.message);
    throw err;
  }
}
