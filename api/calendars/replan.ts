/**
 * Re-planning the open requests of a calendar after it gained a version: each open request's
 * workflow gets the `replan` Update naming the new version explicitly, so a worker whose
 * calendar cache predates the change reloads it (services/calendar-registry.ts).
 *
 * The fan-out runs in the API process with bounded concurrency and is awaited by the route.
 * It is safe to repeat: the Update id is derived from (calendar, version), so the server
 * de-duplicates a second fan-out for the same version per workflow run, and requests whose
 * projection already shows the new version are not selected again. Measured cost: see
 * bench/replan.bench.ts (`npm run bench`); each re-plan is one Update round trip that
 * completes after the workflow has re-planned and written its projection.
 */
import { OPEN_STATES } from '../../domain/request/transitions';
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Knex } from 'knex';
import { ILLEGAL_TRANSITION, replanUpdate, type Replan } from '../../workflows/messages';
import type { Actor } from '../../domain/request/snapshot';

/** Request states whose clocks may still run (the rest are finished). */


export interface OpenRequestRef {
  requestId: string;
  workflowId: string;
}

/** The part of a Temporal `Client` the fan-out uses (a real `Client` satisfies it). */
export interface ReplanClient {
  workflow: {
    getHandle(workflowId: string): {
      executeUpdate(def: typeof replanUpdate, options: { args: [Replan]; updateId?: string }): Promise<unknown>;
    };
  };
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R>;
}

export interface ReplanDeps {
  client: ReplanClient;
  /** Open requests on a calendar not yet on `versionId` (see {@link openRequestsFromDb}). */
  findOpenRequests(calendarId: string, versionId: string): Promise<OpenRequestRef[]>;
  /** Updates in flight at once. Default 64. */
  concurrency?: number;
  /** Give up on one request's Update after this long (it is then reported as failed). Default 30 s. */
  updateTimeoutMs?: number;
  /** At most this many failures are listed individually (all are counted). Default 100. */
  maxListedFailures?: number;
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
  /** The first `maxListedFailures` failures. */
  failures: ReplanFailure[];
  /** Failures counted by reason. */
  failuresByReason: Record<string, number>;
  concurrency: number;
  durationMs: number;
}

/** Selects open requests of a calendar from the projection (`support_requests`). */
export function openRequestsFromDb(db: Knex): ReplanDeps['findOpenRequests'] {
  return async (calendarId, versionId) => {
    const rows: Array<{ id: string; workflow_id: string }> = await db('support_requests')
      .select('id', 'workflow_id')
      .where('calendar_id', calendarId)
      .whereIn('state', [...OPEN_STATES])
      .whereRaw('calendar_version_id is distinct from ?', [versionId])
      .orderBy('registered_at');
    return rows.map((r) => ({ requestId: r.id, workflowId: r.workflow_id }));
  };
}

/** The Update id of a re-plan: the same for every retry of one (calendar, version) fan-out. */
export const replanUpdateId = (calendarId: string, versionId: string) => `replan:${calendarId}:${versionId}`;

/**
 * Sends `replanUpdate({ author, calendarVersionId: versionId })` to every open request on the
 * calendar, at most `concurrency` at a time, and reports what happened to each. Never throws
 * for a single request's failure; throws only if the selection itself fails.
 */
export async function replanOpenRequests(deps: ReplanDeps, calendarId: string, versionId: string, author: string, by?: Actor): Promise<ReplanReport> {
  const started = performance.now();
  const concurrency = Math.max(1, deps.concurrency ?? 64);
  const timeoutMs = deps.updateTimeoutMs ?? 30_000;
  const maxListed = deps.maxListedFailures ?? 100;
  const report: ReplanReport = {
    calendarId,
    versionId,
    requests: 0,
    replanned: 0,
    alreadyFinished: 0,
    failed: 0,
    failures: [],
    failuresByReason: {},
    concurrency,
    durationMs: 0,
  };

  const targets = await deps.findOpenRequests(calendarId, versionId);
  report.requests = targets.length;

  // `by`: the key that added the version, recorded by each re-planned request (audit).
  const replan: Replan = { author, calendarVersionId: versionId, ...(by && { by }) };
  const updateId = replanUpdateId(calendarId, versionId);
  const fail = (t: OpenRequestRef, reason: string, message: string) => {
    report.failed += 1;
    report.failuresByReason[reason] = (report.failuresByReason[reason] ?? 0) + 1;
    if (report.failures.length < maxListed) report.failures.push({ requestId: t.requestId, workflowId: t.workflowId, reason, message });
  };

  const one = async (t: OpenRequestRef): Promise<void> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      await deps.client.withAbortSignal(abort.signal, () =>
        deps.client.workflow.getHandle(t.workflowId).executeUpdate(replanUpdate, { args: [replan], updateId }),
      );
      report.replanned += 1;
    } catch (err) {
      const outcome = classify(err, abort.signal.aborted);
      if (outcome.reason === 'finished') report.alreadyFinished += 1;
      else fail(t, outcome.reason, outcome.message);
    } finally {
      clearTimeout(timer);
    }
  };

  let next = 0;
  const lane = async () => {
    while (next < targets.length) await one(targets[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, lane));
  report.durationMs = Math.round(performance.now() - started);
  return report;
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
