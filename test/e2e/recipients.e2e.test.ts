// The notification directory over HTTP (issue 11, item 9): people and teams with roles, e-mail,
// webhook (https only), a quiet-hours calendar that must exist, an active flag; every write
// audited with the calling key; an agent's entry is what "assignee" resolves to.
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Knex } from 'knex';
import { createNotificationActivities } from '../../activities/notifications';
import { createKey, http, testDb, uniqueKey } from './helpers';

let db: Knex;
let ops: { id: string; key: string };
let admin2: { id: string; key: string };
const run = uniqueKey('dir');
const id = (label: string) => `${label}-${run}`;

beforeAll(async () => {
  db = testDb();
  ops = await createKey('operations');
  admin2 = await createKey('admin');
});
afterAll(async () => {
  await db.destroy();
});

describe('the notification directory', () => {
  test('create, replace, read, list and delete an entry, each change audited with the calling key', async () => {
    const lead = id('olga');
    const body = { name: 'Olga Smirnova', roles: ['team-lead', 'head-of-support'], email: 'olga@supplier.example', quietCalendarId: 'supplier' };
    const created = await http('PUT', `/v1/recipients/${lead}`, { key: ops.key, body });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/recipients/${lead}`);
    expect(created.body).toMatchObject({ id: lead, kind: 'person', active: true, webhookUrl: null, createdBy: { keyId: ops.id, role: 'operations' }, updatedBy: { keyId: ops.id } });

    const replaced = await http('PUT', `/v1/recipients/${lead}`, { key: admin2.key, body: { ...body, roles: ['team-lead'], active: false } });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ roles: ['team-lead'], active: false, createdBy: { keyId: ops.id }, updatedBy: { keyId: admin2.id, role: 'admin' } });
    expect((await http('GET', `/v1/recipients/${lead}`)).body).toEqual(replaced.body);

    const team = id('l2-team');
    expect((await http('PUT', `/v1/recipients/${team}`, { body: { name: 'Second line', kind: 'team', roles: ['team-lead'], webhookUrl: 'https://hooks.example/l2' } })).status).toBe(201);
    const leads = await http('GET', `/v1/recipients?role=team-lead&active=true&limit=500`);
    const ids = leads.body.items.map((e: { id: string }) => e.id);
    expect(ids).toContain(team);
    expect(ids).not.toContain(lead); // inactive

    expect((await http('DELETE', `/v1/recipients/${lead}`, { key: ops.key })).status).toBe(204);
    expect((await http('GET', `/v1/recipients/${lead}`)).status).toBe(404);
    expect((await http('DELETE', `/v1/recipients/${lead}`, { key: ops.key })).status).toBe(404);
    const changes = await http('GET', `/v1/recipients/${lead}/changes`);
    expect(changes.body.items.map((c: any) => [c.action, c.by.keyId, c.entry?.active ?? null])).toEqual([
      ['created', ops.id, true],
      ['replaced', admin2.id, false],
      ['deleted', ops.id, null],
    ]);
  });

  test.each([
    ['an http webhook', { webhookUrl: 'http://hooks.example/sla' }, 'webhookUrl', 'https_required'],
    ['a webhook that is no URL', { webhookUrl: 'hooks.example/sla' }, 'webhookUrl', 'url'],
    ['an unknown quiet-hours calendar', { email: 'a@example.test', quietCalendarId: 'no-such-calendar' }, 'quietCalendarId', 'unknown_reference'],
    ['neither e-mail nor webhook', {}, 'email', 'channel_required'],
    ['"assignee" as a role', { email: 'a@example.test', roles: ['assignee'] }, 'roles.0', 'request_bound_role'],
  ])('%s: 422 naming the field, nothing written', async (_what, extra, field, rule) => {
    const entryId = id(uniqueKey('bad'));
    const res = await http('PUT', `/v1/recipients/${entryId}`, { body: { name: 'Bad', ...extra } });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toContainEqual(expect.objectContaining({ field, rule }));
    expect((await http('GET', `/v1/recipients/${entryId}`)).status).toBe(404);
    expect((await http('GET', `/v1/recipients/${entryId}/changes`)).body.items).toEqual([]);
  });

  test('400 for a malformed body or id', async () => {
    expect((await http('PUT', `/v1/recipients/${id('x')}`, { body: { name: 'X', email: 'x@example.test', colour: 'red' } })).body.errors).toContainEqual(
      expect.objectContaining({ field: 'colour', rule: 'unrecognized_key' }),
    );
    const badId = await http('PUT', '/v1/recipients/a:b', { body: { name: 'X', email: 'x@example.test' } });
    expect(badId.status).toBe(400);
    expect(badId.body.errors).toContainEqual(expect.objectContaining({ field: 'path:recipientId' }));
  });

  test('a customer-scoped key may not read the directory', async () => {
    const customer = id('cust');
    expect((await http('POST', '/v1/customers', { body: { id: customer, name: 'Scoped Ltd' } })).status).toBe(201);
    const scoped = await createKey('operations', customer);
    expect((await http('GET', '/v1/recipients', { key: scoped.key })).status).toBe(403);
    expect((await http('PUT', `/v1/recipients/${id('s')}`, { key: scoped.key, body: { name: 'S', email: 's@example.test' } })).status).toBe(403);
  });

  test('an agent entry is what "assignee" resolves to when a notice is enqueued', async () => {
    const agent = id('agent-7');
    expect((await http('PUT', `/v1/recipients/${agent}`, { body: { name: 'Agent Seven', email: 'agent7@supplier.example' } })).status).toBe(201);
    // The workflow's enqueue activity: an assignee's notice carries the assigned agent id (domain/request/notices.ts).
    const acts = createNotificationActivities({
      db,
      webhook: { secret: undefined, timeoutMs: 1000, allowHttpLoopback: false },
      smtp: { url: undefined, from: 'SLA <sla@example.test>', timeoutMs: 1000 },
      leaseMs: 5000,
    });
    const key = `${uniqueKey('SR-dir')}:first_response:warning:0.75:0`;
    const rows = await new MockActivityEnvironment({ attempt: 1 }).run(acts.enqueueNotifications, [
      { idempotencyKey: key, kind: 'warning' as const, subject: 'SR: 75% used', body: '…', payload: {}, roles: [], recipientIds: [agent], recipients: [] },
    ]);
    expect(rows).toHaveLength(1);
    const outbox = await db('notification_outbox').where({ intent_key: key });
    expect(outbox.map((r) => [r.recipient_id, r.channel, r.destination])).toEqual([[agent, 'email', 'agent7@supplier.example']]);
  });
});
