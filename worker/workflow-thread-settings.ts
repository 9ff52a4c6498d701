// What worker/workflow-thread-setup.mjs set up for this process's workflow threads.

export interface WorkflowThreadSettings {
  /** The SDK's `__stack_trace` query (WORKER_WORKFLOW_STACK_TRACES). */
  stackTraces: 'on' | 'off';
  /** The SDK's `isolateExecutionTimeout` (WORKER_WORKFLOW_DEADLOCK_DETECTION). */
  deadlockDetection: 'on' | 'off';
}

/** As the setup module recorded them; undefined when the process was started without it (the SDK's defaults: both on). */
export const workflowThreadSettings = (): WorkflowThreadSettings | undefined =>
  (globalThis as Record<symbol, unknown>)[Symbol.for('sla-orchestrator.workflowThreads')] as WorkflowThreadSettings | undefined;
