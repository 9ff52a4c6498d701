import type { Knex } from 'knex';

export interface RequestRow {
  id: string;
  request_key: string;
  workflow_id: string;
  customer_id: string | null;
  product_id: string | null;
  channel: string | null;
  category: string | null;
  priority: string | null;
  subject: string;
  description: string | null;
  reporter: string | null;
  external_ref: string | null;
  level: string | null;
  policy: unknown;
  state: string;
  clocks: unknown;
  assignee: string | null;
  assignee_group: string | null;
  registered_at: Date;
  first_response_due_at: Date | null;
  resolution_due_at: Date | null;
  breached: boolean;
  revision: number;
  updated_at: Date;
}

export async function findRequest(db: Knex, id: string): Promise<RequestRow | undefined> {
  return db<RequestRow>('support_requests').where({ id }).first();
}

export interface EventRow {
  request_id: string;
  seq: number;
  type: string;
  occurred_at: Date;
  actor: string | null;
  data: Record<string, unknown>;
}

export async function listEvents(db: Knex, requestId: string): Promise<EventRow[]> {
  return db<EventRow>('request_events').where({ request_id: requestId }).orderBy('seq');
}
