// The time-skipping test environment for workflow tests, backed by the Java test server that
// `npm run setup` (scripts/install-test-server.sh) installs under .tools/test-server/.
//
// The SDK's default would download a native test-server binary, which cannot work on machines that
// only reach package registries; so we hand it our wrapper script as an 'existing-path' executable.
// The SDK runs `<wrapper> <port>`, waits at most 5 s for the port to answer (the wrapper's JVM
// with its class-data-sharing archive needs ~0.2-0.8 s) and SIGKILLs the process on teardown.
//
// Known limitations of the Java test server (vs. the real/dev server):
//   - no visibility: ListWorkflowExecutions / client.workflow.list() / count() are unimplemented;
//   - awaiting a workflow Update does not unlock time skipping (only awaiting a result does),
//     so an Update handler that waits on a timer hangs unless the test skips time itself
//     (env.sleep(...)) or awaits the workflow result concurrently;
//   - time is global to the environment: run the tests that share one env serially.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { freePort } from '../../infra/node-services';

export const TEST_SERVER_WRAPPER = path.resolve(__dirname, '..', '..', '.tools', 'test-server', 'temporal-test-server');

export async function createTestEnv(): Promise<TestWorkflowEnvironment> {
  try {
    fs.accessSync(TEST_SERVER_WRAPPER, fs.constants.X_OK);
  } catch {
    throw new Error(
      `The Temporal Java test server is not installed (no executable ${TEST_SERVER_WRAPPER}): run npm run setup ` +
        '(or just: bash scripts/install-test-server.sh).',
    );
  }
  return TestWorkflowEnvironment.createTimeSkipping({
    // Our port, from below the kernel's ephemeral range (infra/node-services.ts): the SDK's own
    // pick comes from inside it, where an outgoing connection can take it before the JVM binds.
    server: { executable: { type: 'existing-path', path: TEST_SERVER_WRAPPER }, port: await freePort() },
  });
}
