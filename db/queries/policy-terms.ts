/**
 * How a request's pinned policy is stored: the fields that are the request's own stay in its
 * row (`support_requests.policy`, where the board, the reports and the contract quota query
 * them), the shared terms are stored once per digest in `pinned_policy_terms` and named by
 * `termsRef`. Rows written before this hold the whole policy and no `termsRef`; both read the
 * same (see {@link joinPolicy}).
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { PinnedPolicy } from '../../domain/policy/pinned';

/** Fields that differ from request to request, or that SQL reads from the row (`policy->>…`). */
const OWN_FIELDS = ['level', 'priority', 'customerId', 'productId', 'contractId', 'officeId', 'reporter', 'calendarVersionId', 'pinnedAtMs'] as const;
const OWN: ReadonlySet<string> = new Set(OWN_FIELDS);

export type PolicyTerms = Record<string, unknown>;

export interface StoredPolicy {
  /** What the row's `policy` column holds: the own fields and `termsRef`. */
  own: Record<string, unknown> & { termsRef: string };
  terms: PolicyTerms;
  digest: string;
}

/** Policies split already: a write builds the row's column and the terms insert from one split. */
const splits = new WeakMap<PinnedPolicy, StoredPolicy>();

/** Splits a policy into its row part and its shared terms, named by their digest (once per policy object). */
export function splitPolicy(policy: PinnedPolicy): StoredPolicy {
  const known = splits.get(policy);
  if (known) return known;
  const own: Record<string, unknown> = {};
  const terms: PolicyTerms = {};
  for (const [key, value] of Object.entries(policy)) {
    if (value === undefined) continue;
    (OWN.has(key) ? own : terms)[key] = value;
  }
  const digest = createHash('sha256').update(canonicalJson(terms)).digest('base64url');
  const stored = { own: { ...own, termsRef: digest }, terms, digest };
  splits.set(policy, stored);
  return stored;
}

/** The whole policy from a row's `policy` and the terms its `termsRef` names (none for rows written whole). */
export function joinPolicy(stored: Record<string, unknown> | null, terms: PolicyTerms | null | undefined): PinnedPolicy {
  if (stored === null || typeof stored.termsRef !== 'string') return stored as unknown as PinnedPolicy;
  if (!terms) throw new Error(`pinned policy terms ${stored.termsRef} are missing`);
  const { termsRef: _ref, ...own } = stored;
  return { ...terms, ...own } as unknown as PinnedPolicy;
}

/** `table`'s rows with the shared terms their policy names (`policy_terms`): read each with {@link withWholePolicy}. */
export function selectWithTerms(db: Knex, table: 'support_requests' | 'request_intake'): Knex.QueryBuilder {
  return db(table)
    .leftJoin('pinned_policy_terms', 'pinned_policy_terms.digest', db.raw(`${table}.policy->>'termsRef'`))
    .select(`${table}.*`, 'pinned_policy_terms.terms as policy_terms');
}

/** A row read by {@link selectWithTerms}, its pinned policy whole. */
export function withWholePolicy<R extends { policy: unknown }>(row: R & { policy_terms: PolicyTerms | null }): R {
  const { policy_terms: terms, ...rest } = row;
  return { ...rest, policy: joinPolicy(rest.policy as Record<string, unknown> | null, terms) } as unknown as R;
}

/**
 * The statement that stores a policy's terms once (a second request with the same terms inserts
 * nothing), to run as a `with` of the row's own write: one statement, one round trip. `when`
 * (SQL over the statement's other CTEs) makes it conditional, like the write it goes with.
 */
export function termsInsert(db: Knex, policy: PinnedPolicy, when = 'true'): Knex.Raw {
  const { digest, terms } = splitPolicy(policy);
  return db.raw(`insert into pinned_policy_terms (digest, terms) select ?, ?::jsonb where ${when} on conflict (digest) do nothing`, [digest, JSON.stringify(terms)]);
}

/** JSON with object keys in order, so equal terms have one digest whatever order they were built in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
