/**
 * Re-plans after a calendar change, as the API sees them: adding a version starts one durable
 * workflow (workflows/replan-calendar.ts) per (calendar, version); the progress is read from
 * PostgreSQL, so any API process answers it.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import { listReplans, openRequestsOnVersion, readReplan, type ReplanProgress } from '../../db/queries/calendar-replans';
import type { Actor } from '../../domain/request/snapshot';
import type { replanCalendar, ReplanCalendarInput } from '../../workflows/replan-calendar';
import { replanWorkflowId } from '../../workflows/replan-calendar-id';
import type { ReplanReport } from './replan-updates';
import { UnknownCalendarError, type CalendarRegistry } from '../calendar-registry';

export type { ReplanReport };

export interface ReplanServiceDeps {
  client: Client;
  db: Knex;
  taskQueue: string;
  /** Where the board's re-plans take their calendar's time zone from. */
  calendars: CalendarRegistry;
  /** Window, page size and per-Update timeout of every re-plan (defaults in the workflow). */
  settings?: Pick<ReplanCalendarInput, 'concurrency' | 'pageSize' | 'pagesPerRun' | 'updateTimeoutMs'>;
}

export interface ReplanStatus {
  calendarId: string;
  versionId: string;
  /** Open requests on the calendar now, and how many of them are on the version (the projection). */
  openRequests: number;
  onVersion: number;
  pending: number;
  /** The re-plan workflow's progress; null when none was started for this version. */
  replan: ReplanProgress | null;
}

export function createReplanService(deps: ReplanServiceDeps) {
  /** The version's time zone; null for a calendar deleted since (the board then uses the browser's). */
  async function timezoneOf(calendarId: string, versionId: string): Promise<string | null> {
    try {
      return (await deps.calendars.resolve(calendarId, { versionId })).timezone;
    } catch (err) {
      if (err instanceof UnknownCalendarError) return null;
      throw err;
    }
  }

  /**
   * Starts the re-plan of `versionId`, or finds the one already started (running or done): one
   * workflow per version whoever asks and however often. A failed or terminated one starts again.
   */
  async function start(calendarId: string, versionId: string, author: string, by?: Actor): Promise<WorkflowHandle<typeof replanCalendar>> {
    const workflowId = replanWorkflowId(calendarId, versionId);
    const input: ReplanCalendarInput = { calendarId, versionId, author, ...(by && { by }), ...deps.settings };
    try {
      return await deps.client.workflow.start<typeof replanCalendar>('replanCalendar', {
        workflowId,
        taskQueue: deps.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
    } catch (err) {
      // Completed before: its report stands (a repeat of the same version re-plans nothing new).
      if (err instanceof WorkflowExecutionAlreadyStartedError) return deps.client.workflow.getHandle<typeof replanCalendar>(workflowId);
      throw err;
    }
  }

  return {
    start,
    /** Starts (or finds) the re-plan and waits for its report. */
    async run(calendarId: string, versionId: string, author: string, by?: Actor): Promise<ReplanReport> {
      return (await start(calendarId, versionId, author, by)).result();
    },
    /**
     * What the board shows: re-plans running now and those finished in the last hour, each with
     * its calendar's time zone (the board shows their instants there, as it shows the deadlines).
     */
    async recent(): Promise<Array<ReplanProgress & { timezone: string | null }>> {
      const replans = await listReplans(deps.db, { recentMs: 3_600_000, limit: 20 });
      return Promise.all(replans.map(async (r) => ({ ...r, timezone: await timezoneOf(r.calendarId, r.versionId) })));
    },
    async status(calendarId: string, versionId: string): Promise<ReplanStatus> {
      const [counts, replan] = await Promise.all([openRequestsOnVersion(deps.db, calendarId, versionId), readReplan(deps.db, calendarId, versionId)]);
      return { calendarId, versionId, ...counts, pending: counts.openRequests - counts.onVersion, replan: replan ?? null };
    },
  };
}

export type ReplanService = ReturnType<typeof createReplanService>;
