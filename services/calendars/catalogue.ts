/**
 * Reading calendars for the calendars service: a run-time row (table `calendars`) wins over the
 * shipped JSON of the same id (the rule: `definitionInForce`, services/calendar-registry.ts).
 * Specs are always handled in the versioned form, so a calendar has versions even when it was
 * written as a single calendar (its one version is `"1"`, the id the engine gives it, so pinned
 * requests keep resolving after the first change).
 */
import type { Knex } from 'knex';
import {
  compileVersionedCalendar,
  isVersionedSpec,
  loadShippedVersionedCalendar,
  shippedCalendarIds,
  type CalendarSpec,
  type CalendarVersionSpec,
  type VersionedCalendar,
  type VersionedCalendarSpec,
} from '../../domain/calendar';
import { findCalendarRow, listCalendarRows, type CalendarRow } from '../../db/queries/calendars';
import { definitionInForce } from '../calendar-registry';

export interface StoredCalendar {
  id: string;
  /** `runtime`: a row in PostgreSQL (it may supersede a shipped calendar of the same id). */
  source: 'shipped' | 'runtime';
  shipped: boolean;
  /** Row revision, or null for a shipped calendar without a row. */
  revision: number | null;
  updatedAt: Date | null;
  spec: VersionedCalendarSpec;
  compiled: VersionedCalendar;
}

const isShipped = (id: string) => shippedCalendarIds.includes(id);

function omit<T extends object, K extends string>(obj: T, ...keys: K[]): Omit<T, K> {
  const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  for (const k of keys) delete out[k];
  return out as Omit<T, K>;
}

/** The versioned form of a spec: a single calendar becomes one version (`versionId` or `"1"`). */
export function toVersionedSpec(id: string, spec: VersionedCalendarSpec | CalendarSpec): VersionedCalendarSpec {
  if (isVersionedSpec(spec)) {
    return { ...spec, id, versions: spec.versions.map((v) => omit(v, 'id') as CalendarVersionSpec) };
  }
  const versionId = (spec as { versionId?: unknown }).versionId;
  return { id, versions: [{ ...omit(spec, 'id'), versionId: typeof versionId === 'string' ? versionId : '1' } as CalendarVersionSpec] };
}

/** A shipped calendar's spec in versioned form (reconstructed from its compiled versions). */
export function shippedVersionedSpec(id: string): VersionedCalendarSpec {
  const compiled = loadShippedVersionedCalendar(id);
  return {
    id,
    versions: compiled.versions.map((v) => ({ ...omit(v.spec as CalendarVersionSpec, 'id'), versionId: v.versionId ?? '1' }) as CalendarVersionSpec),
  };
}

/**
 * Run-time calendars as compiled by this process, by id, with the row version they were compiled
 * from. The version (revision and updated_at) is read from PostgreSQL with the row on every call,
 * so a version another API process wrote is seen at once; only an unchanged row skips the compile
 * (a list call compiled every calendar before). One entry per calendar id.
 */
const compiledRows = new Map<string, { version: string; stored: StoredCalendar }>();
const rowVersion = (row: CalendarRow) => `${row.revision}@${row.updated_at ? new Date(row.updated_at).getTime() : ''}`;

function fromRow(row: CalendarRow): StoredCalendar {
  const version = rowVersion(row);
  const hit = compiledRows.get(row.id);
  if (hit?.version === version) return hit.stored;
  const spec = toVersionedSpec(row.id, row.spec);
  const stored: StoredCalendar = {
    id: row.id,
    source: 'runtime',
    shipped: isShipped(row.id),
    revision: row.revision,
    updatedAt: row.updated_at,
    spec,
    compiled: compileVersionedCalendar(spec),
  };
  compiledRows.set(row.id, { version, stored });
  return stored;
}

function fromShipped(id: string): StoredCalendar {
  return { id, source: 'shipped', shipped: true, revision: null, updatedAt: null, spec: shippedVersionedSpec(id), compiled: loadShippedVersionedCalendar(id) };
}

/** One calendar, read fresh from PostgreSQL (not the per-process cache), or undefined. */
export async function loadCalendar(db: Knex, id: string): Promise<StoredCalendar | undefined> {
  const definition = definitionInForce(id, await findCalendarRow(db, id));
  if (!definition) return undefined;
  return definition.source === 'runtime' ? fromRow(definition.runtime) : fromShipped(id);
}

/** Every calendar, shipped and run-time, by id. A row that no longer compiles is reported, not thrown. */
export async function listCalendars(db: Knex): Promise<Array<StoredCalendar | { id: string; error: string }>> {
  const rows = await listCalendarRows(db);
  const present = new Set(rows.map((r) => r.id));
  for (const id of compiledRows.keys()) if (!present.has(id)) compiledRows.delete(id);
  const rowsById = new Map(rows.map((r) => [r.id, r]));
  const byId = new Map<string, StoredCalendar | { id: string; error: string }>();
  for (const id of new Set([...shippedCalendarIds, ...rowsById.keys()])) {
    const definition = definitionInForce(id, rowsById.get(id));
    if (!definition) continue;
    if (definition.source === 'shipped') {
      byId.set(id, fromShipped(id));
      continue;
    }
    try {
      byId.set(id, fromRow(definition.runtime));
    } catch (err) {
      byId.set(id, { id, error: (err as Error).message });
    }
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** JSON with object keys sorted (jsonb does not keep key order), for "is this the same spec". */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
