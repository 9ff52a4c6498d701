import type { Knex } from 'knex';
import { http, testDb, testTemporalClient, uniqueKey } from './helpers';

let db: Knex;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db.destroy();
});

describe('the product end to end (2 API processes, 2 workers, dev server, PostgreSQL)', () => {
  test('readiness reports the database, Temporal and polling workers', async () => {
    const res = await http('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.components).toEqual({
      database: expect.objectContaining({ status: 'up' }),
      temporal: expect.objectContaining({ status: 'up' }),
      worker: expect.objectContaining({ status: 'up', detail: expect.stringMatching(/poller/) }),
    });
  });

  test('a registered request is written once, even when the POST is retried on another API process', async () => {
    const externalRef = uniqueKey('crm');
    const body = { subject: 'Cannot install the viewer', externalRef, reporter: 'ivan@example.com' };
    const first = await http('POST', '/v1/requests', { body, api: 0 });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: expect.stringMatching(/^SR-/), state: 'registered', subject: body.subject });
    const [clock] = first.body.clocks;
    expect(clock).toMatchObject({ kind: 'first_response', status: 'running', targetHours: 8, metAt: null });

    const retried = await http('POST', '/v1/requests', { body, api: 1 });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(first.body.id);

    const rows = await db('support_requests').where({ external_ref: externalRef });
    expect(rows).toHaveLength(1);
    const events = await db('request_events').where({ request_id: first.body.id });
    expect(events.map((e) => e.type)).toEqual(['registered']);

    const { client, close } = await testTemporalClient();
    try {
      const desc = await client.workflow.getHandle(rows[0].workflow_id).describe();
      expect(desc.status.name).toBe('RUNNING');
      // Exactly one run for this workflow id: the retry joined the running one.
      const history = await client.workflow.getHandle(rows[0].workflow_id).fetchHistory();
      expect(history.events?.filter((e) => e.workflowExecutionStartedEventAttributes)).toHaveLength(1);
    } finally {
      await close();
    }
  });

  test('the Idempotency-Key header identifies a registration too', async () => {
    const key = uniqueKey('idem');
    const a = await http('POST', '/v1/requests', { body: { subject: 'License question' }, headers: { 'idempotency-key': key } });
    const b = await http('POST', '/v1/requests', { body: { subject: 'License question' }, headers: { 'idempotency-key': key }, api: 1 });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
  });

  test('an internal note is not a first response; a public reply meets the first-response clock', async () => {
    const created = await http('POST', '/v1/requests', { body: { subject: 'Crash on export', externalRef: uniqueKey('crm') } });
    const id = created.body.id;

    const note = await http('POST', `/v1/requests/${id}/responses`, { body: { visibility: 'internal', author: 'agent-1', body: 'looking' }, api: 1 });
    expect(note.status).toBe(200);
    expect(note.body.state).toBe('registered');
    expect(note.body.clocks[0].status).toBe('running');

    const reply = await http('POST', `/v1/requests/${id}/responses`, { body: { visibility: 'public', author: 'agent-1', body: 'Please send the log' } });
    expect(reply.status).toBe(200);
    expect(reply.body.state).toBe('in_progress');
    expect(reply.body.clocks[0]).toMatchObject({ status: 'met', breachedAt: null });
    expect(reply.body.clocks[0].metAt).not.toBeNull();

    const read = await http('GET', `/v1/requests/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ state: 'in_progress', clocks: [expect.objectContaining({ status: 'met' })] });
    const events = await db('request_events').where({ request_id: id }).orderBy('seq');
    expect(events.map((e) => e.type)).toEqual(['registered', 'internal_note', 'replied']);
  });

  test('malformed input gets a 400 naming the field, and writes nothing', async () => {
    const before = await db('support_requests').count({ n: '*' }).first();
    const cases = [
      { body: { subject: '', externalRef: 'x' }, field: 'subject' },
      { body: { subject: 'ok' }, field: 'externalRef' },
      { body: { subject: 'ok', externalRef: 'x', colour: 'red' }, field: 'colour' },
      { body: { subject: 42, externalRef: 'x' }, field: 'subject' },
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
    const wrongType = await http('POST', '/v1/requests', { rawBody: 'subject=x', headers: { 'content-type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    const badId = await http('GET', '/v1/requests/not-an-id');
    expect(badId.status).toBe(400);
    const missing = await http('GET', '/v1/requests/SR-00000000000000000000000000');
    expect(missing.status).toBe(404);
    const after = await db('support_requests').count({ n: '*' }).first();
    expect(after).toEqual(before);
  });
});
