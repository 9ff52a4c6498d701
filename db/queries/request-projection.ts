import type { Knex } from 'knex';
import type { ClockView, RequestSnapshot, TimelineEvent } from '../../domain/request/snapshot';

const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms));

function dueOf(clocks: ClockView[], kind: ClockView['kind']): Date | null {
  const clock = clocks.find((c) => c.kind === kind);
  return clock && (clock.status === 'running' || clock.status === 'breached') ? iso(clock.dueAtMs) : null;
}

/**
 * Upserts the request row (only if this revision is newer) and appends timeline events that
 * are not there yet, in one transaction: a retried or reordered write changes nothing.
 */
export async function saveRequestProjection(
  db: Knex,
  workflowId: string,
  s: RequestSnapshot,
  events: TimelineEvent[],
): Promise<void> {
  const r = s.registration;
  const row = {
    id: s.requestId,
    request_key: s.requestKey,
    workflow_id: workflowId,
    customer_id: r.customerId ?? null,
    product_id: r.productId ?? null,
    channel: r.channel ?? null,
    category: r.category ?? null,
    priority: r.priority ?? null,
    subject: r.subject,
    description: r.description ?? null,
    reporter: r.reporter ?? null,
    external_ref: r.externalRef ?? null,
    state: s.state,
    clocks: JSON.stringify(s.clocks),
    registered_at: new Date(s.registeredAtMs),
    first_response_due_at: dueOf(s.clocks, 'first_response'),
    resolution_due_at: dueOf(s.clocks, 'resolution'),
    breached: s.clocks.some((c) => c.breachedAtMs !== null),
    revision: s.revision,
    updated_at: db.fn.now(),
  };
  await db.transaction(async (trx) => {
    await trx('support_requests')
      .insert(row)
      .onConflict('id')
      .merge()
      .where('support_requests.revision', '<', s.revision);
    if (events.length > 0) {
      await trx('request_events')
        .insert(
          events.map((e) => ({
            request_id: s.requestId,
            seq: e.seq,
            type: e.type,
            occurred_at: new Date(e.atMs),
            actor: e.actor ?? null,
            data: JSON.stringify(e.data ?? {}),
          })),
        )
        .onConflict(['request_id', 'seq'])
        .ignore();
    }
  });
}
