import type { Knex } from 'knex';
import { createTicketActivities } from '../../activities/ticket-store';
import { findRequest } from '../../db/queries/requests';
import { createRequestWriteActivities } from '../../activities/request-writes';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { snapshotQuery } from '../../workflows/messages';
import { moscowDate, nthWorkingDayAfter } from '../support/production-calendar-oracle';
import { http, testDb, testTemporalClient, uniqueKey } from './helpers';
import { oneSlotQuotaContract } from './fixtures/always-on-contract';

// The product end to end: 2 API processes, 2 workers, the Temporal dev server, PostgreSQL.
let db: Knex;
const run = uniqueKey('lc');
const ids = { product: `kompas-${run}`, office: `msk-${run}`, warranty: `fresh-${run}`, nothing: `anon-${run}` };
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  db = testDb();
  const setup = [
    http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } }),
    http('POST', '/v1/offices', { body: { id: ids.office, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' } }),
  ];
  for (const r of await Promise.all(setup)) expect(r.status).toBe(201);
  for (const body of [{ id: ids.warranty, name: 'Bought today', officeId: ids.office }, { id: ids.nothing, name: 'No licence', officeId: ids.office }]) {
    expect((await http('POST', '/v1/customers', { body })).status).toBe(201);
  }
  const licence = await http('POST', `/v1/customers/${ids.warranty}/licenses`, { body: { id: `L-${run}`, productId: ids.product, purchasedOn: today } });
  expect(licence.status).toBe(201);
});
afterAll(async () => {
  await db.destroy();
});

const warrantyRequest = (externalRef: string, extra: Record<string, unknown> = {}) => ({
  subject: 'Crash on export to STEP',
  customerId: ids.warranty,
  productId: ids.product,
  channel: 'supplier-email',
  category: 'defect-report',
  externalRef,
  reporter: 'ivan@customer.example',
  ...extra,
});

const act = (id: string, action: string, body: unknown, api = 0) => http('POST', `/v1/requests/${id}/${action}`, { body, api });

test('readiness reports the database, Temporal and polling workers', async () => {
  const res = await http('GET', '/readyz');
  expect(res.status).toBe(200);
  // Public: each component's status only (details go to the API log).
  expect(res.body.components).toEqual({ database: { status: 'up' }, temporal: { status: 'up' }, worker: { status: 'up' } });
});

test("the workers' workflow threads take no stack traces: the query says so, and the request works on (WORKER_WORKFLOW_STACK_TRACES)", async () => {
  const created = await http('POST', '/v1/requests', { body: warrantyRequest(uniqueKey('stack')) });
  expect(created.status).toBe(201);
  const { workflow_id: workflowId } = await db('support_requests').where({ id: created.body.id }).first();
  const { client, close } = await testTemporalClient();
  try {
    await expect(client.workflow.getHandle(workflowId).query('__stack_trace')).rejects.toThrow(/stack traces are not enabled/);
  } finally {
    await close();
  }
  expect((await act(created.body.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'on it' })).status).toBe(200);
});

test('a warranty request is admitted, pinned and written once, even when the POST is retried on another API process', async () => {
  const externalRef = uniqueKey('crm');
  const first = await http('POST', '/v1/requests', { body: warrantyRequest(externalRef), api: 0 });
  expect(first.status).toBe(201);
  expect(first.headers.get('location')).toBe(`/v1/requests/${first.body.id}`);
  expect(first.body).toMatchObject({ state: 'registered', level: 'warranty', policy: { calendar: { id: 'supplier', timezone: 'Europe/Moscow' }, targets: { firstResponseHours: 8, resolutionHours: 40 } } });
  expect(first.body.policy.reasons[0]).toMatch(/^warranty/);
  const [fr, res] = first.body.clocks;
  expect(fr).toMatchObject({ kind: 'first_response', status: 'running', targetHours: 8 });
  expect(res).toMatchObject({ kind: 'resolution', status: 'running', targetHours: 40 });
  // Instants carry the calendar's offset.
  expect(fr.dueAt).toMatch(/\+03:00$/);

  const retried = await http('POST', '/v1/requests', { body: warrantyRequest(externalRef), api: 1 });
  expect(retried.status).toBe(200);
  expect(retried.body.id).toBe(first.body.id);

  const rows = await db('support_requests').where({ external_ref: externalRef });
  expect(rows).toHaveLength(1);
  expect(rows[0]).toMatchObject({ level: 'warranty', calendar_id: 'supplier', state: 'registered' });
  expect((await findRequest(db, first.body.id))!.policy.targets.firstResponse!.workingMs).toBe(8 * 3_600_000);
  const events = await db('request_events').where({ request_id: first.body.id });
  expect(events.map((e) => e.type)).toEqual(['registered']);

  const { client, close } = await testTemporalClient();
  try {
    const history = await client.workflow.getHandle(rows[0].workflow_id).fetchHistory();
    expect(history.events?.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
  } finally {
    await close();
  }
});

test('the Idempotency-Key header identifies a registration too', async () => {
  const key = uniqueKey('idem');
  const body = { ...warrantyRequest(''), externalRef: undefined };
  const a = await http('POST', '/v1/requests', { body, headers: { 'idempotency-key': key } });
  const b = await http('POST', '/v1/requests', { body, headers: { 'idempotency-key': key }, api: 1 });
  expect(a.status).toBe(201);
  expect(b.status).toBe(200);
  expect(b.body.id).toBe(a.body.id);
});

test('a request admission refuses gets a 422 naming the rule and what is allowed, and writes nothing', async () => {
  const externalRef = uniqueKey('refused');
  const res = await http('POST', '/v1/requests', { body: warrantyRequest(externalRef, { channel: 'messenger' }) });
  expect(res.status).toBe(422);
  expect(res.body.rule).toEqual(expect.any(String));
  expect(res.body.allowed.length).toBeGreaterThan(0);
  expect(await db('support_requests').where({ external_ref: externalRef })).toHaveLength(0);
});

test('a licensed customer asking about a promotion is served on initial terms on the office calendar: not regulated', async () => {
  const res = await http('POST', '/v1/requests', {
    body: { subject: 'Any discounts?', customerId: ids.warranty, channel: 'office-phone', category: 'promotions-events', externalRef: uniqueKey('promo') },
  });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ level: 'initial', policy: { calendar: { id: 'office-moscow' }, officeId: ids.office, targets: { firstResponseHours: null, resolutionHours: null } } });
  expect(res.body.clocks.map((c: { status: string }) => c.status)).toEqual(['not_regulated', 'not_regulated']);
});

test('the agent lifecycle: note, reply, wait, customer reply, resolve, reopen, close; illegal actions get 409 with the state', async () => {
  const created = await http('POST', '/v1/requests', { body: warrantyRequest(uniqueKey('life')) });
  const id = created.body.id;

  const note = await act(id, 'responses', { visibility: 'internal', author: 'agent-1', body: 'looking' }, 1);
  expect(note.status).toBe(200);
  expect(note.body.state).toBe('registered');
  expect(note.body.clocks[0].status).toBe('running');

  const early = await act(id, 'wait-on-customer', { author: 'agent-1' });
  expect(early.status).toBe(409);
  expect(early.body).toMatchObject({ state: 'registered', detail: expect.stringMatching(/reply to the customer first/) });

  const reply = await act(id, 'responses', { visibility: 'public', author: 'agent-1', body: 'Please send the log' });
  expect(reply.body).toMatchObject({ state: 'in_progress', clocks: [expect.objectContaining({ status: 'met', breachedAt: null }), expect.objectContaining({ status: 'running' })] });

  const assigned = await act(id, 'assignment', { author: 'lead-1', agent: 'agent-1', group: 'cad' });
  expect(assigned.body.assignee).toEqual({ agent: 'agent-1', group: 'cad' });

  const waiting = await act(id, 'wait-on-customer', { author: 'agent-1', note: 'asked for the log' }, 1);
  expect(waiting.body.state).toBe('waiting_on_customer');
  expect(waiting.body.clocks[1]).toMatchObject({ status: 'paused', running: false, dueAt: null });

  const replied = await act(id, 'customer-replies', { author: 'ivan@customer.example', body: 'log attached' });
  expect(replied.body.state).toBe('in_progress');
  expect(replied.body.clocks[1]).toMatchObject({ status: 'running', pauses: [expect.objectContaining({ reason: 'waiting_on_customer' })] });

  const resolved = await act(id, 'resolve', { author: 'agent-1', summary: 'fixed in 22.1' });
  expect(resolved.body).toMatchObject({ state: 'resolved', clocks: [expect.objectContaining({ status: 'met' }), expect.objectContaining({ status: 'met' })] });
  // The end of the 5th supplier working day after the resolution day, from the production
  // calendar file: 18:00, or 17:00 on a short pre-holiday day.
  const closeDay = nthWorkingDayAfter(moscowDate(Date.parse(resolved.body.resolvedAt)), 5);
  expect(resolved.body.autoCloseAt).toBe(`${closeDay.date}T${closeDay.endsAt}:00+03:00`);

  const reopened = await act(id, 'reopen', { author: 'ivan@customer.example', note: 'still crashes' }, 1);
  expect(reopened.body).toMatchObject({ state: 'in_progress', clocks: [expect.anything(), expect.objectContaining({ status: 'running', reopenCount: 1 })] });

  await act(id, 'resolve', { author: 'agent-1', summary: 'really fixed' });
  const closed = await act(id, 'close', { author: 'agent-1' });
  expect(closed.body.state).toBe('closed');
  const resolveClosed = await act(id, 'resolve', { author: 'agent-1', summary: 'again?' });
  expect(resolveClosed.status).toBe(409);
  expect(resolveClosed.body.state).toBe('closed');

  const timeline = await http('GET', `/v1/requests/${id}/events`);
  expect(timeline.body.items.map((e: { type: string }) => e.type)).toEqual([
    'registered', 'internal_note', 'replied', 'assigned', 'waiting_on_customer', 'customer_replied', 'resolved', 'reopened', 'resolved', 'closed',
  ]);
  const row = await db('support_requests').where({ id }).first();
  expect(row).toMatchObject({ state: 'closed', reopen_count: 1, assignee: 'agent-1' });
});

test('a cancelled request is final: its workflow completes and further actions get 409', async () => {
  const created = await http('POST', '/v1/requests', { body: warrantyRequest(uniqueKey('cancel')) });
  const cancelled = await act(created.body.id, 'cancel', { author: 'agent-2', reason: 'duplicate' });
  expect(cancelled.body).toMatchObject({ state: 'cancelled', cancelReason: 'duplicate' });
  expect(cancelled.body.clocks.map((c: { status: string }) => c.status)).toEqual(['cancelled', 'cancelled']);
  const after = await act(created.body.id, 'responses', { visibility: 'public', author: 'agent-2', body: 'hello?' });
  expect(after.status).toBe(409);
  expect(after.body.state).toBe('cancelled');
});

test('malformed input gets a 400 naming the field, and writes nothing', async () => {
  const before = await db('support_requests').count({ n: '*' }).first();
  const cases = [
    { body: warrantyRequest('x', { subject: '' }), field: 'subject' },
    { body: { ...warrantyRequest('x'), externalRef: undefined }, field: 'externalRef' },
    { body: warrantyRequest('x', { colour: 'red' }), field: 'colour' },
    { body: warrantyRequest('x', { channel: undefined }), field: 'channel' },
    { body: warrantyRequest('x', { priority: 'urgent' }), field: 'priority' },
  ];
  for (const c of cases) {
    const res = await http('POST', '/v1/requests', { body: c.body });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(c.field);
  }
  const notJson = await http('POST', '/v1/requests', { rawBody: '{"subject":', headers: { 'content-type': 'application/json' } });
  expect(notJson.status).toBe(400);
  expect(notJson.body.errors[0]).toMatchObject({ field: 'body', rule: 'invalid_json' });
  expect((await http('POST', '/v1/requests', { rawBody: 'subject=x', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
  expect((await http('GET', '/v1/requests/not-an-id')).status).toBe(400);
  expect((await http('GET', '/v1/requests/SR-00000000000000000000000000')).status).toBe(404);
  const badAction = await act('SR-00000000000000000000000000', 'resolve', { author: 'a' });
  expect(badAction.status).toBe(400);
  expect(badAction.body.errors.map((e: { field: string }) => e.field)).toContain('summary');
  const after = await db('support_requests').count({ n: '*' }).first();
  expect(after).toEqual(before);
});

describe('registration pins the policy of each support level', () => {
  const c = { basic: `basic-${run}`, pilot: `pilot-${run}`, individual: `indiv-${run}`, anonymous: undefined };
  beforeAll(async () => {
    for (const id of [c.basic, c.pilot, c.individual]) expect((await http('POST', '/v1/customers', { body: { id, name: id, officeId: ids.office } })).status).toBe(201);
    // Bought years ago: basic only. A pilot running today: warranty terms. A paid contract: its own SLA.
    expect((await http('POST', `/v1/customers/${c.basic}/licenses`, { body: { id: `LB-${run}`, productId: ids.product, purchasedOn: '2020-02-03' } })).status).toBe(201);
    expect((await http('POST', `/v1/customers/${c.pilot}/pilots`, { body: { id: `P-${run}`, productIds: [ids.product], from: '2020-01-01', to: '2099-12-31' } })).status).toBe(201);
    const contract = await http('POST', '/v1/contracts', {
      body: {
        id: `C-${run}`,
        customerId: c.individual,
        counterparty: { kind: 'dealer', name: 'CAD Dealer' },
        from: '2020-01-01',
        to: '2099-12-31',
        sla: {
          calendarId: 'always-on',
          targets: { kind: 'single', firstResponse: { workingHours: 2 }, resolution: { workingHours: 12 } },
          channels: ['messenger', 'supplier-email'],
          services: ['defect-report', 'customisation'],
          dedicatedEngineer: { name: 'Olga Smirnova', email: 'olga@supplier.example' },
        },
      },
    });
    expect(contract.status).toBe(201);
  });

  test.each([
    ['initial', { officeId: ids.office, channel: 'support-site-form', category: 'demo' }, 'office-moscow', [null, null]],
    ['basic', { customerId: c.basic, productId: ids.product, channel: 'web-portal', category: 'install-uninstall' }, 'supplier', [16, null]],
    ['warranty', { customerId: ids.warranty, productId: ids.product, channel: 'supplier-phone', category: 'information-support' }, 'supplier', [8, 40]],
    ['pilot', { customerId: c.pilot, productId: ids.product, channel: 'supplier-email', category: 'defect-report' }, 'supplier', [8, 40]],
    ['individual', { customerId: c.individual, productId: ids.product, channel: 'messenger', category: 'customisation' }, 'always-on', [2, 12]],
  ])('%s', async (level, fields, calendarId, [firstResponseHours, resolutionHours]) => {
    const res = await http('POST', '/v1/requests', { body: { subject: `${level} request`, externalRef: uniqueKey(level), ...fields } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ level, policy: { calendar: { id: calendarId }, targets: { firstResponseHours, resolutionHours } } });
    expect(res.body.policy.reasons[0]).toMatch(new RegExp(`^${level}`));
    const row = await findRequest(db, res.body.id);
    expect(row!.policy).toMatchObject({ level, calendar: { id: calendarId }, calendarVersionId: expect.any(String) });
  });
});

test('a contract quota holds under concurrent registrations on both API processes: one slot, one request', async () => {
  const customerId = `quota-${run}`;
  expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Quota Ltd' } })).status).toBe(201);
  const contract = await http('POST', '/v1/contracts', { body: oneSlotQuotaContract(`CQ-${run}`, customerId) });
  expect(contract.status).toBe(201);
  const attempts = await Promise.all(
    [0, 1, 0, 1, 0, 1].map((api, i) =>
      http('POST', '/v1/requests', { api, body: { subject: `quota ${i}`, customerId, channel: 'messenger', category: 'customisation', externalRef: uniqueKey('quota') } }),
    ),
  );
  expect(attempts.map((a) => a.status).sort()).toEqual([201, 422, 422, 422, 422, 422]);
  for (const refused of attempts.filter((a) => a.status === 422)) expect(refused.body.rule).toBe('quota-exhausted');
  expect(await db('support_requests').where({ customer_id: customerId })).toHaveLength(1);
});

test('a stale projection write (an older revision arriving late, e.g. a retried activity) never overwrites a newer row', async () => {
  const created = await http('POST', '/v1/requests', { body: warrantyRequest(uniqueKey('stale')) });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const { workflow_id: workflowId } = await db('support_requests').where({ id }).first();
  const { client, close } = await testTemporalClient();
  try {
    const older: RequestSnapshot = await client.workflow.getHandle(workflowId).query(snapshotQuery);
    expect(older.state).toBe('registered');
    expect((await act(id, 'responses', { visibility: 'public', author: 'agent-1', body: 'Looking into it' })).status).toBe(200);
    const newer = await db('support_requests').where({ id }).first();
    expect(newer.revision).toBeGreaterThan(older.revision);
    expect(newer.state).toBe('in_progress');

    const tickets = createTicketActivities(db);
    await tickets.recordTicketUpdate({ workflowId, snapshot: older, events: [] });
    expect(await db('support_requests').where({ id }).first()).toMatchObject({ state: 'in_progress', revision: newer.revision });
    // An equal revision is no newer either.
    await tickets.recordTicketUpdate({ workflowId, snapshot: { ...older, revision: newer.revision }, events: [] });
    expect(await db('support_requests').where({ id }).first()).toMatchObject({ state: 'in_progress', revision: newer.revision });
    // (The same write with a newer revision does land: the checks above can see a write.)
    await tickets.recordTicketUpdate({ workflowId, snapshot: { ...older, revision: newer.revision + 100 }, events: [] });
    expect(await db('support_requests').where({ id }).first()).toMatchObject({ state: 'registered', revision: newer.revision + 100 });
  } finally {
    await close();
  }
});

test.each([
  ['with a notification (one transaction with its outbox row)', true],
  ['without notifications (one statement)', false],
])('a request write %s is all or nothing: its row, events and notifications land together, once, or not at all', async (_how, withNotice) => {
  const created = await http('POST', '/v1/requests', { body: warrantyRequest(uniqueKey('write')) });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const row = await db('support_requests').where({ id }).first();
  const { client, close } = await testTemporalClient();
  try {
    const snapshot: RequestSnapshot = await client.workflow.getHandle(row.workflow_id).query(snapshotQuery);
    const role = uniqueKey('write-role');
    await db('notification_recipients').insert({ id: uniqueKey('write-recipient'), name: 'Write test', roles: [role], webhook_url: 'https://hooks.example.net/write' });
    // An event's seq is the revision it brings the request to.
    const seq = snapshot.revision + 1;
    const event = { seq, type: 'internal_note' as const, atMs: Date.now(), actor: 'agent-1', data: { body: 'all or nothing' } };
    const notice = { idempotencyKey: `${id}:write-test`, requestId: id, kind: 'lifecycle' as const, roles: [role], subject: 'write test', body: 'write test', payload: { event: 'test' } };
    const writes = createRequestWriteActivities({ db, urlPolicy: { allowHttpLoopback: false } });
    const change = (baseRevision: number) => ({
      workflowId: row.workflow_id,
      projection: { changes: { requestId: id, baseRevision, revision: row.revision + 1, changes: { priority: 'high' as const } } },
      events: [event],
      notifications: withNotice ? [notice] : [],
    });

    // Based on a revision the row is not at (a write was lost): nothing lands, the caller writes it whole.
    expect(await writes.writeRequest(change(row.revision - 1))).toEqual({ applied: false, outbox: [] });
    expect(await db('request_events').where({ request_id: id, seq })).toHaveLength(0);
    expect(await db('notification_outbox').where({ intent_key: notice.idempotencyKey })).toHaveLength(0);

    // On the row's revision: row, event and outbox row together; a retry adds nothing.
    const first = await writes.writeRequest(change(row.revision));
    const retried = await writes.writeRequest(change(row.revision));
    expect(first).toEqual({ applied: true, outbox: withNotice ? [{ id: expect.any(Number), intentKey: notice.idempotencyKey }] : [] });
    expect(retried).toEqual(first);
    expect(await db('support_requests').where({ id }).first()).toMatchObject({ priority: 'high', revision: row.revision + 1 });
    expect(await db('request_events').where({ request_id: id, seq })).toMatchObject([{ type: 'internal_note', actor: 'agent-1', data: { body: 'all or nothing' } }]);
    expect(await db('notification_outbox').where({ intent_key: notice.idempotencyKey })).toHaveLength(withNotice ? 1 : 0);

    // Changes to a request that has no row at all: nothing lands (not even its events).
    const ghost = { ...change(0), projection: { changes: { requestId: `${id}-ghost`, baseRevision: 0, revision: 1, changes: { priority: 'high' as const } } } };
    expect(await writes.writeRequest(ghost)).toEqual({ applied: false, outbox: [] });
    expect(await db('request_events').where({ request_id: `${id}-ghost` })).toHaveLength(0);
  } finally {
    await close();
  }
});
