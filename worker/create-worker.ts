import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { TemporalConnectionOptions } from '../config/temporal-connection';
import { createActivities } from './activities';
import { DEFAULT_WORKFLOW_THREADS } from './workflow-threads';

export interface WorkerDeps {
  connection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  db: Knex;
  /** A prebuilt bundle (tests, bench) skips webpack on every start. */
  workflowBundle?: WorkflowBundleOption;
  identity?: string;
  /**
   * Requests kept in the sticky cache (about 0.3 MB each: the worker RSS line of `npm run bench`);
   * evicted ones replay from history when they next wake. Default: the SDK's, sized by memory.
   */
  maxCachedWorkflows?: number;
  /**
   * Workflow tasks run at once. Each holds its slot while its local activities run (calendar
   * answers, the write, a first delivery). Default {@link DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS};
   * the SDK caps it at `maxCachedWorkflows`.
   */
  maxConcurrentWorkflowTasks?: number;
  /** Threads running workflow code. Default {@link DEFAULT_WORKFLOW_THREADS}. */
  workflowThreads?: number;
}

/**
 * 200, where the SDK's default is 40: a re-plan or a breach storm is hundreds of short workflow
 * tasks, each mostly waiting on its local activities, and at 40 the slots ran out while the
 * worker had CPU to spare (docs/operations.md, "Worker settings").
 */
const DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS = 200;

/** Builds a worker polling the request task queue; the caller runs and shuts it down. */
export async function createWorker(deps: WorkerDeps): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(deps.connection);
  const worker = await Worker.create({
    connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    identity: deps.identity,
    ...(deps.maxCachedWorkflows !== undefined && { maxCachedWorkflows: deps.maxCachedWorkflows }),
    maxConcurrentWorkflowTaskExecutions: deps.maxConcurrentWorkflowTasks ?? DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS,
    workflowThreadPoolSize: deps.workflowThreads ?? DEFAULT_WORKFLOW_THREADS,
    // Pollers follow the backlog the server reports (up to 100) rather than a fixed 10: in a
    // burst, tasks wait on the server for a free poller less.
    workflowTaskPollerBehavior: { type: 'autoscaling' },
    activities: createActivities(deps.db),
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : { workflowsPath: require.resolve('../workflows') }),
  });
  return { worker, connection };
}
