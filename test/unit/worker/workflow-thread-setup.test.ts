// worker/workflow-thread-setup.mjs in a real worker thread of a process started as the worker
// is (`node --import` the setup module): what a script run by the SDK's way of calling into
// workflow code (`runInContext` with a timeout) does under each setting.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const SETUP = path.resolve(__dirname, '../../../worker/workflow-thread-setup.mjs');

const THREAD = path.resolve(__dirname, 'fixtures/long-vm-call.cjs');
const PROGRAM = `
const thread = new (require('node:worker_threads').Worker)(${JSON.stringify(THREAD)});
thread.on('message', (m) => { console.log(m); process.exit(0); });
`;

async function runThread(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', SETUP, '-e', PROGRAM], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeout: 20_000,
  });
  return stdout.trim();
}

test("by default a call into workflow code keeps the SDK's time limit: a long call is stopped", async () => {
  expect(await runThread({})).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
  expect(await runThread({ WORKER_WORKFLOW_DEADLOCK_DETECTION: '1' })).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
});

test('WORKER_WORKFLOW_DEADLOCK_DETECTION=0 drops the per-call watchdog: a long call runs to its end', async () => {
  expect(await runThread({ WORKER_WORKFLOW_DEADLOCK_DETECTION: '0' })).toBe('ran to its end');
  expect(await runThread({ WORKER_WORKFLOW_DEADLOCK_DETECTION: 'false' })).toBe('ran to its end');
});

test('a malformed value stops the process at start, naming the variable', async () => {
  await expect(runThread({ WORKER_WORKFLOW_DEADLOCK_DETECTION: 'yes' })).rejects.toThrow(
    'WORKER_WORKFLOW_DEADLOCK_DETECTION must be 1 or 0, got "yes"',
  );
});
