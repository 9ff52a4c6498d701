// Loaded before the worker with `--import` (package.json's `worker` and `bench` scripts,
// infra/node-services.ts). Node runs a process's --import modules again in each of its worker
// threads, and the SDK runs workflow code in threads it creates itself: this is the only code
// of ours that runs in them before the SDK sets them up. Plain JavaScript: tsx does not load
// TypeScript in worker threads.
import path from 'node:path';
import process from 'node:process';
import v8 from 'node:v8';
import { isMainThread } from 'node:worker_threads';

/**
 * Workflow stack traces (the `__stack_trace` query, the Web UI's "Stack Trace" tab) are off
 * unless WORKER_WORKFLOW_STACK_TRACES=1. To answer that query the SDK installs a promise hook
 * that captures and source-maps a stack trace for every promise a workflow creates: about 40 %
 * of the workflow threads' CPU in a registration storm (docs/operations.md, "Worker
 * settings"). A request workflow waits on one timer or an Update, which its Temporal timer
 * summary and current details already say.
 */
const stackTraces = onOrOff(process.env.WORKER_WORKFLOW_STACK_TRACES);
/** Where the SDK installs its stack-trace hook (`GlobalHandlers.setPromiseHook`). */
const SDK_HOOK_INSTALLER = path.join('@temporalio', 'worker', 'lib', 'workflow', 'vm-shared.js');

if (isMainThread) {
  // Read by worker/workflow-stack-traces.ts (the worker's start-up line, the bench's header).
  globalThis[Symbol.for('sla-orchestrator.workflowStackTraces')] = stackTraces;
} else {
  if (stackTraces === 'off') {
    // The SDK treats a runtime without promise hooks as one without workflow stack traces (it
    // warns once per thread): the query answers "not enabled", nothing else changes. Only its
    // own call is refused: Node's AsyncLocalStorage, which the SDK's workflow code uses, installs
    // its hook through the same function.
    const createHook = v8.promiseHooks.createHook;
    v8.promiseHooks.createHook = (hooks) => {
      if (new Error().stack?.includes(SDK_HOOK_INSTALLER)) throw new Error('workflow stack traces are off (WORKER_WORKFLOW_STACK_TRACES)');
      return createHook(hooks);
    };
  }
  // tsx turns source maps on for TypeScript; a workflow thread runs the SDK's JavaScript and
  // the workflow bundle, whose traces the SDK maps itself. With maps on, Node also inspects
  // every function compiled from a string (the SDK's hook compiles two per workflow promise).
  process.setSourceMapsEnabled(false);
}

/** A malformed value stops the worker at start, naming the variable (as its other settings do). */
function onOrOff(value) {
  if (value === undefined || value === '' || value === '0' || value === 'false') return 'off';
  if (value === '1' || value === 'true') return 'on';
  throw new Error(`WORKER_WORKFLOW_STACK_TRACES must be 1 or 0, got "${value}"`);
}
