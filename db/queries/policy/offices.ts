import type { Knex } from 'knex';
import type { SalesOffice } from '../../../domain/policy';
import { createOnce, paged, toPage, type CreateOutcome, type Page, type PageQuery } from './shared';

/** Sales offices (domain SalesOffice). */
interface OfficeRow {
  id: string;
  name: string;
  operator: SalesOffice['operator'];
  calendar_id: string;
}

function toOffice(r: OfficeRow): SalesOffice {
  return { id: r.id, name: r.name, operator: r.operator, calendarId: r.calendar_id };
}

const officeColumns = ['id', 'name', 'operator', 'calendar_id'];

export async function getOffice(db: Knex, id: string): Promise<SalesOffice | undefined> {
  const row: OfficeRow | undefined = await db('sales_offices').select(officeColumns).where({ id }).first();
  return row && toOffice(row);
}

/** Every sales office (there are tens, not thousands): admission may pick any of them. */
export async function allOffices(db: Knex): Promise<SalesOffice[]> {
  const rows: OfficeRow[] = await db('sales_offices').select(officeColumns).orderBy('id');
  return rows.map(toOffice);
}

export async function listOffices(db: Knex, filter: { operator?: SalesOffice['operator']; calendarId?: string }, page: PageQuery): Promise<Page<SalesOffice>> {
  const query = db('sales_offices').select(officeColumns);
  if (filter.operator) void query.where({ operator: filter.operator });
  if (filter.calendarId) void query.where({ calendar_id: filter.calendarId });
  const rows: OfficeRow[] = await paged(query, 'id', page);
  return toPage(rows.map(toOffice), page);
}

export async function createOffice(db: Knex, office: SalesOffice): Promise<CreateOutcome<SalesOffice>> {
  return createOnce(db, {
    record: office,
    get: (trx) => getOffice(trx, office.id),
    // No foreign key: shipped calendars have no row (see missingReferences).
    references: [{ field: 'calendarId', table: 'calendars', what: 'calendar', id: office.calendarId }],
    insert: async (trx) => {
      const inserted = await trx('sales_offices')
        .insert({ id: office.id, name: office.name, operator: office.operator, calendar_id: office.calendarId })
        .onConflict('id')
        .ignore()
        .returning('id');
      return inserted.length > 0;
    },
  });
}
