import type { Knex } from 'knex';
import type { Role } from '../../domain/auth/roles';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: Role;
  customer_scope: string | null;
  /** Keys sharing an intake source share one idempotency namespace. */
  intake_source?: string | null;
  secret_hash: string;
  prefix: string;
  created_at: Date;
  created_by: string;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface NewApiKey {
  id: string;
  name: string;
  role: Role;
  customerScope: string | null;
  intakeSource?: string | null;
  secretHash: string;
  prefix: string;
  createdBy: string;
}

export async function insertApiKey(db: Knex, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await db<ApiKeyRow>('api_keys')
    .insert({
      id: key.id,
      name: key.name,
      role: key.role,
      customer_scope: key.customerScope,
      intake_source: key.intakeSource ?? null,
      secret_hash: key.secretHash,
      prefix: key.prefix,
      created_by: key.createdBy,
    })
    .returning('*');
  return row as ApiKeyRow;
}

export async function findApiKey(db: Knex, id: string): Promise<ApiKeyRow | undefined> {
  return db<ApiKeyRow>('api_keys').where({ id }).first();
}

/** Ordered by id; `after` is the `next` of the previous page. */
export async function listApiKeys(db: Knex, filter: { state: 'active' | 'revoked' | 'all'; limit: number; after?: string }): Promise<{ items: ApiKeyRow[]; next?: string }> {
  const query = db<ApiKeyRow>('api_keys').orderBy('id').limit(filter.limit + 1);
  if (filter.state === 'active') void query.whereNull('revoked_at');
  if (filter.state === 'revoked') void query.whereNotNull('revoked_at');
  if (filter.after !== undefined) void query.where('id', '>', filter.after);
  const rows = await query;
  if (rows.length <= filter.limit) return { items: rows };
  const items = rows.slice(0, filter.limit);
  return { items, next: items[items.length - 1]!.id };
}

/** Revokes a key once; a second revoke keeps the first instant. Undefined for an unknown id. */
export async function revokeApiKey(db: Knex, id: string): Promise<ApiKeyRow | undefined> {
  await db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
  return findApiKey(db, id);
}

/** Records use; callers throttle it (at most once a minute per key and process). */
export async function touchApiKey(db: Knex, id: string): Promise<void> {
  await db('api_keys')
    .where({ id })
    .andWhere((q) => void q.whereNull('last_used_at').orWhere('last_used_at', '<', db.raw("now() - interval '1 minute'")))
    .update({ last_used_at: db.fn.now() });
}
