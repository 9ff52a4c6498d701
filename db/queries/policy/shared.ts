/**
 * What every policy-facts table shares: create-once semantics with caller-supplied ids,
 * reference checks, keyset pages and reading `date` columns as `YYYY-MM-DD` strings.
 */
import type { Knex } from 'knex';
import { shippedCalendarIds } from '../../../domain/calendar';

/** A reference from the record being created to another record, e.g. a licence's product. */
export interface Reference {
  /** The field of the new record, e.g. `productId` or `productIds.1`. */
  field: string;
  /** `calendars`: a run-time calendar row or a shipped calendar (calendars/*.json, which have no row). */
  table: 'products' | 'sales_offices' | 'customers' | 'calendars';
  /** For messages: "product", "sales office", "customer". */
  what: string;
  id: string;
}

export interface MissingReference {
  field: string;
  what: string;
  id: string;
}

/**
 * The result of creating a record whose id the caller chose:
 * - `created`: a new row;
 * - `existing`: the same record was already stored (a retry): nothing written;
 * - `conflict`: another record has that id; `differences` names the fields that differ;
 * - `unknown-references`: the record refers to records that do not exist.
 */
export type CreateOutcome<T> =
  | { kind: 'created'; record: T }
  | { kind: 'existing'; record: T }
  | { kind: 'conflict'; record: T; differences: string[] }
  | { kind: 'unknown-references'; missing: MissingReference[] };

export interface CreateSpec<T> {
  record: T;
  /** Reads the stored record with the same id (in the same transaction). */
  get: (trx: Knex.Transaction) => Promise<T | undefined>;
  references: readonly Reference[];
  /** Inserts the record; resolves false when a concurrent writer inserted the id first. */
  insert: (trx: Knex.Transaction) => Promise<boolean>;
  /** Differences between a stored record and the one asked for; defaults to {@link diffPaths}. */
  compare?: (stored: T, wanted: T) => string[];
}

/**
 * Creates a record once. A retry with the same body is answered from the stored row; a
 * different body under the same id is a conflict, never an overwrite. `ON CONFLICT DO NOTHING`
 * makes concurrent creates on several API processes safe: the loser waits for the winner to
 * commit, then reads and compares its row.
 */
export async function createOnce<T>(db: Knex, spec: CreateSpec<T>): Promise<CreateOutcome<T>> {
  const compare = spec.compare ?? ((stored: T, wanted: T) => diffPaths(stored, wanted));
  const judge = (stored: T): CreateOutcome<T> => {
    const differences = compare(stored, spec.record);
    return differences.length === 0 ? { kind: 'existing', record: stored } : { kind: 'conflict', record: stored, differences };
  };
  return db.transaction(async (trx) => {
    const stored = await spec.get(trx);
    if (stored) return judge(stored);
    const missing = await missingReferences(trx, spec.references);
    if (missing.length > 0) return { kind: 'unknown-references', missing };
    const inserted = await spec.insert(trx);
    const now = await spec.get(trx);
    if (!now) throw new Error('record vanished right after it was written');
    return inserted ? { kind: 'created', record: now } : judge(now);
  });
}

/** The references whose target row does not exist, in the order given. */
export async function missingReferences(db: Knex, refs: readonly Reference[]): Promise<MissingReference[]> {
  const byTable = new Map<string, Set<string>>();
  for (const r of refs) byTable.set(r.table, (byTable.get(r.table) ?? new Set()).add(r.id));
  const found = new Map<string, Set<string>>();
  for (const [table, ids] of byTable) {
    const rows: { id: string }[] = await db(table).select('id').whereIn('id', [...ids]);
    found.set(table, new Set([...rows.map((r) => r.id), ...(table === 'calendars' ? shippedCalendarIds : [])]));
  }
  return refs.filter((r) => !found.get(r.table)?.has(r.id)).map(({ field, what, id }) => ({ field, what, id }));
}

/**
 * Dotted paths at which two JSON values differ, ignoring key order (jsonb reorders keys) and
 * treating an `undefined` property as absent. Arrays compare element by element.
 *
 * @example diffPaths({ a: 1, b: { c: 2 } }, { b: { c: 3 }, a: 1 }) // ['b.c']
 */
export function diffPaths(a: unknown, b: unknown, path = ''): string[] {
  const here = path || '(root)';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return [here];
    return a.flatMap((x, i) => diffPaths(x, b[i], join(path, String(i))));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].sort().flatMap((k) => diffPaths(a[k], b[k], join(path, k)));
  }
  return Object.is(a, b) ? [] : [here];
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Selects a `date` column as `YYYY-MM-DD` text (node-pg would make it a local-midnight Date). */
export function dateColumn(db: Knex, column: string, alias: string): Knex.Raw {
  return db.raw(`to_char(??, 'YYYY-MM-DD') as ??`, [column, alias]);
}

/** A page of a list ordered by id: up to `limit` rows with id greater than `after`. */
export interface PageQuery {
  limit: number;
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** The `after` value for the next page; absent on the last page. */
  next?: string;
}

/** Applies keyset paging to a query ordered by `column`; fetches one extra row to know if more follow. */
export function paged<Q extends Knex.QueryBuilder>(query: Q, column: string, page: PageQuery): Q {
  if (page.after !== undefined) void query.where(column, '>', page.after);
  return query.orderBy(column).limit(page.limit + 1) as Q;
}

export function toPage<T extends { id: string }>(items: T[], page: PageQuery): Page<T> {
  if (items.length <= page.limit) return { items };
  const kept = items.slice(0, page.limit);
  return { items: kept, next: kept[kept.length - 1]!.id };
}
