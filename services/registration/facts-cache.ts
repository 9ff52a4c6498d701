/**
 * The policy facts of the customers registering lately, kept by this API process between
 * registrations. A load is eight queries; a registration that finds its customer here reads one
 * row instead: PostgreSQL's facts version (db/queries/policy/facts.ts). An entry is used only
 * while that version is the one read before the entry was loaded, so a change committed by any
 * process (the policy API, a migration, psql) is seen by the next registration everywhere.
 */
import type { Knex } from 'knex';
import type { PolicyFacts } from '../../domain/policy';
import { loadPolicyFacts, policyFactsVersion } from '../../db/queries/policy';

/** The facts admission reads for a customer (absent: anonymous) and the products a request names: `loadPolicyFacts`, or a cache of it. */
export type FactsLoader = typeof loadPolicyFacts;

/** Customers kept by default: a desk's active customers, at a few KiB each. */
const DEFAULT_MAX_ENTRIES = 1_000;

export interface FactsCacheOptions {
  maxEntries?: number;
  /** The facts version and the load (tests replace them). */
  readVersion?: (q: Knex) => Promise<number>;
  load?: FactsLoader;
}

export function cachedFactsLoader(opts: FactsCacheOptions = {}): FactsLoader {
  const { maxEntries = DEFAULT_MAX_ENTRIES, readVersion = policyFactsVersion, load = loadPolicyFacts } = opts;
  // Insertion order is recency order: a hit is moved to the end, the first entry is the least recent.
  const entries = new Map<string, { version: number; facts: PolicyFacts }>();
  return async (q, customerId, extra = {}) => {
    const key = JSON.stringify([customerId ?? null, [...(extra.productIds ?? [])].sort()]);
    // Read before a load: facts loaded after it are at least this current.
    const version = await readVersion(q);
    const hit = entries.get(key);
    entries.delete(key);
    const facts = hit?.version === version ? hit.facts : await load(q, customerId, extra);
    entries.set(key, { version, facts });
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    return facts;
  };
}
