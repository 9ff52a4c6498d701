// A run the API starts names its set of workflow changes in its input (workflows/patches.ts):
// it takes that set with no patch marker and no TemporalChangeVersion upsert; a set this code
// does not know falls back to the marker.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { registeredUpdate, respondUpdate } from '../../workflows/messages';
import { CURRENT_PATCH_SET } from '../../workflows/patches';
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

/** Registers and responds; answers the run's patch markers, its TemporalChangeVersion upserts and whether it wrote changes only. */
async function run(patchSet: string | undefined) {
  const rec = recordingActivities();
  return withWorker(env, rec.activities, async (taskQueue) => {
    const input = { ...requestInput(`SR-SET-${patchSet ?? 'none'}`, pinnedPolicy('warranty', Date.now())), ...(patchSet !== undefined && { patchSet }) };
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input] });
    try {
      await handle.executeUpdate(registeredUpdate);
      await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'on it' }] });
      const events = (await handle.fetchHistory()).events ?? [];
      return {
        markers: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch').length,
        changeVersionUpserts: events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion).length,
        // The lean projection is one of the set's changes: after registration, writes carry changes only.
        leanWrites: rec.changeWrites.length,
      };
    } finally {
      await handle.terminate('test finished');
    }
  });
}

test('the set named in the input is taken without a marker; without one, or with an unknown one, the run records its marker', async () => {
  expect(await run(CURRENT_PATCH_SET)).toEqual({ markers: 0, changeVersionUpserts: 0, leanWrites: 1 });
  expect(await run(undefined)).toEqual({ markers: 1, changeVersionUpserts: 1, leanWrites: 1 });
  expect(await run('request-patches-2099-01')).toEqual({ markers: 1, changeVersionUpserts: 1, leanWrites: 1 });
});
