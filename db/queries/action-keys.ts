import type { Knex } from 'knex';
import type { ActionFingerprint } from '../../domain/request/action-key';

/** request_action_keys: an action's Idempotency-Key, its first body and its outcome once known. */
export interface ActionKeyRow {
  namespace: string;
  request_id: string;
  idempotency_key: string;
  action: string;
  fingerprint: ActionFingerprint;
  update_id: string;
  claimed_at: Date;
  claimed_by_key_id: string | null;
  outcome: 'applied' | 'refused' | null;
  answer_status: number | null;
  answer_request_id: string | null;
  refusal: StoredRefusal | null;
  decided_at: Date | null;
}

/** The problem a refused action answered, replayed as it was. */
export interface StoredRefusal {
  status: number;
  title: string;
  detail: string;
  extra: Record<string, unknown>;
}

export interface ActionKeyRef {
  namespace: string;
  requestId: string;
  key: string;
}

const where = (k: ActionKeyRef) => ({ namespace: k.namespace, request_id: k.requestId, idempotency_key: k.key });

export async function findActionKey(db: Knex, k: ActionKeyRef): Promise<ActionKeyRow | undefined> {
  return db<ActionKeyRow>('request_action_keys').where(where(k)).first();
}

/**
 * Claims the key for a first attempt. Resolves the row and whether this call wrote it: when
 * another attempt holds it already (a concurrent duplicate), its row is returned to compare.
 */
export async function claimActionKey(
  db: Knex,
  k: ActionKeyRef & { fingerprint: ActionFingerprint; updateId: string; byKeyId: string },
): Promise<{ row: ActionKeyRow; claimed: boolean }> {
  const inserted = await db('request_action_keys')
    .insert({ ...where(k), action: k.fingerprint.action, fingerprint: JSON.stringify(k.fingerprint), update_id: k.updateId, claimed_by_key_id: k.byKeyId })
    .onConflict()
    .ignore()
    .returning<ActionKeyRow[]>('*');
  if (inserted[0]) return { row: inserted[0], claimed: true };
  const row = await findActionKey(db, k);
  if (!row) throw new Error(`action key ${k.key} vanished after a conflicting insert`);
  return { row, claimed: false };
}

/** Records the outcome once; a concurrent attempt that recorded it first wins (both saw the same Update). */
export async function recordActionApplied(db: Knex, k: ActionKeyRef, answer: { status: number; requestId: string }): Promise<void> {
  await db('request_action_keys')
    .where(where(k))
    .whereNull('outcome')
    .update({ outcome: 'applied', answer_status: answer.status, answer_request_id: answer.requestId, decided_at: db.fn.now() });
}

export async function recordActionRefused(db: Knex, k: ActionKeyRef, refusal: StoredRefusal): Promise<void> {
  await db('request_action_keys')
    .where(where(k))
    .whereNull('outcome')
    .update({ outcome: 'refused', answer_status: refusal.status, refusal: JSON.stringify(refusal), decided_at: db.fn.now() });
}
