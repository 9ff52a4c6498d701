import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { beginReplan, finishReplan, pendingTargets, readReplan, recordOutcomes, replanFailures, type ReplanProgress } from '../db/queries/calendar-replans';
import type { Actor } from '../domain/request/snapshot';
import { findRequests, snapshotFromRow } from '../db/queries/requests';
import type { CalendarRegistry } from '../services/calendar-registry';
import { replanAhead } from '../services/calendars/replan-ahead';
import { replanTargets, replanUpdateId, type ReplanClient, type ReplanReport } from '../services/calendars/replan-updates';
import type { RequestWrite } from './request-writes';

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
 * outcome is not recorded, and those the server de-duplicates by Update id (answering the
 * receipt it kept, whose handed-over write is then committed again: a no-op if it was).
 */
export interface ReplanActivityDeps {
  db: Knex;
  /** The worker's calendars: each re-plan is computed ahead (services/calendars/replan-ahead.ts). */
  calendars: CalendarRegistry;
  /** Commits a write a workflow handed over (activities/request-writes.ts `writeRequest`). */
  commit: (write: RequestWrite) => Promise<unknown>;
  /** The worker's Temporal client by default (tests pass a fake). */
  client?: () => ReplanClient;
}

export function createReplanActivities({ db, calendars, commit, client = () => Context.current().client }: ReplanActivityDeps) {
  const ahead = replanAhead(calendars);
  return {
    async beginCalendarReplan(job: ReplanJob & { workflowId: string }): Promise<ReplanProgress> {
      return beginReplan(db, job);
    },

    /** Re-plans the next page of pending targets; `more` is false once none is left. */
    async replanCalendarPage(input: ReplanPageInput): Promise<{ progress: ReplanProgress; more: boolean }> {
      const targets = await pendingTargets(db, input.calendarId, input.versionId, input.pageSize);
      if (targets.length === 0) return { progress: (await readReplan(db, input.calendarId, input.versionId))!, more: false };
      const replan = { author: input.author, calendarVersionId: input.versionId, ...(input.by && { by: input.by }) };
      const rows = new Map((await findRequests(db, targets.map((t) => t.requestId))).map((row) => [row.id, snapshotFromRow(row)]));
      const outcomes = await replanTargets(
        { client: client(), concurrency: input.concurrency, updateTimeoutMs: input.updateTimeoutMs, commit, onEach: heartbeater() },
        targets,
        (t) => ahead(replan, Date.now(), rows.get(t.requestId)),
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
