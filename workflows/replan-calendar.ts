import { continueAsNew, defineQuery, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ReplanActivities, ReplanJob } from '../activities/calendar-replan';
import type { ReplanProgress } from '../db/queries/calendar-replans';
import type { ReplanReport } from '../services/calendars/replan-updates';

export interface ReplanCalendarInput extends ReplanJob {
  /** Updates in flight at once (the window). Default 64. */
  concurrency?: number;
  /** Targets per page (one activity). Default 500. */
  pageSize?: number;
  /** Pages per workflow run before continue-as-new (keeps the history small). Default 20. */
  pagesPerRun?: number;
  /** Give up on one request's Update after this long (it is then reported as failed). Default 30 s. */
  updateTimeoutMs?: number;
}

/** Where the re-plan stands; undefined until its targets are selected. */
export const replanProgressQuery = defineQuery<ReplanProgress | undefined>('progress');

export { replanWorkflowId } from './replan-calendar-id';

const { beginCalendarReplan, replanCalendarPage, finishCalendarReplan } = proxyActivities<ReplanActivities>({
  // A page's Updates each give up after updateTimeoutMs; a silent worker is noticed by the heartbeat.
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Re-plans every open request on a calendar onto a new version: the targets are selected once
 * (PostgreSQL), then re-planned page by page, each page an activity sending its Updates with a
 * bounded window. Durable: a killed worker's page is retried (only the Updates without a recorded
 * outcome are resent, and the server de-duplicates them by Update id); the progress is in
 * PostgreSQL (`GET /v1/calendars/:id/versions/:versionId/replan`) and in the `progress` query.
 */
export async function replanCalendar(input: ReplanCalendarInput): Promise<ReplanReport> {
  let progress: ReplanProgress | undefined;
  setHandler(replanProgressQuery, () => progress);
  const job: ReplanJob = { calendarId: input.calendarId, versionId: input.versionId, author: input.author, ...(input.by && { by: input.by }) };
  const concurrency = input.concurrency ?? 64;
  // Idempotent: the next run (continue-as-new) finds the targets already selected.
  progress = await beginCalendarReplan({ ...job, workflowId: workflowInfo().workflowId });
  const pagesPerRun = input.pagesPerRun ?? 20;
  for (let page = 0; ; page++) {
    if (page >= pagesPerRun) await continueAsNew<typeof replanCalendar>(input);
    const result = await replanCalendarPage({ ...job, pageSize: input.pageSize ?? 500, concurrency, updateTimeoutMs: input.updateTimeoutMs ?? 30_000 });
    progress = result.progress;
    if (!result.more) break;
  }
  const report = await finishCalendarReplan({ calendarId: input.calendarId, versionId: input.versionId, concurrency });
  progress = { ...progress, status: 'finished' };
  return report;
}
