/**
 * The policy facts of the customers registering lately, kept by this API process between
 * registrations. A load is eight queries. A registration that finds its customer here admits
 * on the kept facts and claims its key only if PostgreSQL's facts version
 * (db/queries/policy/facts.ts) is still the one read before they were loaded, in the claim's
 * own statement; a loader call reads that version first. So a change committed by any process
 * (the policy API, a migration, psql) is seen by the next registration everywhere.
 */
import type { Knex } from 'knex';
import type { PolicyFacts } from '../../domain/policy';
import { loadPolicyFacts, policyFactsVersion } from '../../db/queries/policy';

/** The facts admission reads for a customer (absent: anonymous) and the products a request names: `loadPolicyFacts`, or a cache of it. */
export type FactsLoader = typeof loadPolicyFacts;

/** Facts as one load read them, and the facts version read before that load. */
export interface KeptFacts {
  version: number;
  facts: PolicyFacts;
}

/** A cache of `loadPolicyFacts`; `kept` answers from it alone, reading nothing. */
export type FactsCache = FactsLoader & {
  /** The facts kept for this customer and products, as of their version; the caller checks that version is still current. */
  kept(customerId: string | undefined, extra?: { productIds?: readonly string[] }): KeptFacts | undefined;
};

/** Customers kept by default: a desk's active customers, at a few KiB each. */
const DEFAULT_MAX_ENTRIES = 1_000;

export interface FactsCacheOptions {
  maxEntries?: number;
  /** The facts version and the load (tests replace them). */
  readVersion?: (q: Knex) => Promise<number>;
  load?: FactsLoader;
}

export function cachedFactsLoader(opts: FactsCacheOptions = {}): FactsCache {
  const { maxEntries = DEFAULT_MAX_ENTRIES, readVersion = policyFactsVersion, load = loadPolicyFacts } = opts;
  // Insertion order is recency order: a hit is moved to the end, the first entry is the least recent.
  const entries = new Map<string, KeptFacts>();
  const keyOf = (customerId: string | undefined, productIds: readonly string[] = []) => JSON.stringify([customerId ?? null, [...productIds].sort()]);
  const touch = (key: string, entry: KeptFacts) => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
  };
  const loader: FactsLoader = async (q, customerId, extra = {}) => {
    const key = keyOf(customerId, extra.productIds);
    // Read before a load: facts loaded after it are at least this current.
    const version = await readVersion(q);
    const hit = entries.get(key);
    const facts = hit?.version === version ? hit.facts : await load(q, customerId, extra);
    touch(key, { version, facts });
    return facts;
  };
  return Object.assign(loader, {
    kept(customerId: string | undefined, extra: { productIds?: readonly string[] } = {}) {
      const key = keyOf(customerId, extra.productIds);
      const hit = entries.get(key);
      if (hit) touch(key, hit);
      return hit;
    },
  });
}
