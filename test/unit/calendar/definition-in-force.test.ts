/**
 * "A run-time calendar wins over the shipped one of the same id" is decided once
 * (definitionInForce); the registry (workers, deadlines) and the catalogue (the API) must agree.
 */
import type { Knex } from 'knex';
import type { CalendarRow } from '../../../db/queries/calendars';
import { createCalendarRegistry, definitionInForce, UnknownCalendarError } from '../../../services/calendar-registry';
import { listCalendars, loadCalendar } from '../../../services/calendars/catalogue';

const override = { name: 'run-time supplier', timezone: 'Asia/Tokyo', week: { mon: [['09:00', '18:00']] } } as unknown as CalendarRow['spec'];

function fakeDb(rows: CalendarRow[]): Knex {
  return ((_table: string) => ({
    orderBy: async () => [...rows],
    where: ({ id }: { id: string }) => ({ first: async () => rows.find((r) => r.id === id) }),
  })) as unknown as Knex;
}

describe('which calendar definition is in force', () => {
  test('the rule: run-time over shipped, shipped without a row, unknown otherwise', () => {
    expect(definitionInForce('supplier', { any: 'row' })).toEqual({ source: 'runtime', runtime: { any: 'row' } });
    expect(definitionInForce('supplier', undefined)).toEqual({ source: 'shipped' });
    expect(definitionInForce('no-such-calendar', undefined)).toBeUndefined();
  });

  test('a row named like a shipped calendar wins in the registry, a read and the list alike', async () => {
    const db = fakeDb([{ id: 'supplier', spec: override, revision: 1, updated_at: new Date('2026-11-30T00:00:00Z') }]);
    const registry = createCalendarRegistry(async (id) => (id === 'supplier' ? override : undefined));

    expect((await registry.versioned('supplier')).versions[0]?.timezone).toBe('Asia/Tokyo');
    const read = await loadCalendar(db, 'supplier');
    expect(read?.source).toBe('runtime');
    expect(read?.compiled.versions[0]?.timezone).toBe('Asia/Tokyo');
    const listed = (await listCalendars(db)).find((c) => c.id === 'supplier');
    expect(listed && 'source' in listed ? listed.source : undefined).toBe('runtime');
  });

  test('without a row the shipped calendar answers; an unknown id is unknown to both', async () => {
    const db = fakeDb([]);
    const registry = createCalendarRegistry(async () => undefined);
    expect((await registry.versioned('supplier')).versions[0]?.timezone).not.toBe('Asia/Tokyo');
    expect((await loadCalendar(db, 'supplier'))?.source).toBe('shipped');
    await expect(registry.versioned('no-such-calendar')).rejects.toBeInstanceOf(UnknownCalendarError);
    expect(await loadCalendar(db, 'no-such-calendar')).toBeUndefined();
  });
});
