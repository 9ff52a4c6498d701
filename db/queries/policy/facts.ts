/**
 * The facts the pure policy needs for one customer, and the request counts its contract quotas
 * are checked against.
 */
import type { Knex } from 'knex';
import { addDays, parseFacts, startOfLocalDate, type LocalDate, type PolicyFacts } from '../../../domain/policy';
import { contractsOf } from './contracts';
import { getCustomer } from './customers';
import { licensesOf, pilotsOf, updatePurchasesOf } from './holdings';
import { allOffices } from './offices';
import { getProducts } from './products';

/**
 * Loads exactly what admission and entitlement read for a customer: the customer with its
 * representatives, licences, update purchases, pilots and contracts, the products those refer
 * to plus `productIds` (e.g. the product a request names, so that it is known even when the
 * customer holds nothing for it), and every sales office. Validated by the domain's
 * `parseFacts` (throws `FactsError` on inconsistent data).
 *
 * An unknown or absent `customerId` yields facts without customers: entitlement then gives
 * initial only, and admission refuses an unknown id with `unknown-customer`.
 */
export async function loadPolicyFacts(db: Knex, customerId: string | undefined, extra: { productIds?: readonly string[] } = {}): Promise<PolicyFacts> {
  const customer = customerId === undefined ? undefined : await getCustomer(db, customerId);
  const [licenses, updatePackages, pilots, contracts, salesOffices] = customer
    ? await Promise.all([licensesOf(db, customer.id), updatePurchasesOf(db, customer.id), pilotsOf(db, customer.id), contractsOf(db, customer.id), allOffices(db)])
    : [[], [], [], [], await allOffices(db)];
  const productIds = [
    ...licenses.map((l) => l.productId),
    ...updatePackages.map((u) => u.productId),
    ...pilots.flatMap((p) => p.productIds),
    ...contracts.flatMap((c) => c.productIds ?? []),
    ...(extra.productIds ?? []),
  ];
  const products = await getProducts(db, productIds);
  return parseFacts({ products, salesOffices, customers: customer ? [customer] : [], licenses, updatePackages, pilots, contracts });
}

/**
 * The number that moves with every committed change to the facts above (a trigger on each of
 * their tables: migration 20261205100000): facts loaded after reading it are current while it
 * stays the same.
 */
export async function policyFactsVersion(db: Knex): Promise<number> {
  const row: { version: number } | undefined = await db('policy_facts_version').first('version');
  if (!row) throw new Error('policy_facts_version has no row: run the migrations');
  return row.version;
}

/**
 * Requests registered under a contract (its pinned policy names it) whose registration instant
 * falls within the Moscow dates `from`..`through`, both inclusive; with the registrations in
 * flight (an intake row holds the slot from admission until the workflow writes the request,
 * or is deleted if the start fails), so a quota holds without a lock across the Temporal call.
 */
export async function countRequestsUnderContract(db: Knex, contractId: string, from: LocalDate, through: LocalDate): Promise<number> {
  const start = new Date(startOfLocalDate(from));
  const end = new Date(startOfLocalDate(addDays(through, 1)));
  const { rows } = await db.raw<{ rows: Array<{ count: number | string }> }>(
    `select count(*) as count from (
       select id from support_requests where (policy->>'contractId') = ? and registered_at >= ? and registered_at < ?
       union
       select request_id from request_intake where contract_id = ? and claimed_at >= ? and claimed_at < ?
     ) registered`,
    [contractId, start, end, contractId, start, end],
  );
  return Number(rows[0]?.count ?? 0);
}
