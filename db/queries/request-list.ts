import type { Knex } from 'knex';
import type { Priority } from '../../domain/policy/vocabulary';
import type { RequestState } from '../../domain/request/snapshot';

/** Filters of the operations list; every one is optional and they combine with AND. */
export interface RequestListFilter {
  states?: RequestState[];
  levels?: string[];
  customerId?: string;
  assignee?: string;
  group?: string;
  breached?: boolean;
  atRisk?: boolean;
  /** next_due_at strictly before this instant (requests with no running deadline never match). */
  dueBeforeMs?: number;
  /** registered_at >= registeredFromMs */
  registeredFromMs?: number;
  /** registered_at < registeredToMs */
  registeredToMs?: number;
}

/**
 * Keyset position: the last row of the previous page, in (registered_at desc, id desc) order.
 * `registeredAt` is PostgreSQL's own microsecond-precision UTC text of the instant, so rows
 * written with sub-millisecond instants are neither skipped nor repeated.
 */
export interface RequestListPosition {
  registeredAt: string;
  id: string;
}

export interface RequestListRow {
  id: string;
  state: RequestState;
  level: string | null;
  customer_id: string | null;
  subject: string;
  priority: Priority | null;
  assignee: string | null;
  assignee_group: string | null;
  registered_at: Date;
  next_due_at: Date | null;
  breached: boolean;
  at_risk: boolean;
  /** Until when a closed request can be reopened (null otherwise, and once its window ended). */
  reopen_until: Date | null;
  calendar_id: string;
  calendar_version_id: string;
  /** registered_at as UTC text with microseconds, for the cursor. */
  registered_key: string;
}

export interface RequestListPage {
  rows: RequestListRow[];
  /** Position after the last row, when more rows follow. */
  next: RequestListPosition | null;
}

const COLUMNS = [
  'id',
  'state',
  'level',
  'customer_id',
  'subject',
  'priority',
  'assignee',
  'assignee_group',
  'registered_at',
  'next_due_at',
  'breached',
  'at_risk',
  'reopen_until',
  'calendar_id',
  'calendar_version_id',
] as const;

/**
 * One page of requests, newest registration first. Keyset pagination on (registered_at, id):
 * pages neither skip nor repeat rows while requests are written meanwhile (a request's
 * registered_at never changes). Every value is a bound parameter.
 */
export async function listRequests(db: Knex, filter: RequestListFilter, limit: number, after?: RequestListPosition): Promise<RequestListPage> {
  const q = db('support_requests').select(...COLUMNS, db.raw(`to_char(registered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as registered_key`));
  if (filter.states?.length) q.whereIn('state', filter.states);
  if (filter.levels?.length) q.whereIn('level', filter.levels);
  if (filter.customerId !== undefined) q.where('customer_id', filter.customerId);
  if (filter.assignee !== undefined) q.where('assignee', filter.assignee);
  if (filter.group !== undefined) q.where('assignee_group', filter.group);
  if (filter.breached !== undefined) q.where('breached', filter.breached);
  if (filter.atRisk !== undefined) q.where('at_risk', filter.atRisk);
  if (filter.dueBeforeMs !== undefined) q.where('next_due_at', '<', new Date(filter.dueBeforeMs));
  if (filter.registeredFromMs !== undefined) q.where('registered_at', '>=', new Date(filter.registeredFromMs));
  if (filter.registeredToMs !== undefined) q.where('registered_at', '<', new Date(filter.registeredToMs));
  if (after) {
    const at = after.registeredAt;
    q.where((w) => w.where('registered_at', '<', at).orWhere((e) => e.where('registered_at', '=', at).andWhere('id', '<', after.id)));
  }
  const rows = (await q.orderBy([
    { column: 'registered_at', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]).limit(limit + 1)) as RequestListRow[];
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  return { rows: page, next: more && last ? { registeredAt: last.registered_key, id: last.id } : null };
}
