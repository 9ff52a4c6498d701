import { NativeConnection, Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { LocalStack } from '../infra/local-stack';
import { workflowThreadsFromEnv } from '../worker/workflow-threads';

export interface BaselineActivities {
  /** One small row, one transaction: the floor of a projection write. */
  benchWrite(id: string): Promise<void>;
}

/**
 * Runs `fn` with a worker for the baseline workflows (bench/fixtures/baseline-workflows.ts) on
 * a task queue of its own, in the bench process, against the stack's server and database.
 */
export async function withBaselineWorker<T>(stack: LocalStack, db: Knex, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  await db.raw('create table if not exists bench_baseline_writes (id text primary key, written_at timestamptz not null default now())');
  const activities: BaselineActivities = {
    async benchWrite(id) {
      await db.raw('insert into bench_baseline_writes (id) values (?) on conflict do nothing', [id]);
    },
  };
  const connection = await NativeConnection.connect({ address: stack.temporalAddress });
  const taskQueue = `bench-baseline-${Date.now().toString(36)}`;
  try {
    // As many workflow threads as the product's worker: the floor is the design's, not a tuning's.
    const worker = await Worker.create({ connection, taskQueue, workflowsPath: require.resolve('./fixtures/baseline-workflows'), activities, workflowThreadPoolSize: workflowThreadsFromEnv() });
    return await worker.runUntil(fn(taskQueue));
  } finally {
    await connection.close();
  }
}
