import type { Knex } from 'knex';
import type { DirectoryEntryInput, RecipientKind } from '../../domain/notification/directory-entry';
import type { Actor } from '../../domain/request/snapshot';

/** A directory entry as the API shows it. */
export interface DirectoryEntry {
  id: string;
  name: string;
  kind: RecipientKind;
  roles: string[];
  email: string | null;
  webhookUrl: string | null;
  quietCalendarId: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
  createdBy: { keyId: string; role: string | null } | null;
  updatedBy: { keyId: string; role: string | null } | null;
}

export interface DirectoryChange {
  seq: number;
  action: 'created' | 'replaced' | 'deleted';
  by: { keyId: string; role: string };
  at: string;
  entry: unknown;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- rows come back untyped from pg */
const by = (keyId: string | null, role: string | null) => (keyId ? { keyId, role } : null);

const toEntry = (r: any): DirectoryEntry => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  roles: r.roles ?? [],
  email: r.email,
  webhookUrl: r.webhook_url,
  quietCalendarId: r.quiet_calendar_id,
  active: r.active,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  createdBy: by(r.created_by_key_id, r.created_by_role),
  updatedBy: by(r.updated_by_key_id, r.updated_by_role),
});

export async function getDirectoryEntry(db: Knex, id: string): Promise<DirectoryEntry | undefined> {
  const row = await db('notification_recipients').where({ id }).first();
  return row && toEntry(row);
}

export interface DirectoryFilter {
  role?: string;
  kind?: RecipientKind;
  active?: boolean;
  limit: number;
  after?: string;
}

/** Keyset pages ordered by id. */
export async function listDirectory(db: Knex, f: DirectoryFilter): Promise<{ items: DirectoryEntry[]; next?: string }> {
  const q = db('notification_recipients').orderBy('id').limit(f.limit + 1);
  if (f.after !== undefined) void q.where('id', '>', f.after);
  if (f.role !== undefined) void q.whereRaw('? = any(roles)', [f.role]);
  if (f.kind !== undefined) void q.where({ kind: f.kind });
  if (f.active !== undefined) void q.where({ active: f.active });
  const rows = (await q).map(toEntry);
  if (rows.length <= f.limit) return { items: rows };
  const items = rows.slice(0, f.limit);
  return { items, next: items[items.length - 1]!.id };
}

/**
 * Creates or replaces an entry and records the change with the calling key, in one transaction
 * (the row is locked, so two concurrent writers are ordered and both audited).
 */
export async function putDirectoryEntry(db: Knex, id: string, e: DirectoryEntryInput, actor: Actor): Promise<{ created: boolean; entry: DirectoryEntry }> {
  return db.transaction(async (trx) => {
    const fields = {
      name: e.name,
      kind: e.kind,
      roles: e.roles,
      email: e.email ?? null,
      webhook_url: e.webhookUrl ?? null,
      quiet_calendar_id: e.quietCalendarId ?? null,
      active: e.active,
      updated_by_key_id: actor.keyId,
      updated_by_role: actor.role,
    };
    const [row] = await trx('notification_recipients')
      .insert({ id, ...fields, created_by_key_id: actor.keyId, created_by_role: actor.role })
      .onConflict('id')
      .merge({ ...fields, updated_at: trx.fn.now() })
      // xmax = 0 only for a freshly inserted row.
      .returning(['*', trx.raw('(xmax = 0) as inserted')]);
    const entry = toEntry(row);
    const created = row.inserted === true;
    await trx('notification_recipient_changes').insert({
      recipient_id: id,
      action: created ? 'created' : 'replaced',
      by_key_id: actor.keyId,
      by_role: actor.role,
      entry: JSON.stringify({ ...e, id }),
    });
    return { created, entry };
  });
}

/** Deletes an entry (its outbox rows keep the name and destination they were sent to) and records who did. */
export async function deleteDirectoryEntry(db: Knex, id: string, actor: Actor): Promise<boolean> {
  return db.transaction(async (trx) => {
    const n = await trx('notification_recipients').where({ id }).delete();
    if (n === 0) return false;
    await trx('notification_recipient_changes').insert({ recipient_id: id, action: 'deleted', by_key_id: actor.keyId, by_role: actor.role, entry: null });
    return true;
  });
}

/** The audit trail of an entry, oldest first (kept after a delete). */
export async function directoryChanges(db: Knex, id: string): Promise<DirectoryChange[]> {
  const rows = await db('notification_recipient_changes').where({ recipient_id: id }).orderBy('seq');
  return rows.map((r: any) => ({ seq: Number(r.seq), action: r.action, by: { keyId: r.by_key_id, role: r.by_role }, at: new Date(r.at).toISOString(), entry: r.entry }));
}
