import type { Knex } from 'knex';
import type { Role } from '../../domain/auth/roles';

export interface NewUiSession {
  tokenHash: string;
  keyId: string;
  csrfToken: string;
  idleMs: number;
  maxMs: number;
}

/** A live session with what its key is today (role, scope, revocation); undefined key fields for the bootstrap key. */
export interface UiSessionRow {
  token_hash: string;
  key_id: string;
  csrf_token: string;
  expires_at: Date;
  max_expires_at: Date;
  key_name: string | null;
  role: Role | null;
  customer_scope: string | null;
  intake_source: string | null;
  revoked_at: Date | null;
}

export async function insertUiSession(db: Knex, s: NewUiSession): Promise<void> {
  await db('ui_sessions').insert({
    token_hash: s.tokenHash,
    key_id: s.keyId,
    csrf_token: s.csrfToken,
    expires_at: db.raw(`now() + make_interval(secs => ?)`, [s.idleMs / 1000]),
    max_expires_at: db.raw(`now() + make_interval(secs => ?)`, [s.maxMs / 1000]),
  });
}

/**
 * The unexpired session with this token hash, joined with its key so a revoked key ends its
 * sessions at once (no cache here: one indexed read per request of a signed-in browser).
 */
export async function findUiSession(db: Knex, tokenHash: string): Promise<UiSessionRow | undefined> {
  return db('ui_sessions as s')
    .leftJoin('api_keys as k', 'k.id', 's.key_id')
    .where('s.token_hash', tokenHash)
    .andWhere('s.expires_at', '>', db.fn.now())
    .first('s.token_hash', 's.key_id', 's.csrf_token', 's.expires_at', 's.max_expires_at', 'k.name as key_name', 'k.role', 'k.customer_scope', 'k.intake_source', 'k.revoked_at');
}

/** Pushes the idle expiry forward (never past the absolute one). */
export async function extendUiSession(db: Knex, tokenHash: string, idleMs: number): Promise<void> {
  await db('ui_sessions')
    .where('token_hash', tokenHash)
    .update({ expires_at: db.raw(`least(max_expires_at, now() + make_interval(secs => ?))`, [idleMs / 1000]) });
}

export async function deleteUiSession(db: Knex, tokenHash: string): Promise<void> {
  await db('ui_sessions').where('token_hash', tokenHash).delete();
}

/** Removes expired rows (housekeeping; an expired row is never honoured anyway). */
export async function purgeExpiredUiSessions(db: Knex): Promise<number> {
  return db('ui_sessions').where('expires_at', '<=', db.fn.now()).delete();
}
