import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { Knex } from 'knex';
import { pingDatabase } from '../../db/queries/health';

export interface ComponentStatus {
  status: 'up' | 'down';
  detail?: string;
  latencyMs?: number;
}

// A poller counts as alive if it polled within this window (Temporal's own liveness view).
const POLLER_FRESH_MS = 2 * 60_000;
const CHECK_TIMEOUT_MS = 3_000;

async function timed(check: () => Promise<string | undefined>): Promise<ComponentStatus> {
  const started = Date.now();
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref()),
    ]);
    return { status: 'up', detail, latencyMs: Date.now() - started };
  } catch (err) {
    return { status: 'down', detail: err instanceof Error ? err.message : String(err), latencyMs: Date.now() - started };
  }
}

/** Checks the database, Temporal and that at least one worker polls the task queue. */
export async function checkComponents(db: Knex, client: Client, taskQueue: string): Promise<Record<string, ComponentStatus>> {
  const [database, temporalStatus, worker] = await Promise.all([
    timed(async () => {
      await pingDatabase(db);
      return undefined;
    }),
    timed(async () => {
      await client.workflowService.describeNamespace({ namespace: client.options.namespace });
      return `namespace ${client.options.namespace}`;
    }),
    timed(async () => {
      const res = await client.workflowService.describeTaskQueue({
        namespace: client.options.namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const now = Date.now();
      const fresh = (res.pollers ?? []).filter((p) => {
        const seconds = Number(p.lastAccessTime?.seconds ?? 0);
        return now - seconds * 1000 < POLLER_FRESH_MS;
      });
      if (fresh.length === 0) throw new Error(`no worker polls task queue ${taskQueue}`);
      return `${fresh.length} poller(s) on ${taskQueue}`;
    }),
  ]);
  return { database, temporal: temporalStatus, worker };
}
