import { http, uniqueKey } from './helpers';

// Waiting on a third party over HTTP: the pinned pause terms are shown, the seed terms pause
// nothing for a third party, resume brings the request back; illegal moves answer 409.
const run = uniqueKey('tp');
const ids = { product: `kompas-${run}`, office: `msk-${run}`, customer: `cust-${run}` };

beforeAll(async () => {
  expect((await http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  expect((await http('POST', '/v1/offices', { body: { id: ids.office, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: ids.customer, name: 'Licensed', officeId: ids.office } })).status).toBe(201);
  const today = new Date().toISOString().slice(0, 10);
  expect((await http('POST', `/v1/customers/${ids.customer}/licenses`, { body: { id: `L-${run}`, productId: ids.product, purchasedOn: today } })).status).toBe(201);
});

test('handed to the developers and back: seed terms pause nothing, the terms are shown, illegal moves are 409', async () => {
  const created = await http('POST', '/v1/requests', {
    body: { subject: 'Crash on export', customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('crm') },
  });
  expect(created.status).toBe(201);
  const id = created.body.id;
  expect(created.body.policy.lifecycle).toEqual({ pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: [] }, replyAfterResolution: 'reopen' });
  const early = await http('POST', `/v1/requests/${id}/wait-on-third-party`, { body: { author: 'agent-1', party: 'developers' } });
  expect(early.status).toBe(409);
  expect(early.body.detail).toMatch(/reply to the customer first/);

  expect((await http('POST', `/v1/requests/${id}/responses`, { body: { visibility: 'public', author: 'agent-1', body: 'Reproduced' } })).status).toBe(200);
  const waiting = await http('POST', `/v1/requests/${id}/wait-on-third-party`, { body: { author: 'agent-1', party: 'developers', note: 'DEV-4411' } });
  expect(waiting.status).toBe(200);
  expect(waiting.body.state).toBe('waiting_on_third_party');
  expect(waiting.body.clocks[1].status).toBe('running');
  const listed = await http('GET', `/v1/requests?state=waiting_on_third_party&customerId=${ids.customer}`);
  expect(listed.body.items.map((i: { id: string }) => i.id)).toEqual([id]);

  const resumed = await http('POST', `/v1/requests/${id}/resume`, { body: { author: 'agent-1', note: 'fixed in the nightly build' } });
  expect(resumed.status).toBe(200);
  expect(resumed.body.state).toBe('in_progress');
  expect((await http('POST', `/v1/requests/${id}/resume`, { body: { author: 'agent-1' } })).status).toBe(409);
  const bad = await http('POST', `/v1/requests/${id}/wait-on-third-party`, { body: { author: 'agent-1', party: '   ' } });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].field).toBe('party');
});
