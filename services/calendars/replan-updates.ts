/**
 * Re-planning open requests onto a new calendar version: each request's workflow gets the
 * `replan` Update naming the new version explicitly, so a worker whose calendar cache predates
 * the change reloads it (services/calendar-registry.ts), computed ahead from the request's row
 * (replan-ahead.ts); the workflow hands back its write, which the fan-out commits.
 *
 * `replanTargets` sends one page of Updates with bounded concurrency and says what happened to
 * each; the durable re-plan workflow (workflows/replan-calendar.ts) calls it page by page from
 * an activity (activities/calendar-replan.ts). It is safe to repeat: the Update id is derived
 * from (calendar, version), so the server de-duplicates a resent Update per workflow run.
 * Measured cost: bench/replan.bench.ts (`npm run bench`).
 */
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { ILLEGAL_TRANSITION, replanUpdate, type ReplanMessage, type ReplanReceipt } from '../../workflows/messages';
import type { RequestWrite } from '../../activities/request-writes';

export interface OpenRequestRef {
  requestId: string;
  workflowId: string;
}

/** The part of a Temporal `Client` the fan-out uses (a real `Client` satisfies it). */
export interface ReplanClient {
  workflow: {
    getHandle(workflowId: string): {
      executeUpdate(def: typeof replanUpdate, options: { args: [ReplanMessage]; updateId?: string }): Promise<unknown>;
    };
  };
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R>;
}

export interface ReplanFanOut {
  client: ReplanClient;
  /** Updates in flight at once. Default 64. */
  concurrency?: number;
  /** Give up on one request's Update after this long (it is then reported as failed). Default 30 s. */
  updateTimeoutMs?: number;
  /** Commits a write the workflow handed over in its receipt (activities/request-writes.ts `writeRequest`). */
  commit: (write: RequestWrite) => Promise<unknown>;
  /** Runs after every outcome (an activity heartbeats there). */
  onEach?: () => void;
}

export interface ReplanFailure {
  requestId: string;
  workflowId: string;
  /** `timeout`, `workflow_not_found`, `rejected` (the workflow refused), `error`. */
  reason: string;
  message: string;
}

export interface ReplanReport {
  calendarId: string;
  versionId: string;
  /** Open requests selected on the calendar. */
  requests: number;
  /** Workflows that accepted the re-plan (including ones that had already re-planned to this version). */
  replanned: number;
  /** Requests that finished meanwhile: the workflow completed, or refused because no clock runs any more. */
  alreadyFinished: number;
  failed: number;
  /** The first failures (activities/calendar-replan.ts lists at most 100). */
  failures: ReplanFailure[];
  /** Failures counted by reason. */
  failuresByReason: Record<string, number>;
  concurrency: number;
  durationMs: number;
}

/** The Update id of a re-plan: the same for every retry of one (calendar, version) fan-out. */
export const replanUpdateId = (calendarId: string, versionId: string) => `replan:${calendarId}:${versionId}`;

/** What happened to one request's re-plan. */
export type TargetOutcome = { outcome: 'replanned' } | { outcome: 'finished' } | { outcome: 'failed'; reason: string; message: string };

/**
 * Sends each target its re-plan (`messageOf`), at most `concurrency` at a time, and answers
 * each target's outcome in order. A write the workflow handed over in its receipt is committed
 * (`commit`) before the outcome counts: a crash before that resends the Update, and the server
 * answers a repeated Update id with the receipt it kept. Never throws for a single request's
 * failure (a failing commit is the database's, and throws).
 */
export async function replanTargets<T extends OpenRequestRef>(
  deps: ReplanFanOut,
  targets: readonly T[],
  messageOf: (target: T) => Promise<ReplanMessage>,
  updateId: string,
): Promise<TargetOutcome[]> {
  const concurrency = Math.max(1, deps.concurrency ?? 64);
  const timeoutMs = deps.updateTimeoutMs ?? 30_000;
  const outcomes: TargetOutcome[] = new Array(targets.length);
  const one = async (t: T): Promise<TargetOutcome> => {
    const message = await messageOf(t);
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    let receipt: ReplanReceipt | undefined;
    try {
      receipt = (await deps.client.withAbortSignal(abort.signal, () =>
        deps.client.workflow.getHandle(t.workflowId).executeUpdate(replanUpdate, { args: [message], updateId }),
      )) as ReplanReceipt | undefined;
    } catch (err) {
      const c = classify(err, abort.signal.aborted);
      return c.reason === 'finished' ? { outcome: 'finished' } : { outcome: 'failed', ...c };
    } finally {
      clearTimeout(timer);
    }
    if (receipt?.write) await deps.commit(receipt.write);
    return { outcome: 'replanned' };
  };
  let next = 0;
  const lane = async () => {
    while (next < targets.length) {
      const i = next++;
      outcomes[i] = await one(targets[i]!);
      deps.onEach?.();
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, lane));
  return outcomes;
}

function classify(err: unknown, timedOut: boolean): { reason: string; message: string } {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof WorkflowNotFoundError) {
    // The server answers NOT_FOUND "workflow execution already completed" for a closed run.
    return /already completed|already finished|completed/i.test(message) ? { reason: 'finished', message } : { reason: 'workflow_not_found', message };
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    // The validator refused: the request is resolved, closed or cancelled by now.
    if (err.cause.type === ILLEGAL_TRANSITION) return { reason: 'finished', message: err.cause.message };
    return { reason: 'rejected', message: `${err.cause.type ?? 'ApplicationFailure'}: ${err.cause.message}` };
  }
  if (err instanceof WorkflowUpdateFailedError) return { reason: 'rejected', message: err.cause?.message ?? message };
  if (timedOut || err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { reason: 'timeout', message };
  return { reason: 'error', message };
}
