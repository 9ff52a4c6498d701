import type { Knex } from 'knex';

export interface RequestNotificationRow {
  id: number;
  kind: string;
  channel: string;
  recipient_name: string | null;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

/** A request's notifications and their delivery, oldest first (destinations are not shown). */
export async function listRequestNotifications(db: Knex, requestId: string, limit = 200): Promise<RequestNotificationRow[]> {
  return db('notification_outbox')
    .where('request_id', requestId)
    .select('id', 'kind', 'channel', 'recipient_name', 'subject', 'status', 'attempts', 'last_error', 'delivered_at', 'created_at')
    .orderBy([{ column: 'created_at', order: 'asc' }, { column: 'id', order: 'asc' }])
    .limit(limit);
}
