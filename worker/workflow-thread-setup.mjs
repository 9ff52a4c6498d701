// Loaded before the worker with `--import` (package.json's `worker` and `bench` scripts,
// infra/node-services.ts). Node runs a process's --import modules again in each of its worker
// threads, and the SDK runs workflow code in threads it creates itself: this is the only code
// of ours that runs in them before the SDK sets them up. Plain JavaScript: tsx does not load
// TypeScript in worker threads.
import path from 'node:path';
import process from 'node:process';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/**
 * Workflow stack traces (the `__stack_trace` query, the Web UI's "Stack Trace" tab) are off
 * unless WORKER_WORKFLOW_STACK_TRACES=1. To answer that query the SDK installs a promise hook
 * that captures and source-maps a stack trace for every promise a workflow creates: about 40 %
 * of the workflow threads' CPU in a registration storm (docs/operations.md, "Worker
 * settings"). A request workflow waits on one timer or an Update, which its Temporal timer
 * summary and current details already say.
 */
const stackTraces = onOrOff('WORKER_WORKFLOW_STACK_TRACES', 'off');
/**
 * Deadlock detection (the SDK's `isolateExecutionTimeout`: a call into workflow code that runs
 * for 5 s fails its workflow task, and the thread is free again) stays on unless
 * WORKER_WORKFLOW_DEADLOCK_DETECTION=0. The SDK passes that limit to every `runInContext` it
 * makes, five or more per workflow task, and Node enforces it with a watchdog thread created
 * and joined for each call (nodejs/node#47739): about 0.1 ms of CPU a call here, and in a
 * registration storm about 40 % of the workflow threads' wall time, blocked on those threads.
 * Dropping it gained nothing beyond the bench's noise on this machine (docs/operations.md,
 * "Worker settings"), so the guard stays; a worker that is short of CPU, where a starved call
 * could also be taken for a deadlock, may turn it off.
 */
const deadlockDetection = onOrOff('WORKER_WORKFLOW_DEADLOCK_DETECTION', 'on');
/** Where the SDK installs its stack-trace hook (`GlobalHandlers.setPromiseHook`). */
const SDK_HOOK_INSTALLER = path.join('@temporalio', 'worker', 'lib', 'workflow', 'vm-shared.js');

if (isMainThread) {
  // Read by worker/workflow-thread-settings.ts (the worker's start-up line, the bench's header).
  globalThis[Symbol.for('sla-orchestrator.workflowThreads')] = { stackTraces, deadlockDetection };
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
  if (deadlockDetection === 'off') {
    // Every script run in a workflow thread is the SDK's call into workflow code; it runs
    // without a time limit and does exactly what it did otherwise.
    const runInContext = vm.Script.prototype.runInContext;
    vm.Script.prototype.runInContext = function (context, options) {
      if (options?.timeout === undefined) return runInContext.call(this, context, options);
      const unbounded = { ...options };
      delete unbounded.timeout;
      return runInContext.call(this, context, unbounded);
    };
  }
  // tsx turns source maps on for TypeScript; a workflow thread runs the SDK's JavaScript and
  // the workflow bundle, whose traces the SDK maps itself. With maps on, Node also inspects
  // every function compiled from a string (the SDK's hook compiles two per workflow promise).
  process.setSourceMapsEnabled(false);
}

/** Unset or empty: the default. A malformed value stops the worker at start, naming the variable (as its other settings do). */
function onOrOff(name, unset) {
  const value = process.env[name];
  if (value === undefined || value === '') return unset;
  if (value === '0' || value === 'false') return 'off';
  if (value === '1' || value === 'true') return 'on';
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}
