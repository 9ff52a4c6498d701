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
 * Requests registered under a contract (its pinned policy names it) whose registration instant
 * falls within the Moscow dates `from`..`through`, both inclusive.
 */
export async function countRequestsUnderContract(db: Knex, contractId: string, from: LocalDate, through: LocalDate): Promise<number> {
  const row = await db('support_requests')
    .whereRaw(`(policy->>'contractId') = ?`, [contractId])
    .andWhere('registered_at', '>=', new Date(startOfLocalDate(from)))
    .andWhere('registered_at', '<', new Date(startOfLocalDate(addDays(through, 1))))
    .count<{ count: number | string }[]>({ count: '*' })
    .first();
  return Number(row?.count ?? 0);
}
