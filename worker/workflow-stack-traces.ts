// What worker/workflow-thread-setup.mjs set up for this process's workflow threads.

/** 'on' or 'off', as the setup module recorded it; undefined when the process was started without it. */
export const workflowStackTracesSetUp = (): string | undefined =>
  (globalThis as Record<symbol, unknown>)[Symbol.for('sla-orchestrator.workflowStackTraces')] as string | undefined;
