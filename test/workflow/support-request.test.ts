// The request workflow on the time-skipping server: hours of skipped time fire the
// first-response timer; a public response before it prevents the breach.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { TicketUpdate } from '../../activities/ticket-store';
import type { Activities } from '../../worker/activities';
import { respondUpdate, snapshotQuery } from '../../workflows/messages';
import { supportRequest } from '../../workflows/support-request';
import { createTestEnv } from './test-env';

const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

/** Records what the workflow writes, instead of PostgreSQL. */
function recordingActivities() {
  const updates: TicketUpdate[] = [];
  const activities: Activities = {
    async recordTicketUpdate(update) {
      updates.push(update);
    },
  };
  return { updates, activities, events: () => updates.flatMap((u) => u.events.map((e) => e.type)) };
}

async function withWorker<T>(activities: Activities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('../../workflows'),
    activities,
  });
  return worker.runUntil(fn(taskQueue));
}

const input = (requestId: string) => ({
  requestId,
  requestKey: `test:${requestId}`,
  registration: { subject: 'Cannot activate license' },
  firstResponseTargetMs: 8 * HOUR,
});

test('the first-response timer fires after 8 hours without a response and records the breach', async () => {
  const rec = recordingActivities();
  await withWorker(rec.activities, async (taskQueue) => {
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input('SR-1')] });
    const startedAt = await env.currentTimeMs();
    await env.sleep(7 * HOUR);
    expect((await handle.query(snapshotQuery)).clocks[0]!.status).toBe('running');
    await env.sleep(1 * HOUR + 60_000);
    const s = await handle.query(snapshotQuery);
    expect(s.clocks[0]).toMatchObject({ status: 'breached', dueAtMs: s.registeredAtMs + 8 * HOUR });
    expect(s.clocks[0]!.breachedAtMs! - s.registeredAtMs).toBe(8 * HOUR);
    const breach = rec.updates.flatMap((u) => u.events).find((e) => e.type === 'first_response_breached')!;
    expect(breach.atMs - s.clocks[0]!.dueAtMs!).toBeGreaterThanOrEqual(0);
    expect(breach.atMs - s.clocks[0]!.dueAtMs!).toBeLessThan(1_000);
    expect(s.registeredAtMs - startedAt).toBeLessThan(60_000);
    expect(rec.events()).toEqual(['registered', 'first_response_breached']);

    // A late response is still recorded; the clock stays breached.
    const late = await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent', body: 'sorry' }] });
    expect(late.clocks[0]!.status).toBe('breached');
    expect(late.state).toBe('in_progress');
    await handle.result();
  });
  expect(rec.events()).toEqual(['registered', 'first_response_breached', 'replied']);
});

test('a public response before the timer fires prevents the breach', async () => {
  const rec = recordingActivities();
  await withWorker(rec.activities, async (taskQueue) => {
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input('SR-2')] });
    await env.sleep(3 * HOUR);
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'internal', author: 'agent', body: 'checking logs' }] });
    const s = await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent', body: 'fixed' }] });
    expect(s.clocks[0]).toMatchObject({ status: 'met', breachedAtMs: null });
    expect(s.clocks[0]!.usedMs).toBeGreaterThanOrEqual(3 * HOUR);
    await handle.result();
    await env.sleep(10 * HOUR);
  });
  expect(rec.events()).toEqual(['registered', 'internal_note', 'replied']);
});
