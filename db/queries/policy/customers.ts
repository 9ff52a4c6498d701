/** Customers and their representatives (domain Customer, Representative). */
import type { Knex } from 'knex';
import type { Customer, Representative } from '../../../domain/policy';
import { createOnce, diffPaths, paged, toPage, type CreateOutcome, type Page, type PageQuery, type Reference } from './shared';

interface CustomerRow {
  id: string;
  name: string;
  office_id: string | null;
}

interface RepresentativeRow {
  customer_id: string;
  id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
}

function toRepresentative(r: RepresentativeRow): Representative {
  return {
    id: r.id,
    name: r.name,
    ...(r.role !== null && { role: r.role }),
    ...(r.email !== null && { email: r.email }),
    ...(r.phone !== null && { phone: r.phone }),
  };
}

function representativeRow(customerId: string, r: Representative): RepresentativeRow {
  return { customer_id: customerId, id: r.id, name: r.name, role: r.role ?? null, email: r.email ?? null, phone: r.phone ?? null };
}

async function withRepresentatives(db: Knex, rows: CustomerRow[]): Promise<Customer[]> {
  if (rows.length === 0) return [];
  const reps: RepresentativeRow[] = await db('representatives')
    .whereIn(
      'customer_id',
      rows.map((r) => r.id),
    )
    .orderBy(['customer_id', 'id']);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    ...(r.office_id !== null && { officeId: r.office_id }),
    representatives: reps.filter((p) => p.customer_id === r.id).map(toRepresentative),
  }));
}

export async function getCustomer(db: Knex, id: string): Promise<Customer | undefined> {
  const row: CustomerRow | undefined = await db('customers').select('id', 'name', 'office_id').where({ id }).first();
  return row ? (await withRepresentatives(db, [row]))[0] : undefined;
}

export async function customerExists(db: Knex, id: string): Promise<boolean> {
  return (await db('customers').select('id').where({ id }).first()) !== undefined;
}

export async function listCustomers(db: Knex, filter: { officeId?: string }, page: PageQuery): Promise<Page<Customer>> {
  const query = db('customers').select('id', 'name', 'office_id');
  if (filter.officeId) void query.where({ office_id: filter.officeId });
  const rows: CustomerRow[] = await paged(query, 'id', page);
  return toPage(await withRepresentatives(db, rows), page);
}

/**
 * A retried create is the same when the customer's own fields match and every representative
 * it lists is stored as given; representatives added later (POST .../representatives) do not
 * make a retry conflict.
 */
function compareCustomers(stored: Customer, wanted: Customer): string[] {
  const own = (c: Customer) => ({ id: c.id, name: c.name, officeId: c.officeId });
  const differences = diffPaths(own(stored), own(wanted));
  wanted.representatives.forEach((rep, i) => {
    const same = stored.representatives.find((r) => r.id === rep.id);
    if (!same) differences.push(`representatives.${i}`);
    else differences.push(...diffPaths(same, rep, `representatives.${i}`));
  });
  return differences;
}

export async function createCustomer(db: Knex, customer: Customer): Promise<CreateOutcome<Customer>> {
  const references: Reference[] = customer.officeId === undefined ? [] : [{ field: 'officeId', table: 'sales_offices', what: 'sales office', id: customer.officeId }];
  return createOnce(db, {
    record: customer,
    get: (trx) => getCustomer(trx, customer.id),
    references,
    compare: compareCustomers,
    insert: async (trx) => {
      const inserted = await trx('customers')
        .insert({ id: customer.id, name: customer.name, office_id: customer.officeId ?? null })
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      if (customer.representatives.length > 0) await trx('representatives').insert(customer.representatives.map((r) => representativeRow(customer.id, r)));
      return true;
    },
  });
}

export async function getRepresentative(db: Knex, customerId: string, id: string): Promise<Representative | undefined> {
  const row: RepresentativeRow | undefined = await db('representatives').where({ customer_id: customerId, id }).first();
  return row && toRepresentative(row);
}

export async function listRepresentatives(db: Knex, customerId: string, page: PageQuery): Promise<Page<Representative>> {
  const rows: RepresentativeRow[] = await paged(db('representatives').where({ customer_id: customerId }), 'id', page);
  return toPage(rows.map(toRepresentative), page);
}

/** Adds a representative to an existing customer (the caller checks that the customer exists). */
export async function createRepresentative(db: Knex, customerId: string, rep: Representative): Promise<CreateOutcome<Representative>> {
  return createOnce(db, {
    record: rep,
    get: (trx) => getRepresentative(trx, customerId, rep.id),
    references: [{ field: 'customerId', table: 'customers', what: 'customer', id: customerId }],
    insert: async (trx) => {
      const inserted = await trx('representatives')
        .insert(representativeRow(customerId, rep))
        .onConflict(['customer_id', 'id'])
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
  });
}
