/**
 * Was an Update (by its ID) already run by a workflow run that has since closed? Temporal
 * de-duplicates Update IDs within one run only: after the request's workflow continued as new,
 * or completed, a retried action must not be sent again if an earlier run ran it. A closed
 * run's history is final, so reading it cannot race with the Update.
 *
 * Only runs that started after `sinceMs` (when the action's key was claimed, less a margin for
 * clock skew) are read: an Update sent after the claim reached the run current then, and a run
 * that started before the claim and is still running was current all along (Temporal dedupes
 * there). The walk follows each run's `continuedExecutionRunId` backwards, as the history
 * endpoint does (./history.ts).
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Failure = temporal.api.failure.v1.IFailure;

export type UpdateOutcome = { ran: 'success' } | { ran: 'failure'; failure: Failure };

/** The outcome of `updateId` in one run's events, if the run completed it. */
export function updateOutcomeIn(events: readonly HistoryEvent[], updateId: string): UpdateOutcome | undefined {
  for (const e of events) {
    const done = e.workflowExecutionUpdateCompletedEventAttributes;
    if (done?.meta?.updateId !== updateId) continue;
    return done.outcome?.failure ? { ran: 'failure', failure: done.outcome.failure } : { ran: 'success' };
  }
  return undefined;
}

/** When a run started and the run it continued (from its first event). */
export function runOrigin(events: readonly HistoryEvent[]): { startMs: number | null; previousRunId: string | null } {
  const first = events[0];
  const t = first?.eventTime;
  const startMs = t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : null;
  return { startMs, previousRunId: first?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || null };
}

const MAX_RUNS = 10;

/**
 * The outcome of `updateId` in a closed run of `workflowId` that started after `sinceMs`, or
 * undefined (not run there; then sending it to the running run is safe: Temporal dedupes it).
 */
export async function updateOutcomeInClosedRuns(client: Client, workflowId: string, updateId: string, sinceMs: number): Promise<UpdateOutcome | undefined> {
  let latest;
  try {
    latest = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const running = latest.status.name === 'RUNNING';
  if (running && latest.startTime.getTime() <= sinceMs) return undefined;
  let runId: string | null = latest.runId;
  for (let i = 0; i < MAX_RUNS && runId; i++) {
    const closed = i > 0 || !running;
    const events = closed ? await runEvents(client, workflowId, runId) : await firstEvent(client, workflowId, runId);
    if (closed) {
      const outcome = updateOutcomeIn(events, updateId);
      if (outcome) return outcome;
    }
    const origin = runOrigin(events);
    if (origin.startMs === null || origin.startMs <= sinceMs) return undefined;
    runId = origin.previousRunId;
  }
  return undefined;
}

async function runEvents(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[]> {
  try {
    return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  } catch (err) {
    // Past the namespace's retention: nothing to compare with.
    if (err instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

async function firstEvent(client: Client, workflowId: string, runId: string): Promise<HistoryEvent[]> {
  const res = await client.workflowService.getWorkflowExecutionHistory({ namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 1 });
  return res.history?.events?.slice(0, 1) ?? [];
}

/** The error executeUpdate would have thrown for a failed Update (the API maps it to 409). */
export function updateFailedError(client: Client, failure: Failure): WorkflowUpdateFailedError {
  const converter = client.options.loadedDataConverter;
  return new WorkflowUpdateFailedError('Workflow Update failed', converter.failureConverter.failureToError(failure, converter.payloadConverter));
}
