// Calendars as an API resource, over HTTP against the running product: shipped and run-time
// calendars, versions from a stated instant, explanations of deadlines, and the re-plan of
// the open requests on a calendar when it gains a version. Calendar ids carry a per-run
// suffix (reruns against a kept database never collide); the shipped calendars are only read.
import type { Knex } from 'knex';
import { DateTime } from 'luxon';
import { http, testDb, uniqueKey } from './helpers';

const ZONE = 'Europe/Moscow';
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
const explain = (id: string, params: Record<string, string>, api = 0) => http('GET', `/v1/calendars/${id}/explain?${q(params)}`, { api });
const fields = (res: { body: any }) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

const everyDay = (ranges: string[][]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ranges]));
const officeSpec = { name: 'E2E office, every day 09-18', timezone: ZONE, week: everyDay([['09:00', '18:00']]) };

let db: Knex;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.destroy();
});

describe('shipped calendars', () => {
  test('the list includes the supplier calendar with its coverage end, and warns only within the horizon', async () => {
    const res = await http('GET', '/v1/calendars');
    expect(res.status).toBe(200);
    const supplier = res.body.items.find((c: { id: string }) => c.id === 'supplier');
    expect(supplier).toMatchObject({
      id: 'supplier',
      timezone: ZONE,
      source: 'shipped',
      versions: [{ id: '1', effectiveFrom: null }],
      coverageEnd: '2027-12-31',
      coverageWarning: null,
    });
    expect(res.body.items.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(['always-on', 'office-moscow', 'office-yekaterinburg', 'supplier']));
    const yekaterinburg = res.body.items.find((c: { id: string }) => c.id === 'office-yekaterinburg');
    expect(yekaterinburg.versions).toEqual([
      { id: '2024', effectiveFrom: null },
      { id: '2026-03', effectiveFrom: '2026-03-01T00:00:00+05:00' },
    ]);

    // Coverage ends within ~3 years: a long horizon reports it.
    const far = await http('GET', '/v1/calendars?horizonDays=2000');
    const warned = far.body.items.find((c: { id: string }) => c.id === 'supplier');
    expect(warned.coverageWarning).toMatch(/coverage ends on 2027-12-31/);
    expect(far.body.items.find((c: { id: string }) => c.id === 'always-on').coverageWarning).toBeNull();

    const bad = await http('GET', '/v1/calendars?horizonDays=soon');
    expect(bad.status).toBe(400);
    expect(fields(bad)).toEqual(['query:horizonDays']);
  });

  test('one calendar comes with its full versioned spec', async () => {
    const res = await http('GET', '/v1/calendars/supplier');
    expect(res.status).toBe(200);
    expect(res.body.spec).toMatchObject({ id: 'supplier', versions: [{ versionId: '1', timezone: ZONE, exceptionSets: ['ru-production'] }] });
    expect(res.body.spec.versions[0].week.mon).toEqual([['10:00', '18:00']]);
  });

  test('explain: Friday 17:00 Moscow + 8 working hours is Monday 17:00, with the intervals consumed', async () => {
    const res = await explain('supplier', { start: '2026-11-27T17:00:00+03:00', hours: '8' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      calendarId: 'supplier',
      versionId: '1',
      timezone: ZONE,
      start: '2026-11-27T17:00:00+03:00',
      workingHours: 8,
      due: '2026-11-30T17:00:00+03:00',
      extrapolated: false,
      intervals: [
        { date: '2026-11-27', kind: 'regular', start: '2026-11-27T17:00:00+03:00', end: '2026-11-27T18:00:00+03:00', workingHours: 1, extrapolated: false },
        { date: '2026-11-30', kind: 'regular', start: '2026-11-30T10:00:00+03:00', end: '2026-11-30T17:00:00+03:00', workingHours: 7, extrapolated: false },
      ],
    });
    // An offset-less start is read in the calendar's zone; past the coverage it is flagged.
    const local = await explain('supplier', { start: '2026-11-27T17:00', hours: '8' }, 1);
    expect(local.body.due).toBe('2026-11-30T17:00:00+03:00');
    const beyond = await explain('supplier', { start: '2027-12-30T10:00', hours: '24' });
    expect(beyond.body).toMatchObject({ extrapolated: true, warning: expect.stringMatching(/2027-12-31/) });
  });

  test('between: working seconds in a range', async () => {
    const res = await http('GET', `/v1/calendars/supplier/between?${q({ from: '2026-11-27T17:00:00+03:00', to: '2026-11-30T12:00:00+03:00' })}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ versionId: '1', workingSeconds: 3 * 3600, workingHours: 3, extrapolated: false });
  });

  test('bad questions get a 400 naming the parameter; unknown calendars and versions a 404', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ start: 'yesterday', hours: '8' }, 'query:start'],
      [{ start: '2026-11-27T17:00', hours: '-1' }, 'query:hours'],
      [{ start: '2026-11-27T17:00', hours: 'many' }, 'query:hours'],
      [{ hours: '8' }, 'query:start'],
      [{ start: '2026-11-27T17:00', hours: '8', colour: 'red' }, 'query:colour'],
    ];
    for (const [params, field] of cases) {
      const res = await explain('supplier', params);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(fields(res)).toContain(field);
    }
    expect((await http('GET', '/v1/calendars/no-such-calendar')).status).toBe(404);
    expect((await explain('no-such-calendar', { start: '2026-11-27T17:00', hours: '8' })).status).toBe(404);
    expect((await explain('supplier', { start: '2026-11-27T17:00', hours: '8', version: 'no-such-version' })).status).toBe(404);
    const post = await http('POST', '/v1/calendars/no-such-calendar/versions', { body: { effectiveFrom: new Date().toISOString(), addExceptions: { holidays: ['2027-01-11'] } } });
    expect(post.status).toBe(404);
    expect((await http('GET', '/v1/calendars/bad%20id')).status).toBe(400);
  });
});

describe('run-time calendars', () => {
  const id = uniqueKey('e2e-office').toLowerCase();

  test('PUT creates an office calendar; the same spec again is 200, another one 409', async () => {
    const created = await http('PUT', `/v1/calendars/${id}`, { body: officeSpec });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/calendars/${id}`);
    expect(created.body).toMatchObject({ id, name: officeSpec.name, source: 'runtime', timezone: ZONE, versions: [{ id: '1', effectiveFrom: null }], coverageEnd: null });

    const again = await http('PUT', `/v1/calendars/${id}`, { body: officeSpec, api: 1 });
    expect(again.status).toBe(200);
    const other = await http('PUT', `/v1/calendars/${id}`, { body: { ...officeSpec, week: everyDay([['10:00', '18:00']]) } });
    expect(other.status).toBe(409);
    // A shipped calendar cannot be replaced either: it changes by versions.
    expect((await http('PUT', '/v1/calendars/supplier', { body: officeSpec })).status).toBe(409);

    const list = await http('GET', '/v1/calendars', { api: 1 });
    expect(list.body.items.find((c: { id: string }) => c.id === id)).toMatchObject({ source: 'runtime', versions: [{ id: '1' }] });
    const read = await http('GET', `/v1/calendars/${id}`);
    expect(read.body.spec).toEqual({ id, versions: [{ ...officeSpec, versionId: '1' }] });
  });

  test('an invalid calendar gets a 400 naming the field, and nothing is written', async () => {
    const bad = uniqueKey('e2e-bad').toLowerCase();
    const cases: Array<[unknown, string]> = [
      [{ ...officeSpec, week: { mon: [['09:00', '13:00'], ['12:00', '18:00']] } }, 'week.mon[1]'],
      [{ ...officeSpec, timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      [{ ...officeSpec, week: { mon: [['18:00', '09:00']] } }, 'week.mon[0]'],
      [{ ...officeSpec, holidays: ['2026-02-30'] }, 'holidays[0]'],
      [{ ...officeSpec, colour: 'red' }, 'colour'],
      [{ ...officeSpec, id: 'another-id' }, 'id'],
      [{ versions: [{ ...officeSpec, versionId: 'a' }, { ...officeSpec, versionId: 'b', effectiveFrom: 'soon' }] }, 'versions[1].effectiveFrom'],
      [{ versions: [{ ...officeSpec, versionId: 'a' }], owner: 'me' }, 'owner'],
    ];
    for (const [body, field] of cases) {
      const res = await http('PUT', `/v1/calendars/${bad}`, { body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(fields(res)).toEqual([field]);
      expect(res.body.errors[0].message).toBeTruthy();
    }
    expect((await http('PUT', `/v1/calendars/${bad}`, { rawBody: 'timezone=UTC', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    expect((await http('GET', `/v1/calendars/${bad}`)).status).toBe(404);
  });

  test('a new version with a closure changes explanations after its effectiveFrom; the old version still explains old instants', async () => {
    const today = DateTime.now().setZone(ZONE).startOf('day');
    const closureDay = today.plus({ days: 7 }).toISODate()!;
    const nextDay = today.plus({ days: 8 }).toISODate()!;
    const effectiveFrom = new Date(Date.now() + 1_000).toISOString();
    const body = {
      effectiveFrom,
      author: 'e2e-admin',
      addExceptions: { closures: [{ date: closureDay, from: '12:00', to: '14:00', reason: 'Office closure' }] },
    };
    const added = await http('POST', `/v1/calendars/${id}/versions`, { body });
    expect(added.status).toBe(201);
    const versionId = added.body.version.id;
    expect(added.body).toMatchObject({
      calendarId: id,
      created: true,
      version: { id: expect.any(String), timezone: ZONE, effectiveFrom: DateTime.fromISO(effectiveFrom).setZone(ZONE).toISO() },
      replan: { calendarId: id, versionId, requests: 0, replanned: 0, failed: 0 },
    });
    expect(added.body.replan.durationMs).toEqual(expect.any(Number));

    // The new version from its effectiveFrom on: the closure takes 12:00-14:00 out of the day.
    await new Promise((r) => setTimeout(r, 1_100));
    const after = await explain(id, { start: `${closureDay}T09:00`, hours: '9' }, 1);
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ versionId, due: `${nextDay}T11:00:00+03:00` });
    expect(after.body.intervals.map((i: any) => [i.date, i.kind, i.start.slice(11, 16), i.end.slice(11, 16), i.workingHours])).toEqual([
      [closureDay, 'partial-closure', '09:00', '12:00', 3],
      [closureDay, 'partial-closure', '14:00', '18:00', 4],
      [nextDay, 'regular', '09:00', '11:00', 2],
    ]);
    // The old version still explains what was computed with it (named, or by an earlier start).
    const named = await explain(id, { start: `${closureDay}T09:00`, hours: '9', version: '1' });
    expect(named.body).toMatchObject({ versionId: '1', due: `${closureDay}T18:00:00+03:00` });
    const earlier = await explain(id, { start: `${today.minus({ days: 1 }).toISODate()}T09:00`, hours: String(9 * 9) });
    expect(earlier.body).toMatchObject({ versionId: '1', due: `${closureDay}T18:00:00+03:00` });
    const between = await http('GET', `/v1/calendars/${id}/between?${q({ from: `${closureDay}T00:00`, to: `${nextDay}T00:00` })}`);
    expect(between.body).toMatchObject({ versionId, workingSeconds: 7 * 3600 });

    // Listed with both versions; the spec keeps version 1 unchanged.
    const read = await http('GET', `/v1/calendars/${id}`, { api: 1 });
    expect(read.body.versions.map((v: { id: string }) => v.id)).toEqual(['1', versionId]);
    expect(read.body.spec.versions[0]).toEqual({ ...officeSpec, versionId: '1' });
    expect(read.body.spec.versions[1]).toMatchObject({ versionId, closures: body.addExceptions.closures, week: officeSpec.week });

    // A retried POST returns the same version (200) instead of adding another.
    const retried = await http('POST', `/v1/calendars/${id}/versions`, { body, api: 1 });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ created: false, version: { id: versionId } });
    expect((await http('GET', `/v1/calendars/${id}`)).body.versions).toHaveLength(2);
  });

  test('versions are append-only: not before the newest one, not in the past, ids never reused', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const newest = (await http('GET', `/v1/calendars/${id}`)).body.versions.at(-1);

    const before = await http('POST', `/v1/calendars/${id}/versions`, {
      body: { effectiveFrom: new Date(Date.parse(newest.effectiveFrom) - 500).toISOString(), addExceptions: { holidays: ['2027-05-04'] } },
    });
    // Within the last minute but not after the newest version: a conflict with the history.
    expect(before.status).toBe(409);
    const past = await http('POST', `/v1/calendars/${id}/versions`, { body: { effectiveFrom: '2026-01-01T00:00:00+03:00', addExceptions: { holidays: ['2027-05-04'] } } });
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([expect.objectContaining({ field: 'effectiveFrom', rule: 'in_past' })]);
    const reused = await http('POST', `/v1/calendars/${id}/versions`, { body: { effectiveFrom: soon, versionId: '1', addExceptions: { holidays: ['2027-05-04'] } } });
    expect(reused.status).toBe(409);

    const cases: Array<[unknown, string]> = [
      [{ effectiveFrom: soon, addExceptions: { holidays: ['2027-13-01'] } }, 'addExceptions.holidays[0]'],
      [{ effectiveFrom: soon, addExceptions: { closures: [{ date: '2027-05-04', from: '14:00', to: '12:00' }] } }, 'addExceptions.closures[0]'],
      [{ effectiveFrom: soon, addExceptions: { floods: [] } }, 'addExceptions.floods'],
      [{ effectiveFrom: 'next week', addExceptions: { holidays: ['2027-05-04'] } }, 'effectiveFrom'],
      [{ addExceptions: { holidays: ['2027-05-04'] } }, 'effectiveFrom'],
      // A full version spec instead of addExceptions: the engine's field names.
      [{ ...officeSpec, effectiveFrom: soon, week: { mon: [['09:00', '13:00'], ['12:30', '18:00']] } }, 'week.mon[1]'],
      [{ ...officeSpec, effectiveFrom: soon, timezone: 'Europe/Atlantis' }, 'timezone'],
    ];
    for (const [body, field] of cases) {
      const res = await http('POST', `/v1/calendars/${id}/versions`, { body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(fields(res)).toEqual([field]);
    }
    expect((await http('GET', `/v1/calendars/${id}`)).body.versions).toHaveLength(2);
  });

  test('a full version spec replaces the schedule from its effectiveFrom; holidays can come from an .ics file', async () => {
    const soon = DateTime.now().plus({ seconds: 2 });
    const full = await http('POST', `/v1/calendars/${id}/versions`, {
      body: { ...officeSpec, week: everyDay([['10:00', '19:00']]), effectiveFrom: soon.toISO(), versionId: 'late-opening' },
    });
    expect(full.status).toBe(201);
    expect(full.body.version.id).toBe('late-opening');

    const holiday = DateTime.now().setZone(ZONE).plus({ days: 20 }).startOf('day');
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//e2e//EN',
      'BEGIN:VEVENT',
      'UID:e2e-1',
      `DTSTART;VALUE=DATE:${holiday.toFormat('yyyyMMdd')}`,
      `DTEND;VALUE=DATE:${holiday.plus({ days: 1 }).toFormat('yyyyMMdd')}`,
      'SUMMARY:Office holiday',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');
    const path = `/v1/calendars/${id}/versions/ics?${q({ effectiveFrom: soon.plus({ seconds: 1 }).toISO()!, author: 'e2e-admin' })}`;
    const imported = await http('POST', path, { rawBody: ics, headers: { 'content-type': 'text/calendar' } });
    expect(imported.status).toBe(201);
    expect(imported.body.imported).toEqual({ holidays: 1, closures: 0, skipped: [] });
    const spec = (await http('GET', `/v1/calendars/${id}`)).body.spec;
    expect(spec.versions.at(-1)).toMatchObject({ holidays: [holiday.toISODate()], week: everyDay([['10:00', '19:00']]) });
    // Derived from the newest version ("late-opening", which has no closure), not from older ones.
    expect(spec.versions.at(-1).closures).toBeUndefined();

    const notIcs = await http('POST', path, { rawBody: 'hello', headers: { 'content-type': 'text/calendar' } });
    expect(notIcs.status).toBe(400);
    expect(fields(notIcs)).toEqual(['body']);
    expect((await http('POST', path, { body: { ics } })).status).toBe(415);
    // The same import, posted to …/versions with a text/calendar body, is recognised as a repeat.
    const again = await http('POST', `/v1/calendars/${id}/versions?${path.split('?')[1]}`, { rawBody: ics, headers: { 'content-type': 'text/calendar' }, api: 1 });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, version: { id: imported.body.version.id }, imported: { holidays: 1 } });
  });
});

describe('a calendar change re-plans the open requests on it', () => {
  const run = uniqueKey('replan').toLowerCase();
  const calendarId = `e2e-${run}`;
  const customerId = `c-${run}`;
  const contractId = `contract-${run}`;
  const today = DateTime.utc().startOf('day');

  beforeAll(async () => {
    // 24 x 7 in UTC: a clock's due instant is simply "now + remaining" until the calendar changes.
    const put = await http('PUT', `/v1/calendars/${calendarId}`, { body: { timezone: 'UTC', week: everyDay([['00:00', '24:00']]) } });
    expect(put.status).toBe(201);
    expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Re-plan customer' } })).status).toBe(201);
    const contract = await http('POST', '/v1/contracts', {
      body: {
        id: contractId,
        customerId,
        counterparty: { kind: 'dealer', name: 'Re-plan Dealer' },
        from: today.minus({ days: 30 }).toISODate(),
        to: today.plus({ days: 365 }).toISODate(),
        sla: {
          calendarId,
          targets: { kind: 'single', firstResponse: { workingHours: 4 }, resolution: { workingHours: 24 } },
          channels: ['messenger'],
          services: ['customisation'],
        },
      },
    });
    expect(contract.status).toBe(201);
  });

  test('open requests move to the new version (one Update each, one durable workflow per version); finished ones are left alone; a retry finds the same re-plan', async () => {
    const register = (i: number) =>
      http('POST', '/v1/requests', { body: { subject: `Re-plan ${i}`, externalRef: `${run}-${i}`, customerId, channel: 'messenger', category: 'customisation' }, api: i % 2 });
    const created = await Promise.all([0, 1, 2, 3].map(register));
    for (const r of created) expect(r.status).toBe(201);
    const ids: string[] = created.map((r) => r.body.id);
    // One of them is cancelled first: it is not open any more, so it is not re-planned.
    const cancelled = await http('POST', `/v1/requests/${ids[3]}/cancel`, { body: { author: 'agent-1', reason: 'duplicate' } });
    expect(cancelled.status).toBe(200);

    const before = await db('support_requests').whereIn('id', ids).orderBy('id');
    expect(before.map((r) => [r.calendar_id, r.calendar_version_id])).toEqual(ids.map(() => [calendarId, '1']));
    const dueBefore = new Map(before.map((r) => [r.id, r.first_response_due_at as Date]));

    // A decree: today and tomorrow are holidays, from now on.
    const holidays = [today.toISODate()!, today.plus({ days: 1 }).toISODate()!];
    const body = { effectiveFrom: new Date().toISOString(), author: 'calendar-admin', addExceptions: { holidays } };
    const added = await http('POST', `/v1/calendars/${calendarId}/versions`, { body });
    expect(added.status).toBe(201);
    const versionId = added.body.version.id;
    expect(added.body.replan).toMatchObject({ requests: 3, replanned: 3, alreadyFinished: 0, failed: 0, failures: [] });

    const after = await db('support_requests').whereIn('id', ids.slice(0, 3));
    const resumesAt = today.plus({ days: 2 }).toMillis();
    for (const row of after) {
      expect(row.calendar_version_id).toBe(versionId);
      const due = (row.first_response_due_at as Date).getTime();
      // The remaining working time now starts counting the day after tomorrow.
      expect(due).toBeGreaterThan(resumesAt);
      expect(due).toBeLessThanOrEqual(resumesAt + 4 * 3_600_000);
      expect(due).toBeGreaterThan(dueBefore.get(row.id)!.getTime());
      const events = await db('request_events').where({ request_id: row.id }).orderBy('seq');
      expect(events.at(-1)).toMatchObject({ type: 'deadlines_replanned', actor: 'calendar-admin', data: expect.objectContaining({ fromVersion: '1', toVersion: versionId }) });
    }
    const untouched = await db('support_requests').where({ id: ids[3] }).first();
    expect(untouched).toMatchObject({ state: 'cancelled', calendar_version_id: '1' });

    // The same POST again (e.g. a client retry after a timeout): same version, the same re-plan
    // workflow and its report; nothing is sent twice.
    const retried = await http('POST', `/v1/calendars/${calendarId}/versions`, { body, api: 1 });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ created: false, version: { id: versionId }, replan: { requests: 3, replanned: 3 } });
    const replannedEvents = await db('request_events').whereIn('request_id', ids).where({ type: 'deadlines_replanned' }).count({ n: '*' }).first();
    expect(Number(replannedEvents?.n)).toBe(3);

    // A large re-plan need not hold the HTTP request: Prefer: respond-async answers 202 at once
    // (the workflow runs on), and the progress is read from PostgreSQL by any API process.
    const later = await http('POST', `/v1/calendars/${calendarId}/versions`, {
      body: { effectiveFrom: new Date().toISOString(), author: 'calendar-admin', addExceptions: { holidays: [today.plus({ days: 2 }).toISODate()] } },
      headers: { prefer: 'respond-async' },
    });
    expect(later.status).toBe(202);
    expect(later.headers.get('preference-applied')).toBe('respond-async');
    const progressPath = later.body.replan.progress;
    expect(later.body.replan).toMatchObject({ status: 'running', versionId: later.body.version.id, progress: expect.stringMatching(/\/replan$/) });
    let progress = await http('GET', progressPath, { api: 1 });
    for (let i = 0; i < 200 && progress.body.replan?.status !== 'finished'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      progress = await http('GET', progressPath, { api: 1 });
    }
    expect(progress.body).toMatchObject({
      calendarId,
      versionId: later.body.version.id,
      openRequests: 3,
      onVersion: 3,
      pending: 0,
      replan: { status: 'finished', total: 3, done: 3, replanned: 3, failed: 0 },
    });
    // The board's list shows it among the recent re-plans, with the same counts and its calendar's zone.
    const recent = await http('GET', '/v1/calendar-replans', { api: 1 });
    expect(recent.status).toBe(200);
    expect(recent.body.items).toContainEqual(expect.objectContaining({ calendarId, versionId: later.body.version.id, status: 'finished', total: 3, done: 3, failed: 0, timezone: 'UTC' }));
    const moved = await db('support_requests').whereIn('id', ids.slice(0, 3)).pluck('calendar_version_id');
    expect(moved).toEqual([later.body.version.id, later.body.version.id, later.body.version.id]);
    expect((await http('GET', `/v1/calendars/${calendarId}/versions/nope/replan`)).status).toBe(404);
  });
});
