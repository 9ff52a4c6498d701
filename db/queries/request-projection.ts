import type { Knex } from 'knex';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import { isRunning, isSettled, type SlaClock } from '../../domain/request/sla-clock';
import type { RequestSnapshot, TimelineEvent } from '../../domain/request/snapshot';
import { splitPolicy, termsInsert } from './policy-terms';
import { snapshotFromRow, type RequestRow } from './requests';

const at = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));

/** A clock whose deadline is still ahead and ticking. */
const runningDue = (c: SlaClock | undefined) => (c && isRunning(c) && c.breachedAtMs === null && c.dueAtMs !== null ? c.dueAtMs : null);

/**
 * The columns each top-level snapshot field projects to (denormalised columns serve the
 * operations filters). Every column depends on one field only, so a write that carries the
 * changed fields (see {@link applyRequestChanges}) updates exactly the columns they determine.
 */
const COLUMNS_OF: { [K in keyof RequestSnapshot]?: (v: RequestSnapshot[K]) => Record<string, unknown> } = {
  requestKey: (v) => ({ request_key: v }),
  registration: (r) => ({
    customer_id: r.customerId ?? null,
    product_id: r.productId ?? null,
    channel: r.channel ?? null,
    category: r.category ?? null,
    subject: r.subject,
    description: r.description ?? null,
    reporter: r.reporter ?? null,
    external_ref: r.externalRef ?? null,
    follow_up_of: r.followUpOf ?? null,
  }),
  priority: (v) => ({ priority: v }),
  // The row keeps the request's own fields; the shared terms are written with it (policy-terms.ts).
  policy: (v) => ({ level: v.level, policy: JSON.stringify(splitPolicy(v).own) }),
  state: (v) => ({ state: v }),
  clocks: (clocks) => {
    const fr = clocks.find((c) => c.kind === 'first_response');
    const res = clocks.find((c) => c.kind === 'resolution');
    // The next-reply rounds count for the operations view's next due instant too.
    const dues = [runningDue(fr), runningDue(res), ...clocks.filter((c) => c.kind === 'next_reply').map(runningDue)].filter((d): d is number => d !== null);
    return {
      clocks: JSON.stringify(clocks),
      first_response_due_at: at(fr?.dueAtMs),
      resolution_due_at: at(res?.dueAtMs),
      breached: clocks.some((c) => c.breachedAtMs !== null),
      first_response_breached: fr?.breachedAtMs != null,
      resolution_breached: res?.breachedAtMs != null,
      at_risk: clocks.some((c) => runningDue(c) !== null && c.warnings.some(isSettled)),
      next_due_at: dues.length ? new Date(Math.min(...dues)) : null,
      reopen_count: res?.reopenCount ?? 0,
    };
  },
  assignee: (v) => ({ assignee: v.agent, assignee_group: v.group }),
  registeredAtMs: (v) => ({ registered_at: new Date(v) }),
  // Readers take a null receipt as the registration instant (rows from before receipt times).
  receivedAtMs: (v) => ({ received_at: at(v) }),
  calendar: (v) => ({ calendar_id: v.id, calendar_version_id: v.versionId }),
  resolvedAtMs: (v) => ({ resolved_at: at(v) }),
  autoCloseAtMs: (v) => ({ auto_close_at: at(v) }),
  closedAtMs: (v) => ({ closed_at: at(v) }),
  reopenUntilMs: (v) => ({ reopen_until: at(v) }),
  remindCustomerAtMs: (v) => ({ remind_customer_at: at(v) }),
  autoResolveAtMs: (v) => ({ auto_resolve_at: at(v) }),
  cancelReason: (v) => ({ cancel_reason: v }),
  revision: (v) => ({ revision: v }),
};

/** The columns the given (changed) fields of a snapshot determine. */
export function projectionColumns(changes: Partial<RequestSnapshot>): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    const of = COLUMNS_OF[field as keyof RequestSnapshot] as ((v: unknown) => Record<string, unknown>) | undefined;
    if (of && value !== undefined) Object.assign(columns, of(value));
  }
  return columns;
}

/** The row a snapshot projects to. */
export function projectionRow(workflowId: string, s: RequestSnapshot) {
  return { id: s.requestId, workflow_id: workflowId, ...projectionColumns(s) };
}

/**
 * The request as a read of the row written from `s` gives it (what GET answers), without
 * reading it: the row keeps less than the snapshot (e.g. no deferred notices).
 */
export function snapshotAsWritten(workflowId: string, s: RequestSnapshot): RequestSnapshot {
  // The row as read: JSON columns parsed, the policy whole (the reader joins its shared terms
  // back), so neither is projected (splitting the policy hashes its terms) nor serialised.
  const { policy, clocks, ...columns } = s;
  return snapshotFromRow({ id: s.requestId, workflow_id: workflowId, ...projectionColumns(columns), policy, clocks, updated_at: new Date() } as RequestRow);
}

/**
 * Upserts the request row (only if this revision is newer) and appends timeline events that
 * are not there yet: a retried or reordered write changes nothing. One statement (the policy
 * terms and the events are CTEs), so atomic without a transaction: one round trip. `q` is the
 * pool or the caller's transaction.
 */
export async function writeWholeRequest(q: Knex, workflowId: string, s: RequestSnapshot, events: TimelineEvent[]): Promise<void> {
  const row = { ...projectionRow(workflowId, s), updated_at: q.fn.now() };
  const upsert = q('support_requests').insert(row).onConflict('id').merge().where('support_requests.revision', '<', s.revision);
  await withEvents(q, s.requestId, events, withTerms(q, s.policy, upsert));
}

/** A write of a row with a policy stores the policy's shared terms in the same statement. */
function withTerms<Q extends Knex.QueryBuilder>(q: Knex, policy: PinnedPolicy | undefined, write: Q): Q {
  return policy ? (write.with('policy_terms', termsInsert(q, policy)) as Q) : write;
}

/**
 * The statement `write` with the timeline events appended by a CTE (not there yet: retries are
 * no-ops), inserted only when `when` (SQL over the statement's other CTEs) holds. The events'
 * foreign key is checked at the end of the statement, so a row the same statement inserts counts.
 */
function withEvents<Q extends Knex.QueryBuilder>(q: Knex, requestId: string, events: TimelineEvent[], write: Q, when = 'true'): Q {
  if (events.length === 0) return write;
  const rows = events.map((e) => ({
    request_id: requestId,
    seq: e.seq,
    type: e.type,
    occurred_at: new Date(e.atMs).toISOString(),
    actor: e.actor ?? null,
    actor_key_id: e.by?.keyId ?? null,
    actor_role: e.by?.role ?? null,
    data: e.data ?? {},
  }));
  const insert = q.raw(
    `insert into request_events (request_id, seq, type, occurred_at, actor, actor_key_id, actor_role, data)
     select * from jsonb_to_recordset(?::jsonb)
       as e(request_id text, seq integer, type text, occurred_at timestamptz, actor text, actor_key_id text, actor_role text, data jsonb)
     where ${when}
     on conflict (request_id, seq) do nothing`,
    [JSON.stringify(rows)],
  );
  return write.with('new_events', insert) as Q;
}

/**
 * Applies the fields that changed since the write of `baseRevision` (and appends the new
 * events), in one statement. The row is updated only if it is still at `baseRevision`;
 * answers false when it is behind that (the base write is missing: the caller then writes the
 * whole snapshot) and then writes nothing, true when applied or already applied (a retry: the
 * row is at `revision`).
 */
export async function applyRequestChanges(q: Knex, change: RequestChanges): Promise<boolean> {
  const columns = projectionColumns({ ...change.changes, revision: change.revision });
  const update = q('support_requests')
    .where({ id: change.requestId, revision: change.baseRevision })
    .update({ ...columns, updated_at: q.fn.now() })
    .returning('revision');
  // Every part of one statement sees the row as it was before it: a retry finds it at `revision` already.
  const applied = q.raw(`select 1 from updated union all select 1 from support_requests where id = ? and revision >= ?`, [change.requestId, change.revision]);
  const statement = withEvents(
    q,
    change.requestId,
    change.events,
    withTerms(q, change.changes.policy, q.queryBuilder().with('updated', update)).with('applied', applied),
    'exists (select 1 from applied)',
  ).select(q.raw('exists (select 1 from applied) as applied'));
  const [result] = (await statement) as Array<{ applied: boolean }>;
  return result?.applied === true;
}

/** What changed in a request since the write of `baseRevision`, and its new events. */
export interface RequestChanges {
  requestId: string;
  baseRevision: number;
  revision: number;
  changes: Partial<RequestSnapshot>;
  events: TimelineEvent[];
}
