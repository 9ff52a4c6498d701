/**
 * What a customer holds: licences, update-package purchases and pilot periods
 * (domain License, UpdatePackagePurchase, PilotPeriod).
 */
import type { Knex } from 'knex';
import type { License, PilotPeriod, UpdatePackagePurchase } from '../../../domain/policy';
import { createOnce, dateColumn, paged, toPage, type CreateOutcome, type Page, type PageQuery, type Reference } from './shared';

const customerRef = (id: string): Reference => ({ field: 'customerId', table: 'customers', what: 'customer', id });
const productRef = (id: string, field = 'productId'): Reference => ({ field, table: 'products', what: 'product', id });

/** Filters shared by the per-customer lists. */
export interface HoldingFilter {
  customerId: string;
  productId?: string;
}

// ---------------------------------------------------------------------------------------------
// Licences

interface LicenseRow {
  id: string;
  customer_id: string;
  product_id: string;
  purchased_on: string;
  valid_through: string | null;
}

const licenseColumns = (db: Knex) => [
  'id',
  'customer_id',
  'product_id',
  dateColumn(db, 'purchased_on', 'purchased_on'),
  dateColumn(db, 'valid_through', 'valid_through'),
];

function toLicense(r: LicenseRow): License {
  return {
    id: r.id,
    customerId: r.customer_id,
    productId: r.product_id,
    purchasedOn: r.purchased_on,
    ...(r.valid_through !== null && { validThrough: r.valid_through }),
  };
}

export async function getLicense(db: Knex, id: string): Promise<License | undefined> {
  const row = await db('licenses').select(licenseColumns(db)).where({ id }).first();
  return row && toLicense(row as LicenseRow);
}

export async function listLicenses(db: Knex, filter: HoldingFilter, page: PageQuery): Promise<Page<License>> {
  const query = db('licenses').select(licenseColumns(db)).where({ customer_id: filter.customerId });
  if (filter.productId) void query.where({ product_id: filter.productId });
  const rows: LicenseRow[] = await paged(query, 'id', page);
  return toPage(rows.map(toLicense), page);
}

/** Every licence of a customer (for the policy facts). */
export async function licensesOf(db: Knex, customerId: string): Promise<License[]> {
  const rows: LicenseRow[] = await db('licenses').select(licenseColumns(db)).where({ customer_id: customerId }).orderBy('id');
  return rows.map(toLicense);
}

export async function createLicense(db: Knex, license: License): Promise<CreateOutcome<License>> {
  return createOnce(db, {
    record: license,
    get: (trx) => getLicense(trx, license.id),
    references: [customerRef(license.customerId), productRef(license.productId)],
    insert: async (trx) => {
      const inserted = await trx('licenses')
        .insert({
          id: license.id,
          customer_id: license.customerId,
          product_id: license.productId,
          purchased_on: license.purchasedOn,
          valid_through: license.validThrough ?? null,
        })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Update-package purchases

interface UpdatePurchaseRow {
  id: string;
  customer_id: string;
  product_id: string;
  purchased_on: string;
}

const updatePurchaseColumns = (db: Knex) => ['id', 'customer_id', 'product_id', dateColumn(db, 'purchased_on', 'purchased_on')];

function toUpdatePurchase(r: UpdatePurchaseRow): UpdatePackagePurchase {
  return { id: r.id, customerId: r.customer_id, productId: r.product_id, purchasedOn: r.purchased_on };
}

export async function getUpdatePurchase(db: Knex, id: string): Promise<UpdatePackagePurchase | undefined> {
  const row = await db('update_purchases').select(updatePurchaseColumns(db)).where({ id }).first();
  return row && toUpdatePurchase(row as UpdatePurchaseRow);
}

export async function listUpdatePurchases(db: Knex, filter: HoldingFilter, page: PageQuery): Promise<Page<UpdatePackagePurchase>> {
  const query = db('update_purchases').select(updatePurchaseColumns(db)).where({ customer_id: filter.customerId });
  if (filter.productId) void query.where({ product_id: filter.productId });
  const rows: UpdatePurchaseRow[] = await paged(query, 'id', page);
  return toPage(rows.map(toUpdatePurchase), page);
}

export async function updatePurchasesOf(db: Knex, customerId: string): Promise<UpdatePackagePurchase[]> {
  const rows: UpdatePurchaseRow[] = await db('update_purchases').select(updatePurchaseColumns(db)).where({ customer_id: customerId }).orderBy('id');
  return rows.map(toUpdatePurchase);
}

export async function createUpdatePurchase(db: Knex, purchase: UpdatePackagePurchase): Promise<CreateOutcome<UpdatePackagePurchase>> {
  return createOnce(db, {
    record: purchase,
    get: (trx) => getUpdatePurchase(trx, purchase.id),
    references: [customerRef(purchase.customerId), productRef(purchase.productId)],
    insert: async (trx) => {
      const inserted = await trx('update_purchases')
        .insert({ id: purchase.id, customer_id: purchase.customerId, product_id: purchase.productId, purchased_on: purchase.purchasedOn })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Pilot periods

interface PilotRow {
  id: string;
  customer_id: string;
  starts_on: string;
  ends_on: string;
}

const pilotColumns = (db: Knex) => ['id', 'customer_id', dateColumn(db, 'starts_on', 'starts_on'), dateColumn(db, 'ends_on', 'ends_on')];

async function withPilotProducts(db: Knex, rows: PilotRow[]): Promise<PilotPeriod[]> {
  if (rows.length === 0) return [];
  const links: { pilot_id: string; product_id: string }[] = await db('pilot_products')
    .select('pilot_id', 'product_id')
    .whereIn(
      'pilot_id',
      rows.map((r) => r.id),
    )
    .orderBy(['pilot_id', 'position']);
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    productIds: links.filter((l) => l.pilot_id === r.id).map((l) => l.product_id),
    from: r.starts_on,
    to: r.ends_on,
  }));
}

export async function getPilot(db: Knex, id: string): Promise<PilotPeriod | undefined> {
  const row = await db('pilots').select(pilotColumns(db)).where({ id }).first();
  return row ? (await withPilotProducts(db, [row as PilotRow]))[0] : undefined;
}

/** `activeOn`: only pilots whose period includes that Moscow date. */
export async function listPilots(db: Knex, filter: HoldingFilter & { activeOn?: string }, page: PageQuery): Promise<Page<PilotPeriod>> {
  const query = db('pilots').select(pilotColumns(db)).where({ customer_id: filter.customerId });
  if (filter.productId) void query.whereIn('id', db('pilot_products').select('pilot_id').where({ product_id: filter.productId }));
  if (filter.activeOn) void query.where('starts_on', '<=', filter.activeOn).andWhere('ends_on', '>=', filter.activeOn);
  const rows: PilotRow[] = await paged(query, 'id', page);
  return toPage(await withPilotProducts(db, rows), page);
}

export async function pilotsOf(db: Knex, customerId: string): Promise<PilotPeriod[]> {
  const rows: PilotRow[] = await db('pilots').select(pilotColumns(db)).where({ customer_id: customerId }).orderBy('id');
  return withPilotProducts(db, rows);
}

export async function createPilot(db: Knex, pilot: PilotPeriod): Promise<CreateOutcome<PilotPeriod>> {
  return createOnce(db, {
    record: pilot,
    get: (trx) => getPilot(trx, pilot.id),
    references: [customerRef(pilot.customerId), ...pilot.productIds.map((id, i) => productRef(id, `productIds.${i}`))],
    insert: async (trx) => {
      const inserted = await trx('pilots')
        .insert({ id: pilot.id, customer_id: pilot.customerId, starts_on: pilot.from, ends_on: pilot.to })
        .onConflict('id')
        .ignore()
        .returning('id');
      if (inserted.length === 0) return false;
      await trx('pilot_products').insert(pilot.productIds.map((productId, position) => ({ pilot_id: pilot.id, product_id: productId, position })));
      return true;
    },
  });
}
