/**
 * The figures `GET /metrics` reads at scrape time (api/metrics): counts over the request
 * projection and the notification outbox, shared by every API process.
 */
import type { Knex } from 'knex';
import { OPEN_STATES } from '../../domain/request/transitions';

export interface RequestCountRow {
  state: string;
  level: string | null;
  n: string | number;
}

export interface OpenRequestFlags {
  first_response: string | number;
  resolution: string | number;
  at_risk: string | number;
}

export interface OutboxCountRow {
  status: string;
  n: string | number;
}

/** Every request, counted by state and level. */
export async function countRequestsByStateAndLevel(db: Knex): Promise<RequestCountRow[]> {
  return (await db('support_requests').select('state', 'level').count({ n: '*' }).groupBy('state', 'level')) as RequestCountRow[];
}

/** Open requests with a breached clock, by clock, and those at risk. */
export async function countOpenRequestFlags(db: Knex): Promise<OpenRequestFlags | undefined> {
  return (await db('support_requests')
    .whereIn('state', OPEN_STATES)
    .select(
      db.raw('count(*) filter (where first_response_breached) as first_response'),
      db.raw('count(*) filter (where resolution_breached) as resolution'),
      db.raw('count(*) filter (where at_risk) as at_risk'),
    )
    .first()) as OpenRequestFlags | undefined;
}

/** Notification outbox rows by status. */
export async function countOutboxByStatus(db: Knex): Promise<OutboxCountRow[]> {
  return (await db('notification_outbox').select('status').count({ n: '*' }).groupBy('status')) as OutboxCountRow[];
}
