import type { Knex } from 'knex';
import type { Product } from '../../../domain/policy';
import { createOnce, dateColumn, paged, toPage, type CreateOutcome, type Page, type PageQuery } from './shared';

/** Products (domain Product). */
interface ProductRow {
  id: string;
  name: string;
  kind: Product['kind'];
  support_withdrawn_from: string | null;
}

const productColumns = (db: Knex) => ['id', 'name', 'kind', dateColumn(db, 'support_withdrawn_from', 'support_withdrawn_from')];

function toProduct(r: ProductRow): Product {
  return { id: r.id, name: r.name, kind: r.kind, ...(r.support_withdrawn_from !== null && { supportWithdrawnFrom: r.support_withdrawn_from }) };
}

export async function getProduct(db: Knex, id: string): Promise<Product | undefined> {
  const row: ProductRow | undefined = await db('products').select(productColumns(db)).where({ id }).first();
  return row && toProduct(row);
}

/** Products by id; unknown ids are simply absent. */
export async function getProducts(db: Knex, ids: readonly string[]): Promise<Product[]> {
  if (ids.length === 0) return [];
  const rows: ProductRow[] = await db('products').select(productColumns(db)).whereIn('id', [...new Set(ids)]).orderBy('id');
  return rows.map(toProduct);
}

export async function listProducts(db: Knex, filter: { kind?: Product['kind'] }, page: PageQuery): Promise<Page<Product>> {
  const query = db('products').select(productColumns(db));
  if (filter.kind) void query.where({ kind: filter.kind });
  const rows: ProductRow[] = await paged(query, 'id', page);
  return toPage(rows.map(toProduct), page);
}

export async function createProduct(db: Knex, product: Product): Promise<CreateOutcome<Product>> {
  return createOnce(db, {
    record: product,
    get: (trx) => getProduct(trx, product.id),
    references: [],
    insert: async (trx) => {
      const inserted = await trx('products')
        .insert({ id: product.id, name: product.name, kind: product.kind, support_withdrawn_from: product.supportWithdrawnFrom ?? null })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
  });
}
