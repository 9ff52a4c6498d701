// A worker started with WORKER_METRICS_ADDRESS serves the Temporal SDK's metrics for Prometheus
// (worker/sdk-metrics.ts); a malformed address stops it at start, naming the variable, and so
// does a malformed WORKER_WORKFLOW_STACK_TRACES (worker/workflow-thread-setup.mjs).
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnService } from '../../infra/node-services';
import { stopChild } from '../../infra/stop-child';
import { uniqueKey } from './helpers';

const workerEnv = (taskQueue: string, metricsAddress: string): NodeJS.ProcessEnv => ({
  DATABASE_URL: process.env.E2E_DATABASE_URL,
  TEMPORAL_ADDRESS: process.env.E2E_TEMPORAL_ADDRESS,
  TEMPORAL_NAMESPACE: 'default',
  // A queue of its own: this worker takes none of the suite's tasks.
  TEMPORAL_TASK_QUEUE: taskQueue,
  WORKER_METRICS_ADDRESS: metricsAddress,
});

let worker: ChildProcess | undefined;
afterEach(async () => {
  if (worker) await stopChild(worker);
  worker = undefined;
});

test('the worker serves its SDK metrics, labelled with its task queue, at WORKER_METRICS_ADDRESS', async () => {
  const taskQueue = uniqueKey('metrics');
  const address = `127.0.0.1:${await freePort()}`;
  worker = await spawnService('worker', workerEnv(taskQueue, address));
  // The exporter publishes what the worker has recorded; pollers are recorded once they poll.
  let text = '';
  for (let i = 0; i < 50 && !/temporal_num_pollers\{[^}]*poller_type="workflow_task"/.test(text); i++) {
    const res = await fetch(`http://${address}/metrics`);
    expect(res.status).toBe(200);
    text = await res.text();
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(text).toMatch(new RegExp(`temporal_worker_start\\{[^}]*task_queue="${taskQueue}"[^}]*\\} 1`));
  expect(text).toMatch(new RegExp(`temporal_num_pollers\\{[^}]*poller_type="workflow_task"[^}]*task_queue="${taskQueue}"`));
  expect(text).toMatch(/# TYPE temporal_workflow_task_schedule_to_start_latency histogram|temporal_worker_task_slots_available/);
});

test('a malformed WORKER_METRICS_ADDRESS stops the worker at start, naming the variable', async () => {
  const lines: string[] = [];
  await expect(spawnService('worker', workerEnv(uniqueKey('metrics'), 'localhost'), (l) => lines.push(l))).rejects.toThrow(/exited before it was ready/);
  expect(lines.join('\n')).toContain('WORKER_METRICS_ADDRESS must be host:port (e.g. 127.0.0.1:9464), got "localhost"');
});

test('a malformed WORKER_WORKFLOW_STACK_TRACES stops the worker at start, naming the variable', async () => {
  const lines: string[] = [];
  const env = { ...workerEnv(uniqueKey('stack-traces'), `127.0.0.1:${await freePort()}`), WORKER_WORKFLOW_STACK_TRACES: 'yes' };
  await expect(spawnService('worker', env, (l) => lines.push(l))).rejects.toThrow(/exited before it was ready/);
  expect(lines.join('\n')).toContain('WORKER_WORKFLOW_STACK_TRACES must be 1 or 0, got "yes"');
});
