import type { Knex } from 'knex';
import type { OutboxEntry } from '../../domain/notification/fan-out';
import type { EmailAttachment } from '../../domain/notification/intent';
import type { NotificationStatus } from '../../notifications/types';

/*
 * The notification outbox and its state machine. Every transition is one conditional UPDATE,
 * so concurrent attempts (a retry racing a zombie, two workers) cannot both win.
 *
 *   enqueue                      -> pending      INSERT … ON CONFLICT (idempotency_key) DO NOTHING
 *   enqueue, bad contact address -> failed       (so the failure is visible, not dropped)
 *   pending                      -> sending      claim: attempts + 1, lease_until = now() + lease
 *   sending, lease expired       -> sending      claim again: the attempt that held it is dead
 *   sending (same claim)         -> pending      retryable error (last_error kept)
 *   sending (same claim)         -> failed       permanent rejection (last_error kept)
 *   anything but delivered       -> delivered    the receiver accepted it (a late zombie's
 *                                                success is still the truth)
 *   pending | sending            -> failed       the workflow gave up (retry policy exhausted)
 *   failed                       -> pending      an operator requeues it
 *
 * `attempts` counts claims and doubles as the fencing token of the current lease: an attempt
 * only reports its failure if nobody claimed the row after it (WHERE attempts = its claim).
 * Times are the database's (now()), so worker clocks do not matter.
 */

export interface RecipientRow {
  id: string;
  name: string;
  roles: string[];
  email: string | null;
  webhookUrl: string | null;
  quietCalendarId: string | null;
  active: boolean;
}

/** A stored outbox row: the entry fan-out planned (domain/notification/fan-out.ts) and its delivery state. */
export interface OutboxRow extends Omit<OutboxEntry, 'rejected' | 'attachment'> {
  id: number;
  /** E-mail attachment (e.g. a report CSV); null for none. */
  attachment: EmailAttachment | null;
  status: NotificationStatus;
  attempts: number;
  lastError: string | null;
  leaseUntil: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row as fan-out plans it (domain/notification/fan-out.ts). */
export type NewOutboxRow = OutboxEntry;

const MAX_ERROR_CHARS = 2000;
const clip = (error: string) => (error.length > MAX_ERROR_CHARS ? `${error.slice(0, MAX_ERROR_CHARS - 1)}…` : error);

/* eslint-disable @typescript-eslint/no-explicit-any -- rows come back untyped from pg */
const toRecipient = (r: any): RecipientRow => ({
  id: r.id,
  name: r.name,
  roles: r.roles ?? [],
  email: r.email,
  webhookUrl: r.webhook_url,
  quietCalendarId: r.quiet_calendar_id,
  active: r.active,
});

const toOutbox = (r: any): OutboxRow => ({
  id: Number(r.id),
  idempotencyKey: r.idempotency_key,
  intentKey: r.intent_key,
  requestId: r.request_id,
  kind: r.kind,
  channel: r.channel,
  recipientId: r.recipient_id,
  recipientName: r.recipient_name,
  destination: r.destination,
  subject: r.subject,
  body: r.body,
  payload: r.payload,
  attachment: r.attachment ?? null,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  leaseUntil: r.lease_until,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
/* eslint-enable @typescript-eslint/no-explicit-any */

// ---- directory ----------------------------------------------------------------------------

export interface RecipientInput {
  id: string;
  name: string;
  roles: string[];
  email?: string | null;
  webhookUrl?: string | null;
  quietCalendarId?: string | null;
  active?: boolean;
}

/** Adds or replaces a directory entry (seeding, admin tools, tests). */
export async function upsertRecipient(db: Knex, r: RecipientInput): Promise<void> {
  const fields = {
    name: r.name,
    roles: r.roles,
    email: r.email ?? null,
    webhook_url: r.webhookUrl ?? null,
    quiet_calendar_id: r.quietCalendarId ?? null,
    active: r.active ?? true,
  };
  await db('notification_recipients')
    .insert({ id: r.id, ...fields })
    .onConflict('id')
    .merge({ ...fields, updated_at: db.fn.now() });
}

/** Active recipients holding any of the roles, by id. */
export async function listRecipientsByRole(db: Knex, roles: readonly string[]): Promise<RecipientRow[]> {
  if (roles.length === 0) return [];
  const rows = await db('notification_recipients')
    .where('active', true)
    .whereRaw(`roles && array[${roles.map(() => '?').join(', ')}]::text[]`, [...roles])
    .orderBy('id');
  return rows.map(toRecipient);
}

/** Active recipients with these ids, by id (unknown or inactive ids are left out). */
export async function getRecipients(db: Knex, ids: readonly string[]): Promise<RecipientRow[]> {
  if (ids.length === 0) return [];
  const rows = await db('notification_recipients').where('active', true).whereIn('id', ids).orderBy('id');
  return rows.map(toRecipient);
}

/** Who a notice addressed to these roles and recipient ids reaches: by role, then by id (an entry may appear under both). */
export async function directoryEntriesFor(db: Knex, q: { roles?: readonly string[]; recipientIds?: readonly string[] }): Promise<RecipientRow[]> {
  return [...(await listRecipientsByRole(db, q.roles ?? [])), ...(await getRecipients(db, q.recipientIds ?? []))];
}

// ---- outbox -------------------------------------------------------------------------------

/**
 * Inserts the rows that are not there yet (by idempotency key) in one statement; a retried
 * enqueue writes nothing. Returns how many rows were new.
 */
export async function insertOutboxRows(db: Knex, rows: readonly NewOutboxRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await db('notification_outbox')
    .insert(
      rows.map((r) => ({
        idempotency_key: r.idempotencyKey,
        intent_key: r.intentKey,
        request_id: r.requestId,
        kind: r.kind,
        channel: r.channel,
        recipient_id: r.recipientId,
        recipient_name: r.recipientName,
        destination: r.destination,
        subject: r.subject,
        body: r.body,
        payload: JSON.stringify(r.payload),
        ...(r.attachment && { attachment: JSON.stringify(r.attachment) }),
        ...(r.rejected === undefined ? {} : { status: 'failed', last_error: clip(r.rejected) }),
      })),
    )
    .onConflict('idempotency_key')
    .ignore()
    .returning('id');
  return inserted.length;
}

/** An outbox row by id, with the intent it was enqueued for. */
export interface OutboxRef {
  id: number;
  intentKey: string;
}

/** Every row enqueued under these intent keys (by this or an earlier attempt), in id order. */
export async function outboxRowsForIntents(db: Knex, intentKeys: readonly string[]): Promise<OutboxRef[]> {
  if (intentKeys.length === 0) return [];
  const rows: Array<{ id: number | string; intent_key: string }> = await db('notification_outbox').whereIn('intent_key', intentKeys).orderBy('id').select('id', 'intent_key');
  return rows.map((r) => ({ id: Number(r.id), intentKey: r.intent_key }));
}

export async function getOutboxRow(db: Knex, id: number): Promise<OutboxRow | undefined> {
  const row = await db('notification_outbox').where({ id }).first();
  return row ? toOutbox(row) : undefined;
}

/**
 * Claims a row for one delivery attempt: pending, or sending with an expired lease (its
 * attempt died). Returns the claimed row (attempts already incremented: that number is this
 * claim's fencing token), or undefined if it is delivered, failed or leased by a live attempt.
 */
export async function claimOutboxRow(db: Knex, id: number, leaseMs: number): Promise<OutboxRow | undefined> {
  const rows = await db('notification_outbox')
    .where({ id })
    .andWhere((q) => q.where('status', 'pending').orWhere((s) => s.where('status', 'sending').andWhere('lease_until', '<', db.fn.now())))
    .update({
      status: 'sending',
      attempts: db.raw('attempts + 1'),
      lease_until: db.raw(`now() + ? * interval '1 millisecond'`, [leaseMs]),
      updated_at: db.fn.now(),
    })
    .returning('*');
  return rows[0] ? toOutbox(rows[0]) : undefined;
}

/** The receiver accepted it. False if it already was delivered. */
export async function markOutboxDelivered(db: Knex, id: number): Promise<boolean> {
  const n = await db('notification_outbox')
    .where({ id })
    .whereNot('status', 'delivered')
    .update({ status: 'delivered', delivered_at: db.fn.now(), lease_until: null, updated_at: db.fn.now() });
  return n > 0;
}

/** A retryable failure of claim `attempt`: back to pending. False if the claim was lost. */
export async function markOutboxAttemptFailed(db: Knex, id: number, attempt: number, error: string): Promise<boolean> {
  const n = await db('notification_outbox')
    .where({ id, status: 'sending', attempts: attempt })
    .update({ status: 'pending', last_error: clip(error), lease_until: null, updated_at: db.fn.now() });
  return n > 0;
}

/** A permanent rejection seen by claim `attempt`: failed. False if the claim was lost. */
export async function markOutboxRejected(db: Knex, id: number, attempt: number, error: string): Promise<boolean> {
  const n = await db('notification_outbox')
    .where({ id, status: 'sending', attempts: attempt })
    .update({ status: 'failed', last_error: clip(error), lease_until: null, updated_at: db.fn.now() });
  return n > 0;
}

/** The workflow gave up on it (retries exhausted). False if it is already delivered or failed. */
export async function markOutboxGaveUp(db: Knex, id: number, error: string): Promise<boolean> {
  const n = await db('notification_outbox')
    .where({ id })
    .whereIn('status', ['pending', 'sending'])
    .update({ status: 'failed', last_error: clip(error), lease_until: null, updated_at: db.fn.now() });
  return n > 0;
}

/** Records an error that happened before any claim (e.g. the channel is not configured). */
export async function noteOutboxError(db: Knex, id: number, error: string): Promise<void> {
  await db('notification_outbox')
    .where({ id, status: 'pending' })
    .update({ last_error: clip(error), updated_at: db.fn.now() });
}

/** Operator action: a failed notification goes back to pending (its history stays in last_error/attempts). */
export async function requeueOutboxRow(db: Knex, id: number): Promise<boolean> {
  const n = await db('notification_outbox').where({ id, status: 'failed' }).update({ status: 'pending', updated_at: db.fn.now() });
  return n > 0;
}

export interface OutboxFilter {
  requestId?: string;
  status?: NotificationStatus;
  limit?: number;
}

/** Ops view: most recently changed first, by request and/or status. */
export async function listOutbox(db: Knex, filter: OutboxFilter = {}): Promise<OutboxRow[]> {
  const q = db('notification_outbox');
  if (filter.requestId !== undefined) q.where('request_id', filter.requestId);
  if (filter.status !== undefined) q.where('status', filter.status);
  const rows = await q.orderBy([{ column: 'updated_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(Math.min(filter.limit ?? 100, 1000));
  return rows.map(toOutbox);
}
