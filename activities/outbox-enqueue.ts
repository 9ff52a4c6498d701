import type { Knex } from 'knex';
import { directoryEntriesFor, insertOutboxRows, outboxRowsForIntents, type NewOutboxRow, type OutboxRef } from '../db/queries/notifications';
import { fanOut } from '../domain/notification/fan-out';
import type { WebhookUrlPolicy } from '../domain/notification/webhook-url';
import type { NotificationIntent } from '../notifications/types';

/**
 * Writes the outbox rows of notification intents: reads the directory for their roles and
 * recipient ids, fans each intent out to one row per (recipient, channel) and inserts the rows
 * not there yet. Retrying writes nothing new. Answers every row of these intents (including
 * rows an earlier attempt wrote), in id order. `db` may be the caller's transaction.
 */
export async function enqueueIntents(
  db: Knex,
  intents: readonly NotificationIntent[],
  urlPolicy: WebhookUrlPolicy,
  onNoRecipients: (intent: NotificationIntent) => void,
): Promise<OutboxRef[]> {
  if (intents.length === 0) return [];
  const rows: NewOutboxRow[] = [];
  for (const intent of intents) {
    const directory = await directoryEntriesFor(db, intent);
    const forIntent = fanOut(intent, directory, urlPolicy);
    if (forIntent.length === 0) onNoRecipients(intent);
    rows.push(...forIntent);
  }
  await insertOutboxRows(db, rows);
  return outboxRowsForIntents(db, intents.map((i) => i.idempotencyKey));
}
