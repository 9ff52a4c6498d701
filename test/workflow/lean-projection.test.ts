// Projection writes carry what changed: after a run's first (whole) write, each write sends
// only the changed top-level fields and the new events, and applying them in order leaves
// exactly the workflow's snapshot, across continue-as-new too.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { assignUpdate, registeredUpdate, respondUpdate, snapshotQuery } from '../../workflows/messages';
import { supportRequest } from '../../workflows/support-request';
import { pinnedPolicy, recordingActivities, requestInput, withWorker } from './harness';
import { createTestEnv } from './test-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

test('after the first write, writes carry only the changed fields; merged in order they equal the snapshot', async () => {
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [requestInput('SR-LEAN', pinnedPolicy('warranty', Date.now()))] });
    try {
      await handle.executeUpdate(registeredUpdate);
      await handle.executeUpdate(assignUpdate, { args: [{ author: 'lead', agent: 'agent-7' }] });
      await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-7', body: 'on it' }] });
      const snapshot = await handle.query(snapshotQuery);

      expect(rec.changeWrites.length).toBeGreaterThanOrEqual(2);
      for (const w of rec.changeWrites) {
        // The terms and the registration never change: they are written once, at registration.
        expect(Object.keys(w.changes)).not.toContain('policy');
        expect(Object.keys(w.changes)).not.toContain('registration');
        expect(w.baseRevision).toBeLessThanOrEqual(w.revision);
      }
      expect(rec.changeWrites.some((w) => 'assignee' in w.changes)).toBe(true);
      expect(rec.updates.at(-1)!.snapshot).toEqual(snapshot);
      // Every event written once, in order.
      expect(rec.events().map((e) => e.seq)).toEqual(Array.from({ length: snapshot.revision }, (_, i) => i + 1));
    } finally {
      await handle.terminate('test finished');
    }
  });
});

test('continue-as-new: the new run writes whole first, then changes, and the projection stays equal to the snapshot', async () => {
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const input = requestInput('SR-LEAN-CAN', pinnedPolicy('warranty', Date.now()), { historyEventLimit: 40 });
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input] });
    try {
      await handle.executeUpdate(registeredUpdate);
      for (let i = 0; i < 10; i++) await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'internal', author: 'agent-1', body: `note ${i}` }] });
      const snapshot = await handle.query(snapshotQuery);
      expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
      // One whole write per run (registration, then the first write of each later run).
      const whole = rec.updates.length - rec.changeWrites.length;
      expect(whole).toBeGreaterThanOrEqual(2);
      expect(rec.updates.at(-1)!.snapshot).toEqual(snapshot);
      expect(rec.events().map((e) => e.seq)).toEqual(Array.from({ length: snapshot.revision }, (_, i) => i + 1));
    } finally {
      await handle.terminate('test finished');
    }
  });
});
