import type { Knex } from 'knex';
import type { CalendarSpec, VersionedCalendarSpec } from '../../domain/calendar';

export interface CalendarRow {
  id: string;
  spec: VersionedCalendarSpec | CalendarSpec;
  revision: number;
  updated_at: Date;
}

export async function findCalendarRow(db: Knex, id: string): Promise<CalendarRow | undefined> {
  return db<CalendarRow>('calendars').where({ id }).first();
}

export async function listCalendarRows(db: Knex): Promise<CalendarRow[]> {
  return db<CalendarRow>('calendars').orderBy('id');
}

/** Inserts or replaces a calendar's spec, bumping its revision. */
export async function saveCalendarRow(db: Knex, id: string, spec: VersionedCalendarSpec | CalendarSpec): Promise<CalendarRow> {
  const [row] = await db('calendars')
    .insert({ id, spec: JSON.stringify(spec), revision: 1 })
    .onConflict('id')
    .merge({ spec: JSON.stringify(spec), revision: db.raw('calendars.revision + 1'), updated_at: db.fn.now() })
    .returning('*');
  return row as CalendarRow;
}
