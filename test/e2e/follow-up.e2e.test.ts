import type { Knex } from 'knex';
import { http, testDb, testTemporalClient, uniqueKey } from './helpers';

// A customer writing back after a closed request's reopen window: the reply registers a new
// request that follows the old one up (followUpOf), on the terms in force now, instead of a 409.
// The window is 14 days; the test ends the closed request's workflow the way the window's end
// does (it completes), by terminating it.
let db: Knex;
const run = uniqueKey('fu');
const ids = { product: `kompas-${run}`, office: `msk-${run}`, customer: `cust-${run}` };

beforeAll(async () => {
  db = testDb();
  expect((await http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  expect((await http('POST', '/v1/offices', { body: { id: ids.office, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: ids.customer, name: 'Licensed', officeId: ids.office } })).status).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  expect((await http('POST', `/v1/customers/${ids.customer}/licenses`, { body: { id: `L-${run}`, productId: ids.product, purchasedOn: today } })).status).toBe(201);
});
afterAll(async () => {
  await db.destroy();
});

async function closedRequest(): Promise<{ id: string; workflowId: string }> {
  const created = await http('POST', '/v1/requests', {
    body: { subject: 'Crash on export', customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('crm'), priority: 'high' },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect((await http('POST', `/v1/requests/${id}/resolve`, { body: { author: 'agent-1', summary: 'Fixed in 24.1' } })).status).toBe(200);
  expect((await http('POST', `/v1/requests/${id}/close`, { body: { author: 'agent-1' } })).status).toBe(200);
  const row = await db('support_requests').where({ id }).first();
  return { id, workflowId: row.workflow_id };
}

test('within the reopen window a customer reply reopens a closed request (the seed levels\u2019 term)', async () => {
  const { id } = await closedRequest();
  const res = await http('POST', `/v1/requests/${id}/customer-replies`, { body: { author: 'ivan@customer.example', body: 'Still crashes' } });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ id, state: 'in_progress', policy: { lifecycle: { replyAfterResolution: 'reopen' } } });
});

test('past the reopen window a customer reply registers a follow-up request linked to the old one; a retry finds the same one', async () => {
  const { id, workflowId } = await closedRequest();
  const { client, close } = await testTemporalClient();
  try {
    await client.workflow.getHandle(workflowId).terminate('e2e: the reopen window ended');
  } finally {
    await close();
  }
  const reply = { author: 'ivan@customer.example', body: 'The same crash is back after the update' };
  const res = await http('POST', `/v1/requests/${id}/customer-replies`, { body: reply });
  expect(res.status).toBe(201);
  expect(res.body.id).not.toBe(id);
  expect(res.headers.get('location')).toBe(`/v1/requests/${res.body.id}`);
  expect(res.body).toMatchObject({
    followUpOf: id,
    state: 'registered',
    subject: 'Re: Crash on export',
    description: reply.body,
    reporter: reply.author,
    customerId: ids.customer,
    priority: 'high',
    level: 'warranty',
  });
  const shown = await http('GET', `/v1/requests/${res.body.id}`);
  expect(shown.body.followUpOf).toBe(id);
  // The old request is untouched.
  expect((await http('GET', `/v1/requests/${id}`)).body.state).toBe('closed');

  const again = await http('POST', `/v1/requests/${id}/customer-replies`, { body: reply });
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(res.body.id);
  expect(await db('support_requests').where({ follow_up_of: id }).select('id')).toEqual([{ id: res.body.id }]);
});

test('a cancelled request stays final: a customer reply answers 409', async () => {
  const created = await http('POST', '/v1/requests', {
    body: { subject: 'Duplicate', customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('crm') },
  });
  expect((await http('POST', `/v1/requests/${created.body.id}/cancel`, { body: { author: 'a', reason: 'duplicate' } })).status).toBe(200);
  // Refused by the workflow's validator while it settles, or as finished once it completed: 409 either way.
  const res = await http('POST', `/v1/requests/${created.body.id}/customer-replies`, { body: { author: 'c', body: 'hello' } });
  expect(res.status).toBe(409);
  expect(await db('support_requests').where({ follow_up_of: created.body.id }).first()).toBeUndefined();
});
