// What one calendars API call may cost: explain and between are bounded (a 422 naming the
// parameter and the cap), and listing calendars compiles a run-time calendar only when its row
// changed (the row version read from PostgreSQL on each call, so other processes' writes count).
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import pino from 'pino';
import request from 'supertest';
import { calendarsRouter } from '../../../api/calendars/router';
import { BETWEEN_MAX_DAYS, EXPLAIN_LIMITS } from '../../../services/calendars/service';
import { listCalendars, loadCalendar, type StoredCalendar } from '../../../services/calendars/catalogue';
import { errorMiddleware } from '../../../api/error-middleware';
import { createCalendarRegistry } from '../../../services/calendar-registry';
import type { CalendarRow } from '../../../db/queries/calendars';
import { CalendarLimitError, explainWorkingTime, loadShippedVersionedCalendar } from '../../../domain/calendar';

/** Just enough of knex for the calendars store: `db('calendars').orderBy()` and `.where().first()`. */
function fakeDb(rows: CalendarRow[]): Knex {
  return ((_table: string) => ({
    orderBy: async () => [...rows],
    where: ({ id }: { id: string }) => ({ first: async () => rows.find((r) => r.id === id) }),
  })) as unknown as Knex;
}

function app(db: Knex) {
  const a = express();
  a.use((req, _res, next) => {
    req.principal = { keyId: 'key_admin', name: 'admin', role: 'admin', customerScope: null };
    next();
  });
  a.use('/v1/calendars', calendarsRouter({ db, registry: createCalendarRegistry(async () => undefined), client: {} as Client, taskQueue: 'unused' }));
  a.use(errorMiddleware(pino({ level: 'silent' })));
  return a;
}

describe('explain and between are bounded', () => {
  test('explain with more working hours than the intervals cap is a 422 naming query:hours and the cap', async () => {
    // supplier: Mon-Fri, one interval a day; 20,000 h is ~2,500 working days.
    const res = await request(app(fakeDb([]))).get('/v1/calendars/supplier/explain').query({ start: '2026-01-12T10:00:00+03:00', hours: 20_000 });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([{ field: 'query:hours', rule: 'too_big', message: expect.stringContaining(String(EXPLAIN_LIMITS.maxIntervals)) }]);
    const ok = await request(app(fakeDb([]))).get('/v1/calendars/supplier/explain').query({ start: '2026-01-12T10:00:00+03:00', hours: 16 });
    expect(ok.status).toBe(200);
    expect(ok.body.intervals.length).toBeGreaterThan(1);
  });

  test('between two instants further apart than the cap is a 422 naming query:to', async () => {
    const res = await request(app(fakeDb([]))).get('/v1/calendars/supplier/between').query({ from: '1900-01-01T00:00:00Z', to: '2199-12-31T00:00:00Z' });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ field: 'query:to', rule: 'too_big', message: `must be within ${BETWEEN_MAX_DAYS} days of from` }]);
    const ok = await request(app(fakeDb([]))).get('/v1/calendars/supplier/between').query({ from: '2026-01-12T10:00:00+03:00', to: '2027-01-12T10:00:00+03:00' });
    expect(ok.status).toBe(200);
  });

  test('the engine stops at the bound instead of building the list; without one it answers (workers use it so)', () => {
    const supplier = loadShippedVersionedCalendar('supplier').versions.at(-1)!;
    const start = Date.parse('2026-01-12T10:00:00+03:00');
    expect(() => explainWorkingTime(supplier, start, 100 * 3_600_000, { maxIntervals: 5 })).toThrow(CalendarLimitError);
    expect(() => explainWorkingTime(supplier, start, 100 * 3_600_000, { maxDays: 7 })).toThrow(/more than 7 days/);
    expect(explainWorkingTime(supplier, start, 100 * 3_600_000).intervals.length).toBeGreaterThan(5);
  });
});

describe('listing calendars compiles only what changed', () => {
  const spec = (name: string) => ({ name, timezone: 'Europe/Moscow', week: { mon: [['09:00', '18:00']] } }) as unknown as CalendarRow['spec'];
  const row = (id: string, revision: number, name: string, at = '2026-11-01T00:00:00Z'): CalendarRow => ({ id, spec: spec(name), revision, updated_at: new Date(at) });
  const runtime = (list: Array<StoredCalendar | { id: string; error: string }>, id: string) => list.find((c) => c.id === id) as StoredCalendar;

  test('an unchanged row is the same compiled calendar on the next call; a new revision is compiled afresh', async () => {
    const id = `cache-${Math.random().toString(36).slice(2)}`;
    const rows = [row(id, 1, 'First')];
    const first = runtime(await listCalendars(fakeDb(rows)), id);
    const again = runtime(await listCalendars(fakeDb(rows)), id);
    expect(again.compiled).toBe(first.compiled);
    expect((await loadCalendar(fakeDb(rows), id))!.compiled).toBe(first.compiled);

    // Another API process wrote version 2: the row read says so, whatever this process cached.
    rows[0] = row(id, 2, 'Second', '2026-11-02T00:00:00Z');
    const changed = runtime(await listCalendars(fakeDb(rows)), id);
    expect(changed.compiled).not.toBe(first.compiled);
    expect(changed.spec.versions[0]!.name).toBe('Second');
  });

  test('the same revision written again (a row deleted and created anew) is told apart by updated_at', async () => {
    const id = `cache-${Math.random().toString(36).slice(2)}`;
    const before = runtime(await listCalendars(fakeDb([row(id, 1, 'Old', '2026-11-01T00:00:00Z')])), id);
    const after = runtime(await listCalendars(fakeDb([row(id, 1, 'New', '2026-11-03T00:00:00Z')])), id);
    expect(after.compiled).not.toBe(before.compiled);
    expect(after.spec.versions[0]!.name).toBe('New');
  });
});
