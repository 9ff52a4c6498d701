import type { Knex } from 'knex';
import { findRequest } from '../../db/queries/requests';
import { requestIdentity } from '../../services/registration/identity';
import { createKey, http, testDb, testTemporalClient, uniqueKey } from './helpers';

// Agent and customer actions with an Idempotency-Key, over HTTP against the real stack (two API
// processes, two workers, the Temporal dev server, PostgreSQL): a retry is applied once.
let db: Knex;
const run = uniqueKey('idem');
const ids = { product: `kompas-${run}`, office: `msk-${run}`, customer: `acme-${run}` };
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  db = testDb();
  for (const r of await Promise.all([
    http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } }),
    http('POST', '/v1/offices', { body: { id: ids.office, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' } }),
  ])) {
    expect(r.status).toBe(201);
  }
  expect((await http('POST', '/v1/customers', { body: { id: ids.customer, name: 'ACME', officeId: ids.office } })).status).toBe(201);
  expect((await http('POST', `/v1/customers/${ids.customer}/licenses`, { body: { id: `L-${run}`, productId: ids.product, purchasedOn: today } })).status).toBe(201);
});
afterAll(async () => {
  await db.destroy();
});

async function register(label: string): Promise<string> {
  const res = await http('POST', '/v1/requests', {
    body: { subject: `Crash ${label}`, customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey(label) },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

const act = (id: string, action: string, body: unknown, opts: { key?: string; api?: number; apiKey?: string } = {}) =>
  http('POST', `/v1/requests/${id}/${action}`, { body, api: opts.api ?? 0, ...(opts.apiKey && { key: opts.apiKey }), headers: opts.key === undefined ? {} : { 'idempotency-key': opts.key } });

const eventsOf = async (id: string, type: string) => (await db('request_events').where({ request_id: id, type })).length;

test('a retried reply, on the other API process, is recorded once and answers like the first', async () => {
  const id = await register('retry');
  const key = uniqueKey('reply');
  const reply = { visibility: 'public', author: 'agent-7', body: 'Please send the log' };
  const first = await act(id, 'responses', reply, { key, api: 0 });
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ id, state: 'in_progress' });

  const retry = await act(id, 'responses', reply, { key, api: 1 });
  expect(retry.status).toBe(200);
  expect(retry.body).toMatchObject({ id, state: 'in_progress', revision: first.body.revision });
  expect(await eventsOf(id, 'replied')).toBe(1);

  // Without a key each POST is a new reply (the test above would see a second event).
  await act(id, 'responses', reply);
  expect(await eventsOf(id, 'replied')).toBe(2);
});

test('concurrent duplicates across both API processes record one event', async () => {
  const id = await register('concurrent');
  const key = uniqueKey('note');
  const note = { visibility: 'internal', author: 'agent-7', body: 'checked the dump' };
  const answers = await Promise.all([0, 1, 0, 1, 0, 1].map((api) => act(id, 'responses', note, { key, api })));
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
  expect(await eventsOf(id, 'internal_note')).toBe(1);
  expect(await db('request_action_keys').where({ request_id: id })).toEqual([expect.objectContaining({ idempotency_key: key, action: 'responses', outcome: 'applied', answer_status: 200 })]);
});

test('the same key with another body or another action is refused with 422 naming the differing fields, and nothing is recorded', async () => {
  const id = await register('reuse');
  const key = uniqueKey('reuse');
  expect((await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'first text' }, { key })).status).toBe(200);

  const otherBody = await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'second text' }, { key, api: 1 });
  expect(otherBody.status).toBe(422);
  expect(otherBody.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(otherBody.body).toMatchObject({ rule: 'idempotency-key-reused', requestId: id, differingFields: ['body'] });
  expect(otherBody.body.errors.map((e: { field: string }) => e.field)).toEqual(['header:idempotency-key', 'body']);

  const otherAction = await act(id, 'wait-on-customer', { author: 'agent-7' }, { key });
  expect(otherAction.status).toBe(422);
  expect(otherAction.body).toMatchObject({ rule: 'idempotency-key-reused', action: 'responses', differingFields: ['action', 'body', 'visibility'] });
  expect(await eventsOf(id, 'replied')).toBe(1);
  expect(await eventsOf(id, 'waiting_on_customer')).toBe(0);
});

test('keys are the caller\'s own: another API key with the same key acts anew', async () => {
  const id = await register('scope');
  const key = uniqueKey('shared');
  const agent = await createKey('agent');
  const note = { visibility: 'internal', author: 'agent-7', body: 'same words' };
  expect((await act(id, 'responses', note, { key })).status).toBe(200);
  expect((await act(id, 'responses', note, { key, apiKey: agent.key })).status).toBe(200);
  expect(await eventsOf(id, 'internal_note')).toBe(2);
});

test('a malformed key is a 400 naming the header, before anything is sent', async () => {
  const id = await register('badkey');
  const res = await act(id, 'responses', { visibility: 'public', author: 'a', body: 'x' }, { key: 'k'.repeat(201) });
  expect(res.status).toBe(400);
  expect(res.body.errors[0]).toMatchObject({ field: 'header:idempotency-key' });
  expect(await eventsOf(id, 'replied')).toBe(0);
});

test('a key whose first attempt was refused (409) is refused the same way after the state changed, not applied', async () => {
  const id = await register('refused');
  const key = uniqueKey('close');
  const close = { author: 'agent-7', note: 'done' };
  const refused = await act(id, 'close', close, { key });
  expect(refused.status).toBe(409);
  expect((await act(id, 'resolve', { author: 'agent-7', summary: 'fixed in 24.1' })).status).toBe(200);

  // Closing is now allowed, but this key stands for the refused attempt.
  const retry = await act(id, 'close', close, { key, api: 1 });
  expect(retry.status).toBe(409);
  expect({ ...retry.body, instance: undefined, requestId: undefined }).toEqual({ ...refused.body, instance: undefined, requestId: undefined });
  expect(await eventsOf(id, 'closed')).toBe(0);
  // A new key closes it.
  expect((await act(id, 'close', close, { key: uniqueKey('close') })).status).toBe(200);
  expect(await eventsOf(id, 'closed')).toBe(1);
});

test('a retry whose first attempt died before its outcome was stored is not applied again: in the same run (Temporal dedupes the Update ID) and after continue-as-new', async () => {
  // A request whose workflow continues as new after a few dozen events (the product's limit is
  // thousands), started directly with the pinned policy of a registered request.
  const model = (await findRequest(db, await register('can-model')))!;
  const identity = requestIdentity('e2e-idem-can', run);
  const id = identity.requestId;
  const { client, close } = await testTemporalClient();
  try {
    await client.workflow.start('supportRequest', {
      workflowId: identity.workflowId,
      taskQueue: process.env.E2E_TASK_QUEUE!,
      args: [
        {
          requestId: id,
          requestKey: identity.requestKey,
          registration: { subject: `CAN ${run}`, customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report' },
          policy: model.policy,
          options: { historyEventLimit: 40 },
        },
      ],
    });
    const firstRun = (await client.workflow.getHandle(identity.workflowId).describe()).runId;
    const key = uniqueKey('lost');
    const note = { visibility: 'internal', author: 'agent-7', body: 'the answer to this one is lost' };
    let first = await act(id, 'responses', note, { key });
    for (let i = 0; first.status === 404 && i < 100; i++) {
      // The row appears once the first run has persisted the registration.
      await new Promise((resolve) => setTimeout(resolve, 100));
      first = await act(id, 'responses', note, { key });
    }
    expect(first.status).toBe(200);
    const forget = () => db('request_action_keys').where({ request_id: id, idempotency_key: key }).update({ outcome: null, answer_status: null, answer_request_id: null, decided_at: null });

    // Its API process died after the Update ran, before it stored the outcome: Temporal answers the same Update.
    await forget();
    expect((await act(id, 'responses', note, { key, api: 1 })).status).toBe(200);
    expect(await eventsOf(id, 'internal_note')).toBe(1);

    // More actions until the workflow has continued as new; the Update ID is unknown to the new run.
    for (let i = 0; i < 40 && (await client.workflow.getHandle(identity.workflowId).describe()).runId === firstRun; i++) {
      expect((await act(id, 'assignment', { author: 'lead', agent: `agent-${i % 2}` })).status).toBe(200);
    }
    expect((await client.workflow.getHandle(identity.workflowId).describe()).runId).not.toBe(firstRun);
    await forget();
    const retry = await act(id, 'responses', note, { key });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ id });
    expect(await eventsOf(id, 'internal_note')).toBe(1);
    expect(await db('request_action_keys').where({ request_id: id, idempotency_key: key }).first()).toMatchObject({ outcome: 'applied' });
    await act(id, 'cancel', { author: 'agent', reason: 'withdrawn' });
  } finally {
    await close();
  }
});
