import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { beginReplan, finishReplan, pendingTargets, readReplan, recordOutcomes, replanFailures, type ReplanProgress } from '../db/queries/calendar-replans';
import type { Actor } from '../domain/request/snapshot';
import { replanTargets, replanUpdateId, type ReplanClient, type ReplanReport } from '../services/calendars/replan-updates';

export interface ReplanJob {
  calendarId: string;
  versionId: string;
  author: string;
  /** The API key that added the version (recorded by each re-planned request). */
  by?: Actor;
}

export interface ReplanPageInput extends ReplanJob {
  pageSize: number;
  /** Updates in flight at once. */
  concurrency: number;
  updateTimeoutMs: number;
}

/** Failures listed one by one in the final report (all are counted). */
const MAX_LISTED_FAILURES = 100;

/**
 * The steps of a durable re-plan (workflows/replan-calendar.ts). State lives in PostgreSQL
 * (db/queries/calendar-replans.ts): a page retried after a crash resends only the Updates whose
 * outcome is not recorded, and those the server de-duplicates by Update id.
 * `client`: the worker's Temporal client by default (tests pass a fake).
 */
export function createReplanActivities(db: Knex, client: () => ReplanClient = () => Context.current().client) {
  return {
    async beginCalendarReplan(job: ReplanJob & { workflowId: string }): Promise<ReplanProgress> {
      return beginReplan(db, job);
    },

    /** Re-plans the next page of pending targets; `more` is false once none is left. */
    async replanCalendarPage(input: ReplanPageInput): Promise<{ progress: ReplanProgress; more: boolean }> {
      const targets = await pendingTargets(db, input.calendarId, input.versionId, input.pageSize);
      if (targets.length === 0) return { progress: (await readReplan(db, input.calendarId, input.versionId))!, more: false };
      const heartbeat = heartbeater();
      const replan = { author: input.author, calendarVersionId: input.versionId, ...(input.by && { by: input.by }) };
      const outcomes = await replanTargets(
        { client: client(), concurrency: input.concurrency, updateTimeoutMs: input.updateTimeoutMs, onEach: heartbeat },
        targets,
        replan,
        replanUpdateId(input.calendarId, input.versionId),
      );
      const progress = await recordOutcomes(
        db,
        input.calendarId,
        input.versionId,
        outcomes.map((o, i) => ({ seq: targets[i]!.seq, ...o })),
      );
      return { progress, more: targets.length === input.pageSize };
    },

    async finishCalendarReplan(input: { calendarId: string; versionId: string; concurrency: number }): Promise<ReplanReport> {
      const p = await finishReplan(db, input.calendarId, input.versionId);
      const failures = await replanFailures(db, input.calendarId, input.versionId, MAX_LISTED_FAILURES);
      return {
        calendarId: p.calendarId,
        versionId: p.versionId,
        requests: p.total,
        replanned: p.replanned,
        alreadyFinished: p.alreadyFinished,
        failed: p.failed,
        failures: failures.listed,
        failuresByReason: failures.byReason,
        concurrency: input.concurrency,
        durationMs: Math.max(0, Date.parse(p.finishedAt ?? new Date().toISOString()) - Date.parse(p.startedAt)),
      };
    },
  };
}

/** Heartbeats at most once a second (outside an activity, e.g. in a unit test, does nothing). */
function heartbeater(): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < 1_000) return;
    last = now;
    try {
      Context.current().heartbeat();
    } catch {
      // not in an activity context
    }
  };
}

export type ReplanActivities = ReturnType<typeof createReplanActivities>;
