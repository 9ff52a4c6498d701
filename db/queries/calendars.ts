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
