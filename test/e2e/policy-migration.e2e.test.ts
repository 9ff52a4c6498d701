// The policy-facts migration as applied by the running product: documented tables and columns,
// named constraints that hold even for writers that bypass the API. Read-only on the shared
// database (every write is inside a transaction that is rolled back).
import type { Knex } from 'knex';
import { testDb, uniqueKey } from './helpers';

const TABLES = ['products', 'sales_offices', 'customers', 'representatives', 'licenses', 'update_purchases', 'pilots', 'pilot_products', 'contracts', 'contract_products'];

let db: Knex;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.destroy();
});

/** Runs `fn` in a transaction that is always rolled back; returns the error it raised, if any. */
async function attempt(fn: (trx: Knex.Transaction) => Promise<unknown>): Promise<{ constraint?: string; code?: string } | undefined> {
  const trx = await db.transaction();
  try {
    await fn(trx);
    return undefined;
  } catch (err) {
    return err as { constraint?: string; code?: string };
  } finally {
    await trx.rollback();
  }
}

describe('the policy-facts migration', () => {
  test('is applied, and every table and column carries a comment', async () => {
    const applied = await db('knex_migrations').pluck('name');
    expect(applied).toContain('20261125140000_policy_facts.js');
    const undocumented = await db.raw(
      `select c.table_name, c.column_name from information_schema.columns c
        where c.table_schema = current_schema() and c.table_name = any(?)
          and col_description((quote_ident(c.table_name))::regclass, c.ordinal_position) is null`,
      [TABLES],
    );
    expect(undocumented.rows).toEqual([]);
    const tables = await db.raw(`select relname from pg_class where relname = any(?) and relkind = 'r' and obj_description(oid, 'pg_class') is not null`, [TABLES]);
    expect(tables.rows.map((r: { relname: string }) => r.relname).sort()).toEqual([...TABLES].sort());
    const index = await db.raw(`select indexdef from pg_indexes where indexname = 'support_requests_policy_contract_idx'`);
    expect(index.rows[0].indexdef).toMatch(/policy ->> 'contractId'/);
  });

  test('constraints hold for writers that bypass the API', async () => {
    const k = uniqueKey('mig');
    const seed = async (trx: Knex.Transaction) => {
      await trx('products').insert({ id: `p-${k}`, name: 'P', kind: 'commercial' });
      await trx('customers').insert({ id: `c-${k}`, name: 'C' });
    };
    expect(await attempt((trx) => trx('products').insert({ id: `p-${k}`, name: 'P', kind: 'paid' }))).toMatchObject({ constraint: 'products_kind_ck' });
    expect(await attempt((trx) => trx('sales_offices').insert({ id: `o-${k}`, name: 'O', operator: 'franchise', calendar_id: 'x' }))).toMatchObject({
      constraint: 'sales_offices_operator_ck',
    });
    expect(await attempt((trx) => trx('customers').insert({ id: `c-${k}`, name: 'C', office_id: `none-${k}` }))).toMatchObject({ constraint: 'customers_office_fk' });
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('licenses').insert({ id: `l-${k}`, customer_id: `c-${k}`, product_id: `p-${k}`, purchased_on: '2026-03-01', valid_through: '2026-02-28' });
      }),
    ).toMatchObject({ constraint: 'licenses_period_ck' });
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('licenses').insert({ id: `l-${k}`, customer_id: `c-${k}`, product_id: `none-${k}`, purchased_on: '2026-03-01' });
      }),
    ).toMatchObject({ constraint: 'licenses_product_fk' });
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('pilots').insert({ id: `pi-${k}`, customer_id: `c-${k}`, starts_on: '2026-03-01', ends_on: '2026-02-01' });
      }),
    ).toMatchObject({ constraint: 'pilots_period_ck' });
    const contract = { id: `k-${k}`, customer_id: `c-${k}`, counterparty_kind: 'dealer', counterparty_name: 'D', starts_on: '2026-01-01', ends_on: '2026-12-31' };
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('contracts').insert({ ...contract, sla: JSON.stringify(['not', 'an', 'object']) });
      }),
    ).toMatchObject({ constraint: 'contracts_sla_ck' });
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('contracts').insert({ ...contract, counterparty_kind: 'friend', sla: JSON.stringify({ calendarId: 'x', targets: {} }) });
      }),
    ).toMatchObject({ constraint: 'contracts_counterparty_kind_ck' });
    expect(
      await attempt(async (trx) => {
        await seed(trx);
        await trx('contracts').insert({ ...contract, sla: JSON.stringify({ calendarId: 'x', targets: {} }) });
        await trx('contract_products').insert({ contract_id: contract.id, product_id: `p-${k}`, position: 0 });
        await trx('contract_products').insert({ contract_id: contract.id, product_id: `p-${k}`, position: 1 });
      }),
    ).toMatchObject({ constraint: 'contract_products_pk' });
    expect(await db('products').where({ id: `p-${k}` })).toEqual([]);
  });
});
