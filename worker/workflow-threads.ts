// How many threads run a worker's workflow code (the SDK's `workflowThreadPoolSize`).
import { intSettingFromEnv } from '../config/env';

/**
 * 2, where the SDK's default is 1: a workflow task's CPU is mostly the SDK's sandbox (entering
 * it, and, with workflow stack traces on, a stack trace captured for every promise a workflow
 * creates), on the thread that runs it. On two cores a re-plan of 1000 requests ran at 0.41-0.46 of a bare Update with one
 * thread and 0.47-0.56 with two (docs/operations.md, "Worker settings"). The baseline workers
 * of `npm run bench` use the same number, so the floor is the design's, not a tuning's.
 */
export const DEFAULT_WORKFLOW_THREADS = 2;

/** The worker's workflow threads: `WORKER_WORKFLOW_THREADS`, else the default. */
export const workflowThreadsFromEnv = (env: NodeJS.ProcessEnv = process.env): number => intSettingFromEnv('WORKER_WORKFLOW_THREADS', {}, env) ?? DEFAULT_WORKFLOW_THREADS;
