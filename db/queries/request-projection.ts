import type { Knex } from 'knex';
import { isRunning, isSettled, type SlaClock } from '../../domain/request/sla-clock';
import type { RequestSnapshot, TimelineEvent } from '../../domain/request/snapshot';

const at = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));

const clock = (s: RequestSnapshot, kind: SlaClock['kind']) => s.clocks.find((c) => c.kind === kind);

/** A clock whose deadline is still ahead and ticking. */
const runningDue = (c: SlaClock | undefined) => (c && isRunning(c) && c.breachedAtMs === null && c.dueAtMs !== null ? c.dueAtMs : null);

/** The row a snapshot projects to; denormalised columns serve the operations filters. */
export function projectionRow(workflowId: string, s: RequestSnapshot) {
  const r = s.registration;
  const fr = clock(s, 'first_response');
  const res = clock(s, 'resolution');
  // The next-reply rounds count for the operations view's next due instant too.
  const dues = [runningDue(fr), runningDue(res), ...s.clocks.filter((c) => c.kind === 'next_reply').map(runningDue)].filter((d): d is number => d !== null);
  return {
    id: s.requestId,
    request_key: s.requestKey,
    workflow_id: workflowId,
    customer_id: r.customerId ?? null,
    product_id: r.productId ?? null,
    channel: r.channel ?? null,
    category: r.category ?? null,
    priority: s.priority,
    subject: r.subject,
    description: r.description ?? null,
    reporter: r.reporter ?? null,
    external_ref: r.externalRef ?? null,
    follow_up_of: r.followUpOf ?? null,
    level: s.policy.level,
    policy: JSON.stringify(s.policy),
    state: s.state,
    clocks: JSON.stringify(s.clocks),
    assignee: s.assignee.agent,
    assignee_group: s.assignee.group,
    registered_at: new Date(s.registeredAtMs),
    received_at: s.receivedAtMs !== undefined && s.receivedAtMs !== s.registeredAtMs ? new Date(s.receivedAtMs) : null,
    first_response_due_at: at(fr?.dueAtMs),
    resolution_due_at: at(res?.dueAtMs),
    breached: s.clocks.some((c) => c.breachedAtMs !== null),
    first_response_breached: fr?.breachedAtMs != null,
    resolution_breached: res?.breachedAtMs != null,
    at_risk: s.clocks.some((c) => runningDue(c) !== null && c.warnings.some(isSettled)),
    next_due_at: dues.length ? new Date(Math.min(...dues)) : null,
    calendar_id: s.calendar.id,
    calendar_version_id: s.calendar.versionId,
    resolved_at: at(s.resolvedAtMs),
    auto_close_at: at(s.autoCloseAtMs),
    closed_at: at(s.closedAtMs),
    reopen_until: at(s.reopenUntilMs),
    reopen_count: res?.reopenCount ?? 0,
    cancel_reason: s.cancelReason,
    revision: s.revision,
  };
}

/**
 * Upserts the request row (only if this revision is newer) and appends timeline events that
 * are not there yet, in one transaction: a retried or reordered write changes nothing.
 */
export async function saveRequestProjection(db: Knex, workflowId: string, s: RequestSnapshot, events: TimelineEvent[]): Promise<void> {
  const row = { ...projectionRow(workflowId, s), updated_at: db.fn.now() };
  await db.transaction(async (trx) => {
    await trx('support_requests').insert(row).onConflict('id').merge().where('support_requests.revision', '<', s.revision);
    if (events.length > 0) {
      await trx('request_events')
        .insert(
          events.map((e) => ({
            request_id: s.requestId,
            seq: e.seq,
            type: e.type,
            occurred_at: new Date(e.atMs),
            actor: e.actor ?? null,
            actor_key_id: e.by?.keyId ?? null,
            actor_role: e.by?.role ?? null,
            data: JSON.stringify(e.data ?? {}),
          })),
        )
        .onConflict(['request_id', 'seq'])
        .ignore();
    }
  });
}
