import type { ClockView, RequestSnapshot } from '../../domain/request/snapshot';
import type { EventRow, RequestRow } from '../../db/queries/requests';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 1000) / 1000);

/** A clock as the API shows it: ISO-8601 instants, working hours as decimals. */
export function presentClock(c: ClockView) {
  return {
    kind: c.kind,
    status: c.status,
    targetHours: hours(c.targetMs),
    dueAt: iso(c.dueAtMs),
    usedHours: hours(c.usedMs),
    remainingHours: hours(c.remainingMs),
    metAt: iso(c.metAtMs),
    breachedAt: iso(c.breachedAtMs),
  };
}

export function presentSnapshot(s: RequestSnapshot) {
  return {
    id: s.requestId,
    state: s.state,
    ...s.registration,
    registeredAt: iso(s.registeredAtMs),
    clocks: s.clocks.map(presentClock),
    revision: s.revision,
  };
}

export function presentRow(row: RequestRow) {
  return {
    id: row.id,
    state: row.state,
    subject: row.subject,
    description: row.description ?? undefined,
    customerId: row.customer_id ?? undefined,
    productId: row.product_id ?? undefined,
    channel: row.channel ?? undefined,
    category: row.category ?? undefined,
    priority: row.priority ?? undefined,
    reporter: row.reporter ?? undefined,
    externalRef: row.external_ref ?? undefined,
    registeredAt: row.registered_at.toISOString(),
    clocks: (row.clocks as ClockView[]).map(presentClock),
    revision: row.revision,
  };
}

export function presentEvent(e: EventRow) {
  return { seq: e.seq, type: e.type, at: e.occurred_at.toISOString(), actor: e.actor ?? undefined, data: e.data };
}
