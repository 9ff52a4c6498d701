/**
 * Re-planning open requests onto a new calendar version: each request's workflow gets the
 * `replan` Update naming the new version explicitly, so a worker whose calendar cache predates
 * the change reloads it (services/calendar-registry.ts).
 *
 * `replanTargets` sends one page of Updates with bounded concurrency and says what happened to
 * each; the durable re-plan workflow (workflows/replan-calendar.ts) calls it page by page from
 * an activity (activities/calendar-replan.ts). It is safe to repeat: the Update id is derived
 * from (calendar, version), so the server de-duplicates a resent Update per workflow run.
 * Measured cost: bench/replan.bench.ts (`npm run bench`).
 */
import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { ILLEGAL_TRANSITION, replanUpdate, type Replan } from '../../workflows/messages';
import type { Actor } from '../../domain/request/snapshot';

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

/** The Update id of a re-plan: the same for every retry of one (calendar, version) fan-out. */
export const replanUpdateId = (calendarId: string, versionId: string) => `replan:${calendarId}:${versionId}`;

/** What happened to one request's re-plan. */
export type TargetOutcome = { outcome: 'replanned' } | { outcome: 'finished' } | { outcome: 'failed'; reason: string; message: string };

/**
 * Sends `replan` to every target, at most `concurrency` at a time, and answers each target's
 * outcome in order. Never throws for a single request's failure. `onEach` runs after every
 * outcome (an activity heartbeats there).
 */
export async function replanTargets<T extends OpenRequestRef>(
  deps: Pick<ReplanDeps, 'client' | 'concurrency' | 'updateTimeoutMs'> & { onEach?: () => void },
  targets: readonly T[],
  replan: Replan,
  updateId: string,
): Promise<TargetOutcome[]> {
  const concurrency = Math.max(1, deps.concurrency ?? 64);
  const timeoutMs = deps.updateTimeoutMs ?? 30_000;
  const outcomes: TargetOutcome[] = new Array(targets.length);
  const one = async (t: T): Promise<TargetOutcome> => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), timeoutMs);
    try {
      await deps.client.withAbortSignal(abort.signal, () =>
        deps.client.workflow.getHandle(t.workflowId).executeUpdate(replanUpdate, { args: [replan], updateId }),
      );
      return { outcome: 'replanned' };
    } catch (err) {
      const c = classify(err, abort.signal.aborted);
      return c.reason === 'finished' ? { outcome: 'finished' } : { outcome: 'failed', ...c };
    } finally {
      clearTimeout(timer);
    }
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

/**
 * Sends `replanUpdate({ author, calendarVersionId: versionId })` to every open request on the
 * calendar, at most `concurrency` at a time, and reports what happened to each. Never throws
 * for a single request's failure; throws only if the selection itself fails.
 */
export async function replanOpenRequests(deps: ReplanDeps, calendarId: string, versionId: string, author: string, by?: Actor): Promise<ReplanReport> {
  const started = performance.now();
  const concurrency = Math.max(1, deps.concurrency ?? 64);
  const maxListed = deps.maxListedFailures ?? 100;
  const targets = await deps.findOpenRequests(calendarId, versionId);
  // `by`: the key that added the version, recorded by each re-planned request (audit).
  const replan: Replan = { author, calendarVersionId: versionId, ...(by && { by }) };
  const outcomes = await replanTargets({ ...deps, concurrency }, targets, replan, replanUpdateId(calendarId, versionId));
  const report: ReplanReport = {
    calendarId,
    versionId,
    requests: targets.length,
    replanned: 0,
    alreadyFinished: 0,
    failed: 0,
    failures: [],
    failuresByReason: {},
    concurrency,
    durationMs: 0,
  };
  outcomes.forEach((o, i) => {
    if (o.outcome === 'replanned') report.replanned += 1;
    else if (o.outcome === 'finished') report.alreadyFinished += 1;
    else {
      const t = targets[i]!;
      report.failed += 1;
      report.failuresByReason[o.reason] = (report.failuresByReason[o.reason] ?? 0) + 1;
      if (report.failures.length < maxListed) report.failures.push({ requestId: t.requestId, workflowId: t.workflowId, reason: o.reason, message: o.message });
    }
  });
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
