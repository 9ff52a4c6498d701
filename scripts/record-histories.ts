// `npx tsx scripts/record-histories.ts <prefix>`: runs request scenarios on the real dev server
// and worker, and writes each workflow's event history to test/workflow/histories/<prefix>-*.json.
// Record a new prefix after a workflow change, and keep the old ones: The
// replay test replays them on every CI run, so a change to workflow code that would break
// running requests fails there (wrap such a change in `patched()`), and re-record only for
// changes that no running request can observe.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createKnex } from '../db/knex';
import { findRequest } from '../db/queries/requests';
import { freePort } from '../infra/node-services';
import { startLocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { startWebhookReceiver } from '../test/e2e/fixtures/webhook-receiver';
import { requestWorkflowId } from '../domain/request/workflow-id';
import { respondUpdate } from '../workflows/messages';
import { alwaysOnContract } from '../test/e2e/fixtures/always-on-contract';
import { HISTORIES_DIR, saveHistory } from './recording';
import type { supportRequest } from '../workflows/support-request';

const SECRET = 'record-histories-webhook-secret-0123';
const ADMIN_KEY = 'record-histories-admin-key-0123456789abcdefghijklmnop';
const TASK_QUEUE = 'record-support-requests';
const PREFIX = process.argv[2];
const PREFIX_NUMBER = Number(PREFIX?.slice(1));

async function main(): Promise<void> {
  if (!PREFIX || !/^v\d+$/.test(PREFIX)) throw new Error('usage: npx tsx scripts/record-histories.ts v<N> (the workflow code version being recorded)');
  const receiver = await startWebhookReceiver(SECRET);
  const dataDir = path.resolve(__dirname, '..', 'data', 'record-histories');
  await rm(dataDir, { recursive: true, force: true });
  const stack = await startLocalStack({
    dataDir,
    namespace: 'default',
    taskQueue: TASK_QUEUE,
    apiPorts: [await freePort()],
    workers: 1,
    prebundle: true,
    extraEnv: { LOG_LEVEL: 'warn', WEBHOOK_SIGNING_SECRET: SECRET, WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true', ADMIN_API_KEY: ADMIN_KEY },
    log: (l) => console.log(l),
  });
  const db = createKnex(stack.databaseUrl, { max: 2 });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const http = stackApi(stack);
  const api = (method: string, url: string, body?: unknown) => http.call<{ id: string }>(method, url, [200, 201], body);
  const save = (name: string, workflowId: string, runId?: string) => saveHistory(stack.temporalAddress, `${PREFIX}-${name}`, workflowId, runId);
  const request = (ref: string, extra: Record<string, unknown> = {}) =>
    api('POST', '/v1/requests', { subject: `recorded ${ref}`, customerId: 'fresh', productId: 'kompas', channel: 'supplier-email', category: 'defect-report', externalRef: ref, ...extra });
  const act = (id: string, action: string, body: unknown) => api('POST', `/v1/requests/${id}/${action}`, body);
  const workflowIdOf = requestWorkflowId;

  try {
    await mkdir(HISTORIES_DIR, { recursive: true });
    await db('notification_recipients').insert([
      { id: 'lead', name: 'Team lead', roles: ['team-lead'], webhook_url: receiver.url('/lead') },
      { id: 'duty', name: 'Duty agent', roles: ['duty-agent'], webhook_url: receiver.url('/duty') },
    ]);
    await api('POST', '/v1/products', { id: 'kompas', name: 'KOMPAS-3D', kind: 'commercial' });
    await api('POST', '/v1/customers', { id: 'fresh', name: 'Bought today' });
    await api('POST', '/v1/customers/fresh/licenses', { id: 'L1', productId: 'kompas', purchasedOn: new Date().toISOString().slice(0, 10) });
    await api('POST', '/v1/customers', { id: 'fast', name: 'Fast contract' });
    await api('POST', '/v1/contracts', alwaysOnContract('C-fast', 'fast', 10 / 3600, 1));

    // Day-one terms (v5 on): a next-reply target and a third party that pauses resolution.
    await api('POST', '/v1/customers', { id: 'dayone', name: 'Day-one terms' });
    await api('POST', '/v1/contracts', alwaysOnContract('C-dayone', 'dayone', 1, 40, {
      nextReply: { workingHours: 10 / 3600 },
      pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: ['resolution'] },
    }));

    // 1. The whole agent lifecycle on the supplier calendar.
    const a = await request('rec-lifecycle');
    await act(a.id, 'responses', { visibility: 'internal', author: 'agent-1', body: 'looking' });
    await act(a.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'send the log' });
    await act(a.id, 'assignment', { author: 'lead', agent: 'agent-1', group: 'cad' });
    await act(a.id, 'wait-on-customer', { author: 'agent-1' });
    await act(a.id, 'customer-replies', { author: 'ivan', body: 'log attached' });
    await act(a.id, 'resolve', { author: 'agent-1', summary: 'fixed' });
    await act(a.id, 'reopen', { author: 'ivan', note: 'still broken' });
    await act(a.id, 'resolve', { author: 'agent-1', summary: 'fixed again' });
    await act(a.id, 'close', { author: 'agent-1' });
    await save('lifecycle', workflowIdOf(a.id));

    // 2. Warnings, breach, escalation and webhook deliveries on a 10-second 24x7 target.
    const b = await request('rec-breach', { customerId: 'fast', productId: 'kompas' });
    await new Promise((r) => setTimeout(r, 15_000));
    await act(b.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'late, sorry' });
    await save('breach-escalation', workflowIdOf(b.id));

    // 3. Cancelled: the workflow completes.
    const c = await request('rec-cancel');
    await act(c.id, 'cancel', { author: 'agent-2', reason: 'duplicate' });
    await client.workflow.getHandle(workflowIdOf(c.id)).result();
    await save('cancelled', workflowIdOf(c.id));

    // 4. A calendar edit re-plans a running request (a closure added to the supplier calendar).
    const d = await request('rec-replan');
    const effectiveFrom = new Date(Date.now() + 60_000).toISOString();
    const closureDay = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    await api('POST', '/v1/calendars/supplier/versions', { effectiveFrom, author: 'ops', addExceptions: { holidays: [closureDay] } });
    await save('replan', workflowIdOf(d.id));

    // 6. Day-one rules: received two hours ago (first response breached at once), a next-reply
    //    round that breaches, waiting on a third party and on the customer.
    if (PREFIX_NUMBER >= 5) {
      const e = await request('rec-dayone', { customerId: 'dayone', receivedAt: new Date(Date.now() - 2 * 3_600_000).toISOString() });
      await act(e.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'looking' });
      await act(e.id, 'customer-replies', { author: 'ivan', body: 'any news?' });
      await new Promise((r) => setTimeout(r, 15_000));
      await act(e.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'handed to the developers' });
      await act(e.id, 'wait-on-third-party', { author: 'agent-1', party: 'developers' });
      await act(e.id, 'resume', { author: 'agent-1' });
      await act(e.id, 'wait-on-customer', { author: 'agent-1' });
      await act(e.id, 'customer-replies', { author: 'ivan', body: 'log attached' });
      await act(e.id, 'resolve', { author: 'agent-1', summary: 'fixed' });
      await save('dayone', workflowIdOf(e.id));
    }

    // 7. Deliveries that fail first (v6 on): the first attempt is a local activity; after it the
    //    scheduled activity retries with backoff until the receiver takes them.
    if (PREFIX_NUMBER >= 6) {
      receiver.failNext(3, 503);
      const f = await request('rec-delivery-retry', { customerId: 'fast', productId: 'kompas' });
      await new Promise((r) => setTimeout(r, 30_000));
      await act(f.id, 'responses', { visibility: 'public', author: 'agent-1', body: 'late, sorry' });
      await save('delivery-retry', workflowIdOf(f.id));
    }

    // 5. Continue-as-new carrying the request, with a tiny history limit.
    const policy = (await findRequest(db, a.id))!.policy;
    const handle = await client.workflow.start<typeof supportRequest>('supportRequest', {
      taskQueue: TASK_QUEUE,
      workflowId: 'support-request-SR-RECORDEDCONTINUEASNEW0000',
      args: [{ requestId: 'SR-RECORDEDCONTINUEASNEW0000', requestKey: 'record:can', registration: { subject: 'recorded continue-as-new' }, policy, options: { historyEventLimit: 40 } }],
    });
    for (let i = 0; i < 8; i++) await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'internal', author: 'agent-1', body: `note ${i}` }] });
    await save('continue-as-new', handle.workflowId, handle.firstExecutionRunId);
    // One more action, answered by the new run from the carried state.
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'after continue-as-new' }] });
    await save('continue-as-new-next-run', handle.workflowId);
  } finally {
    await connection.close();
    await db.destroy();
    await stack.stop();
    await receiver.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
