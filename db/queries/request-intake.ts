import type { Knex } from 'knex';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import type { Fingerprint, IntakeKey } from '../../domain/request/intake';
import { selectWithTerms, splitPolicy, termsInsert, withWholePolicy } from './policy-terms';

/** request_intake: the intake key of a request, written by the API before its workflow starts. */
export interface IntakeRow {
  request_id: string;
  request_key: string;
  namespace: string;
  customer_key: string;
  key_kind: IntakeKey['kind'];
  intake_key: string;
  fingerprint: Fingerprint;
  policy: PinnedPolicy | null;
  contract_id: string | null;
  claimed_at: Date;
  claimed_by_key_id: string | null;
  claimed_by_role: string | null;
}

export async function findIntakeByKey(db: Knex, k: IntakeKey): Promise<IntakeRow | undefined> {
  return findIntake(db, { namespace: k.namespace, customer_key: k.customerKey, key_kind: k.kind, intake_key: k.key });
}

export async function findIntakeByRequestId(db: Knex, requestId: string): Promise<IntakeRow | undefined> {
  return findIntake(db, { request_id: requestId });
}

/** SQL: anything on record for a key (see {@link hasIntakeTrace}); bind {@link traceBindings}. */
const TRACE_SQL = `exists (select 1 from request_intake where namespace = ? and customer_key = ? and key_kind = ? and intake_key = ?)
  or exists (select 1 from request_intake where request_id = any(?))
  or exists (select 1 from support_requests where id = any(?))`;
const traceBindings = (k: IntakeKey, requestIds: readonly string[]) => [k.namespace, k.customerKey, k.kind, k.key, [...requestIds], [...requestIds]];

/**
 * Whether anything is on record for a registration: a claim of its key, or an intake row or a
 * request row under any of `requestIds` (its own id and the id an older scheme gave the same
 * key). One round trip; a new key, the common case, needs no other lookup before its claim.
 */
export async function hasIntakeTrace(db: Knex, k: IntakeKey, requestIds: readonly string[]): Promise<boolean> {
  const { rows } = await db.raw<{ rows: Array<{ traced: boolean }> }>(`select ${TRACE_SQL} as traced`, traceBindings(k, requestIds));
  return rows[0]?.traced === true;
}

/** A claim with its pinned policy whole (stored as the request's row stores it: policy-terms.ts). */
async function findIntake(db: Knex, where: Record<string, string>): Promise<IntakeRow | undefined> {
  const qualified = Object.fromEntries(Object.entries(where).map(([column, value]) => [`request_intake.${column}`, value]));
  const row = await selectWithTerms(db, 'request_intake').where(qualified).first();
  return row && withWholePolicy<IntakeRow>(row);
}

export interface NewIntake {
  key: IntakeKey;
  requestId: string;
  requestKey: string;
  fingerprint: Fingerprint;
  policy: PinnedPolicy;
  atMs: number;
  by: { keyId: string; role: string };
}

/**
 * What a claim on kept facts assumed: nothing on record for its key under `requestIds` (as
 * {@link hasIntakeTrace} reads it), and admission's facts at `factsVersion` still current.
 */
export interface ClaimAssumptions {
  requestIds: readonly string[];
  factsVersion: number;
}

/**
 * Claims the key for a new request, with its policy's shared terms; resolves false when
 * another attempt holds it already (then read it with `findIntakeByKey` and compare). With
 * `assuming`, it claims only if those assumptions still hold (else false, and writes nothing):
 * the lookups a registration makes before its claim and the claim itself, in one statement.
 */
export async function insertIntake(db: Knex, n: NewIntake, assuming?: ClaimAssumptions): Promise<boolean> {
  const row = {
    request_id: n.requestId,
    request_key: n.requestKey,
    namespace: n.key.namespace,
    customer_key: n.key.customerKey,
    key_kind: n.key.kind,
    intake_key: n.key.key,
    fingerprint: n.fingerprint,
    policy: splitPolicy(n.policy).own,
    contract_id: n.policy.contractId ?? null,
    claimed_at: new Date(n.atMs).toISOString(),
    claimed_by_key_id: n.by.keyId,
    claimed_by_role: n.by.role,
  };
  const columns = Object.keys(row).join(', ');
  const go = assuming
    ? db.raw(`select not (${TRACE_SQL}) and (select version from policy_facts_version) = ? as ok`, [...traceBindings(n.key, assuming.requestIds), assuming.factsVersion])
    : db.raw('select true as ok');
  const { rows } = await db.raw<{ rows: Array<{ claimed: number }> }>(
    `with go as (?),
       policy_terms as (?),
       claimed as (
         insert into request_intake (${columns})
         select ${columns} from jsonb_populate_record(null::request_intake, ?::jsonb) where (select ok from go)
         on conflict do nothing returning 1)
     select count(*)::int as claimed from claimed`,
    [go, termsInsert(db, n.policy, '(select ok from go)'), JSON.stringify(row)],
  );
  return rows[0]?.claimed === 1;
}

/**
 * Gives the key (and its quota slot) back after a registration that did not start: a retry
 * then starts from scratch. A key whose request row exists is never released.
 */
export async function releaseIntake(db: Knex, requestId: string): Promise<void> {
  await db('request_intake')
    .where({ request_id: requestId })
    .whereNotExists(db('support_requests').select(db.raw('1')).where({ id: requestId }))
    .delete();
}
