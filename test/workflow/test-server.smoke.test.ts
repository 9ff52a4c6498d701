// Smoke test: the Java time-skipping test server installed by `npm run setup` starts under the
// SDK's 5 s limit, runs a workflow on a real Worker, and skips a 6-hour timer in (wall) seconds.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTestEnv } from './test-env';
import { SLEEPY_RESULT, sleepyWorkflow } from './fixtures/sleepy-workflow';

const SIX_HOURS_MS = 6 * 60 * 60 * 1000;

describe('Java time-skipping test server (smoke)', () => {
  let env: TestWorkflowEnvironment | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    env = await createTestEnv();
    console.log(`time-skipping test env up in ${Date.now() - t0} ms`);
  });

  afterAll(async () => {
    await env?.teardown();
  });

  it('runs a workflow that sleeps 6 hours, skipping the time', async () => {
    if (!env) throw new Error('test env not created');
    expect(env.supportsTimeSkipping).toBe(true);
    const { client, nativeConnection } = env;

    const taskQueue = `smoke-${randomUUID()}`;
    const tBundle = Date.now();
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('./fixtures/sleepy-workflow'),
    });
    const bundleMs = Date.now() - tBundle;

    const serverBefore = await env.currentTimeMs();
    const wallBefore = Date.now();
    const out = await worker.runUntil(
      client.workflow.execute(sleepyWorkflow, { taskQueue, workflowId: `sleepy-${randomUUID()}` }),
    );
    const wallMs = Date.now() - wallBefore;
    const serverAdvancedMs = (await env.currentTimeMs()) - serverBefore;
    console.log(
      `worker bundle ${bundleMs} ms; workflow ran in ${wallMs} ms wall time while the server clock ` +
        `advanced ${(serverAdvancedMs / 3_600_000).toFixed(3)} h`,
    );

    expect(out.result).toBe(SLEEPY_RESULT);
    // Inside the workflow, Date.now() is the server's (skipped) clock.
    expect(out.wokeAtMs - out.startedAtMs).toBeGreaterThanOrEqual(SIX_HOURS_MS);
    expect(serverAdvancedMs).toBeGreaterThanOrEqual(SIX_HOURS_MS);
    // Skipped, not slept: a generous bound for a loaded 2-core machine.
    expect(wallMs).toBeLessThan(30_000);
  });
});
