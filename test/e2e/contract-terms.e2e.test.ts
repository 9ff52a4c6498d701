import { http, uniqueKey } from './helpers';
import { alwaysOnContract } from './fixtures/always-on-contract';

// A contract's lifecycle terms over HTTP: a next-reply target per priority, resolution paused
// while waiting on a third party, and a reply after resolution told to the assignee. The terms
// are pinned and shown in GET /v1/requests/:id.
const run = uniqueKey('ct');
const customerId = `cust-${run}`;
const lifecycle = {
  pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: ['resolution'] },
  nextReply: { byPriority: { critical: { workingHours: 1 }, high: { workingHours: 2 }, normal: { workingHours: 4 }, low: null } },
  replyAfterResolution: 'notify-assignee',
};

beforeAll(async () => {
  expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Contracted' } })).status).toBe(201);
  const contract = await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-${run}`, customerId, 1, 8, lifecycle) });
  expect(contract.status).toBe(201);
});

const act = (id: string, path: string, body: unknown) => http('POST', `/v1/requests/${id}/${path}`, { body });

test('contract terms: next-reply round after a customer reply, resolution paused on a third party, a "thank you" keeps it resolved', async () => {
  const created = await http('POST', '/v1/requests', { body: { subject: 'Export fails', customerId, channel: 'supplier-email', category: 'defect-report', priority: 'high', externalRef: uniqueKey('crm') } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ level: 'individual', policy: { lifecycle } });
  const id = created.body.id;
  expect((await act(id, 'assignment', { author: 'lead', agent: 'agent-7' })).status).toBe(200);
  expect((await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'Send the log please' })).status).toBe(200);

  const replied = await act(id, 'customer-replies', { author: 'ivan', body: 'Log attached' });
  expect(replied.status).toBe(200);
  expect(replied.body.clocks.map((c: { kind: string; status: string }) => [c.kind, c.status])).toEqual([
    ['first_response', 'met'],
    ['resolution', 'running'],
    ['next_reply', 'running'],
  ]);
  expect(replied.body.clocks[2]).toMatchObject({ targetHours: 2 });
  const answered = await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'Reproduced' });
  expect(answered.body.clocks[2].status).toBe('met');

  const waiting = await act(id, 'wait-on-third-party', { author: 'agent-7', party: 'developers' });
  expect(waiting.body.clocks[1].status).toBe('paused');
  expect((await act(id, 'resume', { author: 'agent-7' })).body.clocks[1].status).toBe('running');

  expect((await act(id, 'resolve', { author: 'agent-7', summary: 'Fixed in 24.1' })).body.state).toBe('resolved');
  const thanks = await act(id, 'customer-replies', { author: 'ivan', body: 'Thank you!' });
  expect(thanks.status).toBe(200);
  expect(thanks.body.state).toBe('resolved');
  expect(thanks.body.clocks[1].status).toBe('met');
  const events = await http('GET', `/v1/requests/${id}/events`);
  expect(events.body.items.at(-1)).toMatchObject({ type: 'customer_replied', data: { afterResolution: true } });
});
