import type { Knex } from 'knex';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import type { SlaClock } from '../../domain/request/sla-clock';
import type { Priority } from '../../domain/policy/vocabulary';
import type { CancelReason, RequestSnapshot, RequestState } from '../../domain/request/snapshot';
import type { TimelineEventType } from '../../domain/request/timeline';
import { selectWithTerms, withWholePolicy } from './policy-terms';

export interface RequestRow {
  id: string;
  request_key: string;
  workflow_id: string;
  customer_id: string | null;
  product_id: string | null;
  channel: string | null;
  category: string | null;
  priority: Priority | null;
  subject: string;
  description: string | null;
  reporter: string | null;
  external_ref: string | null;
  /** Absent on rows read before the column existed. */
  follow_up_of?: string | null;
  level: string | null;
  policy: PinnedPolicy;
  state: RequestState;
  clocks: SlaClock[];
  assignee: string | null;
  assignee_group: string | null;
  registered_at: Date;
  /** Null unless intake gave an earlier receipt (rows before 2026-12 lack the column's value too). */
  received_at?: Date | null;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  breached: boolean;
  first_response_breached: boolean;
  resolution_breached: boolean;
  at_risk: boolean;
  next_due_at: Date | null;
  calendar_id: string;
  calendar_version_id: string;
  resolved_at: Date | null;
  auto_close_at: Date | null;
  closed_at: Date | null;
  reopen_until: Date | null;
  remind_customer_at?: Date | null;
  auto_resolve_at?: Date | null;
  reopen_count: number;
  cancel_reason: CancelReason | null;
  revision: number;
  updated_at: Date;
}

/** A request's row, its pinned policy whole (joined with its shared terms, see policy-terms.ts). */
export async function findRequest(db: Knex, id: string): Promise<RequestRow | undefined> {
  const row = await selectWithTerms(db, 'support_requests').where('support_requests.id', id).first();
  return row && withWholePolicy<RequestRow>(row);
}

/** Requests' rows by id, as {@link findRequest} reads one (an unknown id has none). */
export async function findRequests(db: Knex, ids: readonly string[]): Promise<RequestRow[]> {
  if (ids.length === 0) return [];
  const rows: Array<Parameters<typeof withWholePolicy<RequestRow>>[0]> = await selectWithTerms(db, 'support_requests').whereIn('support_requests.id', [...ids]);
  return rows.map((row) => withWholePolicy<RequestRow>(row));
}

const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** The request as its workflow last projected it. */
export function snapshotFromRow(row: RequestRow): RequestSnapshot {
  const registration: RequestSnapshot['registration'] = { subject: row.subject };
  const optional = { description: row.description, customerId: row.customer_id, productId: row.product_id, channel: row.channel, category: row.category, reporter: row.reporter, externalRef: row.external_ref, followUpOf: row.follow_up_of ?? null };
  for (const [key, value] of Object.entries(optional)) if (value !== null) registration[key as keyof typeof optional] = value;
  return {
    requestId: row.id,
    requestKey: row.request_key,
    registration,
    policy: row.policy,
    calendar: { id: row.calendar_id, versionId: row.calendar_version_id },
    state: row.state,
    registeredAtMs: row.registered_at.getTime(),
    receivedAtMs: (row.received_at ?? row.registered_at).getTime(),
    priority: row.priority ?? row.policy.priority,
    assignee: { agent: row.assignee, group: row.assignee_group },
    clocks: row.clocks,
    resolvedAtMs: ms(row.resolved_at),
    autoCloseAtMs: ms(row.auto_close_at),
    closedAtMs: ms(row.closed_at),
    reopenUntilMs: ms(row.reopen_until),
    remindCustomerAtMs: ms(row.remind_customer_at ?? null),
    autoResolveAtMs: ms(row.auto_resolve_at ?? null),
    cancelReason: row.cancel_reason,
    deferredNotices: [],
    revision: row.revision,
  };
}

export interface EventRow {
  request_id: string;
  seq: number;
  type: TimelineEventType;
  occurred_at: Date;
  actor: string | null;
  /** The API key that made the action and its role (null for the workflow's own events). */
  actor_key_id?: string | null;
  actor_role?: string | null;
  data: Record<string, unknown>;
}

export async function listEvents(db: Knex, requestId: string): Promise<EventRow[]> {
  return db<EventRow>('request_events').where({ request_id: requestId }).orderBy('seq');
}

/** How many timeline events of each type all requests have (the metrics' warning and breach counters). */
export async function countEventsByType<T extends TimelineEventType>(db: Knex, types: readonly T[]): Promise<Record<T, number>> {
  const rows = (await db('request_events').whereIn('type', types).select('type').count({ n: '*' }).groupBy('type')) as Array<{ type: T; n: string | number }>;
  const counts = Object.fromEntries(types.map((t) => [t, 0])) as Record<T, number>;
  for (const r of rows) counts[r.type] = Number(r.n);
  return counts;
}
