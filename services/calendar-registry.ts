import type { Knex } from 'knex';
import {
  calendarAt,
  calendarVersion,
  compileVersionedCalendar,
  loadShippedVersionedCalendar,
  shippedCalendarIds,
  type Calendar,
  type CalendarSpec,
  type VersionedCalendarSpec,
  type VersionedCalendar,
} from '../domain/calendar';
import { findCalendarRow } from '../db/queries/calendars';

/**
 * Finds calendars by id: a run-time definition in PostgreSQL wins over the shipped JSON.
 * Compiled calendars are cached per process and re-read after `ttlMs`, so a version added
 * through any API process reaches every worker within seconds (re-plans also name the
 * version explicitly, and a named version missing from the cache forces a reload).
 */
export interface CalendarRegistry {
  versioned(id: string): Promise<VersionedCalendar>;
  /** A version by id, or the version in force at `atMs`. */
  resolve(id: string, pick: { versionId: string } | { atMs: number }): Promise<Calendar>;
  invalidate(id: string): void;
}

export class UnknownCalendarError extends Error {
  constructor(readonly calendarId: string, detail = '') {
    super(`unknown calendar "${calendarId}"${detail}`);
  }
}

/** Where run-time calendar definitions come from (PostgreSQL in the product). */
export type CalendarSpecSource = (id: string) => Promise<VersionedCalendarSpec | CalendarSpec | undefined>;

/**
 * Which definition of calendar `id` is in force: the one rule, used by the registry (workers,
 * deadlines) and by the calendars catalogue (the API's list and reads). A run-time definition
 * (a row in PostgreSQL) wins over the shipped JSON of the same id; with neither, the id is unknown.
 */
export function definitionInForce<R>(id: string, runtime: R | undefined): { source: 'runtime'; runtime: R } | { source: 'shipped' } | undefined {
  if (runtime !== undefined) return { source: 'runtime', runtime };
  return shippedCalendarIds.includes(id) ? { source: 'shipped' } : undefined;
}

export const specsFromDb = (db: Knex): CalendarSpecSource => async (id) => (await findCalendarRow(db, id))?.spec;

export function createCalendarRegistry(source: CalendarSpecSource, opts: { ttlMs?: number; now?: () => number } = {}): CalendarRegistry {
  const ttlMs = opts.ttlMs ?? 5_000;
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { loadedAt: number; versioned: VersionedCalendar }>();
  // One load per calendar at a time: when the cached copy expires (or a re-plan names a version
  // it lacks), the 64 calendar answers a re-plan runs at once would each read and compile it.
  const loading = new Map<string, Promise<VersionedCalendar>>();

  function load(id: string): Promise<VersionedCalendar> {
    const pending = loading.get(id);
    if (pending) return pending;
    const started = readAndCompile(id).finally(() => loading.delete(id));
    loading.set(id, started);
    return started;
  }

  async function readAndCompile(id: string): Promise<VersionedCalendar> {
    const definition = definitionInForce(id, (await source(id)) ?? undefined);
    if (!definition) throw new UnknownCalendarError(id);
    const versioned = definition.source === 'runtime' ? compileVersionedCalendar(definition.runtime) : loadShippedVersionedCalendar(id);
    cache.set(id, { loadedAt: now(), versioned });
    return versioned;
  }

  async function versioned(id: string): Promise<VersionedCalendar> {
    const hit = cache.get(id);
    if (hit && now() - hit.loadedAt < ttlMs) return hit.versioned;
    return load(id);
  }

  return {
    versioned,
    async resolve(id, pick) {
      if ('atMs' in pick) return calendarAt(await versioned(id), pick.atMs);
      // A version the cached copy lacks was added since: load again, joining a load under way,
      // and once more on our own if that one had started before the version was written.
      const found =
        calendarVersion(await versioned(id), pick.versionId) ??
        calendarVersion(await load(id), pick.versionId) ??
        calendarVersion(await readAndCompile(id), pick.versionId);
      if (!found) throw new UnknownCalendarError(id, ` version "${pick.versionId}"`);
      return found;
    },
    invalidate(id) {
      cache.delete(id);
    },
  };
}
