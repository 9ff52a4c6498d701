// Temporal's own UI and CLI: each request workflow carries the SLA search attributes, kept
// current, a readable summary, and summaries on its timers; and such a history replays.
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { Client } from '@temporalio/client';
import { SLA_SEARCH_ATTRIBUTES as SA } from '../../workflows/search-attributes';
import { alwaysOnContract } from './fixtures/always-on-contract';
import { http, testTemporalClient, uniqueKey } from './helpers';

// The replay below runs a worker in this process: keep its info logs out of the test output.
Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { forward: {}, filter: 'WARN' } } });

const run = uniqueKey('sa');
const ids = { product: `sa-prod-${run}`, customer: `sa-cust-${run}` };
let temporal: { client: Client; close: () => Promise<void> };

beforeAll(async () => {
  expect((await http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: ids.customer, name: 'Search Ltd' } })).status).toBe(201);
  expect((await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-${run}`, ids.customer, 2, 12) })).status).toBe(201);
  temporal = await testTemporalClient();
});
afterAll(async () => {
  await temporal?.close();
});

/** Workflow ids the visibility query finds, polled until `want` holds (visibility is eventually consistent). */
async function listUntil(query: string, want: (ids: string[]) => boolean): Promise<string[]> {
  for (let i = 0; ; i++) {
    const found: string[] = [];
    for await (const wf of temporal.client.workflow.list({ query })) found.push(wf.workflowId);
    if (want(found) || i > 100) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a request workflow is found by customer, level, state, breached, assignee and next due instant, and carries readable summaries', async () => {
  const res = await http('POST', '/v1/requests', {
    body: { subject: 'Crash on export', customerId: ids.customer, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('ext') },
  });
  expect(res.status).toBe(201);
  const id: string = res.body.id;
  const workflowId = `support-request-${id}`;
  const base = `SlaCustomer = "${ids.customer}" AND SlaLevel = "individual"`;
  expect(await listUntil(`${base} AND SlaState = "registered" AND SlaBreached = false`, (f) => f.includes(workflowId))).toEqual([workflowId]);

  const handle = temporal.client.workflow.getHandle(workflowId);
  const described = await handle.describe();
  expect(await described.staticSummary()).toBe(`${id}: Crash on export (individual)`);
  const due = described.typedSearchAttributes.get(SA.nextDue);
  expect(due?.toISOString()).toBe(new Date(res.body.clocks[0].dueAt).toISOString());

  expect((await http('POST', `/v1/requests/${id}/assignment`, { body: { author: 'lead', agent: 'agent-7' } })).status).toBe(200);
  expect(await listUntil(`${base} AND SlaAssignee = "agent-7"`, (f) => f.includes(workflowId))).toEqual([workflowId]);
  expect((await http('POST', `/v1/requests/${id}/responses`, { body: { visibility: 'public', author: 'agent-7', body: 'On it' } })).status).toBe(200);
  expect(await listUntil(`${base} AND SlaState = "in_progress"`, (f) => f.includes(workflowId))).toEqual([workflowId]);

  // Timers say what they wait for; and the history (patched, with upserts) replays on today's code.
  const history = await handle.fetchHistory();
  const summaries: string[] = [];
  for (const e of history.events ?? []) {
    const data = e.userMetadata?.summary?.data;
    if (e.timerStartedEventAttributes && data) summaries.push(JSON.parse(Buffer.from(data).toString('utf8')));
  }
  expect(summaries).toEqual(expect.arrayContaining([`${id}: first response warning`, `${id}: resolution warning`]));
  // Registered with its attributes from the start: the first SLA upsert is the assignment's, and it carries only the assignee.
  const upserts = (history.events ?? []).flatMap((e) => {
    const fields = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    return fields ? [Object.keys(fields)] : [];
  });
  expect(upserts.filter((keys) => keys.some((k) => k.startsWith('Sla')))[0]).toEqual(['SlaAssignee']);
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), replayName: 'search-attributes' }, history, workflowId);
});
