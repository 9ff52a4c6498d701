// One time-skipping environment per test file for request workflows, and a `start` that ends
// every workflow it started after each test: requests live for weeks, and their timers would
// otherwise keep firing into task queues nobody polls any more and hold the shared clock back.
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { supportRequest, type SupportRequestInput } from '../../workflows/support-request';
import { createTestEnv } from './test-env';

/**
 * Registers the file's hooks; `onEnv` receives the environment once it is up.
 *
 * @example
 *   let env: TestWorkflowEnvironment;
 *   const { start } = requestWorkflows((e) => (env = e));
 */
export function requestWorkflows(onEnv: (env: TestWorkflowEnvironment) => void) {
  let env: TestWorkflowEnvironment | undefined;
  const started: WorkflowHandle[] = [];
  beforeAll(async () => {
    env = await createTestEnv();
    onEnv(env);
  });
  afterAll(async () => {
    await env?.teardown();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((h) => h.terminate('test finished').catch(() => undefined)));
  });
  return {
    async start(taskQueue: string, input: SupportRequestInput) {
      const handle = await env!.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input] });
      started.push(handle);
      return handle;
    },
  };
}
