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

/**
 * Writes `spec` only if the calendar is still at `expectedRevision` (null: no row yet), so two
 * API processes adding versions at once cannot lose one. Returns the new revision, or
 * undefined if another writer got there first (re-read and try again).
 */
export async function compareAndSetCalendar(db: Knex, id: string, spec: VersionedCalendarSpec, expectedRevision: number | null): Promise<number | undefined> {
  const json = JSON.stringify(spec);
  if (expectedRevision === null) {
    const rows: Array<{ revision: number }> = await db('calendars').insert({ id, spec: json, revision: 1 }).onConflict('id').ignore().returning('revision');
    return rows[0]?.revision;
  }
  const rows: Array<{ revision: number }> = await db('calendars')
    .where({ id, revision: expectedRevision })
    .update({ spec: json, revision: expectedRevision + 1, updated_at: db.fn.now() })
    .returning('revision');
  return rows[0]?.revision;
}
