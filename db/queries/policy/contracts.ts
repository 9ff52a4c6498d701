/** Individual contracts and the products they are limited to (domain IndividualContract). */
import type { Knex } from 'knex';
import { ContractSlaSchema, type ContractSla, type IndividualContract } from '../../../domain/policy';
import { createOnce, dateColumn, paged, toPage, type CreateOutcome, type Page, type PageQuery, type Reference } from './shared';

interface ContractRow {
  id: string;
  customer_id: string;
  counterparty_kind: IndividualContract['counterparty']['kind'];
  counterparty_name: string;
  starts_on: string;
  ends_on: string;
  sla: ContractSla;
}

const contractColumns = (db: Knex) => [
  'id',
  'customer_id',
  'counterparty_kind',
  'counterparty_name',
  dateColumn(db, 'starts_on', 'starts_on'),
  dateColumn(db, 'ends_on', 'ends_on'),
  'sla',
];

async function withContractProducts(db: Knex, rows: ContractRow[]): Promise<IndividualContract[]> {
  if (rows.length === 0) return [];
  const links: { contract_id: string; product_id: string }[] = await db('contract_products')
    .select('contract_id', 'product_id')
    .whereIn(
      'contract_id',
      rows.map((r) => r.id),
    )
    .orderBy(['contract_id', 'position']);
  return rows.map((r) => {
    const productIds = links.filter((l) => l.contract_id === r.id).map((l) => l.product_id);
    return {
      id: r.id,
      customerId: r.customer_id,
      counterparty: { kind: r.counterparty_kind, name: r.counterparty_name },
      from: r.starts_on,
      to: r.ends_on,
      ...(productIds.length > 0 && { productIds }),
      // Re-parsed: validates the stored terms and restores the domain's key order (jsonb sorts keys).
      sla: ContractSlaSchema.parse(r.sla),
    };
  });
}

export async function getContract(db: Knex, id: string): Promise<IndividualContract | undefined> {
  const row = await db('contracts').select(contractColumns(db)).where({ id }).first();
  return row ? (await withContractProducts(db, [row as ContractRow]))[0] : undefined;
}

export interface ContractFilter {
  customerId?: string;
  /** Only contracts in force on this Moscow date. */
  activeOn?: string;
  counterpartyKind?: IndividualContract['counterparty']['kind'];
}

export async function listContracts(db: Knex, filter: ContractFilter, page: PageQuery): Promise<Page<IndividualContract>> {
  const query = db('contracts').select(contractColumns(db));
  if (filter.customerId) void query.where({ customer_id: filter.customerId });
  if (filter.counterpartyKind) void query.where({ counterparty_kind: filter.counterpartyKind });
  if (filter.activeOn) void query.where('starts_on', '<=', filter.activeOn).andWhere('ends_on', '>=', filter.activeOn);
  const rows: ContractRow[] = await paged(query, 'id', page);
  return toPage(await withContractProducts(db, rows), page);
}

export async function contractsOf(db: Knex, customerId: string): Promise<IndividualContract[]> {
  const rows: ContractRow[] = await db('contracts').select(contractColumns(db)).where({ customer_id: customerId }).orderBy('id');
  return withContractProducts(db, rows);
}

export async function createContract(db: Knex, contract: IndividualContract): Promise<CreateOutcome<IndividualContract>> {
  const references: Reference[] = [
    { field: 'customerId', table: 'customers', what: 'customer', id: contract.customerId },
    ...(contract.productIds ?? []).map((id, i): Reference => ({ field: `productIds.${i}`, table: 'products', what: 'product', id })),
    { field: 'sla.calendarId', table: 'calendars', what: 'calendar', id: contract.sla.calendarId },
  ];
  return createOnce(db, {
    record: contract,
    get: (trx) => getContract(trx, contract.id),
    references,
    insert: async (trx) => {
      const inserted = await trx('contracts')
        .insert({
          id: contract.id,
          customer_id: contract.customerId,
          counterparty_kind: contract.counterparty.kind,
          counterparty_name: contract.counterparty.name,
          starts_on: contract.from,
          ends_on: contract.to,
          sla: JSON.stringify(contract.sla),
        })
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      const productIds = contract.productIds ?? [];
      if (productIds.length > 0) await trx('contract_products').insert(productIds.map((productId, position) => ({ contract_id: contract.id, product_id: productId, position })));
      return true;
    },
  });
}
