/**
 * A contract's periodic report as a Temporal Schedule (`contract-report-<contract id>`), created,
 * updated and removed with the contract's reporting terms. Schedules live in Temporal: they
 * survive restarts of the API and the workers, and every API process sees the same one.
 */
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptionsAction, type ScheduleSpec } from '@temporalio/client';
import { reportCalendarSpec, type ReportingPeriod } from '../domain/reports/contract-report';

export const scheduleIdFor = (contractId: string) => `contract-report-${contractId}`;

export interface ReportSchedule {
  contractId: string;
  period: ReportingPeriod;
  /** The contract calendar's zone: the period ends at midnight there. */
  timezone: string;
}

function specOf(s: ReportSchedule): ScheduleSpec {
  return { calendars: [reportCalendarSpec(s.period)], timezone: s.timezone };
}

function actionOf(s: ReportSchedule, taskQueue: string): ScheduleOptionsAction {
  return { type: 'startWorkflow', workflowType: 'contractReport', taskQueue, workflowId: scheduleIdFor(s.contractId), args: [{ contractId: s.contractId }] };
}

export function createReportScheduler(client: Client, taskQueue: string) {
  return {
    /** Creates the schedule, or brings an existing one to these terms. */
    async upsert(s: ReportSchedule): Promise<string> {
      const scheduleId = scheduleIdFor(s.contractId);
      try {
        await client.schedule.create({
          scheduleId,
          spec: specOf(s),
          action: actionOf(s, taskQueue),
          // A run missed while Temporal was down is made up within a day; never two at once.
          policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
          memo: { contractId: s.contractId },
        });
      } catch (err) {
        if (!(err instanceof ScheduleAlreadyRunning)) throw err;
        await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec: specOf(s), action: actionOf(s, taskQueue) }));
      }
      return scheduleId;
    },
    /** Removes the schedule; one already gone is fine. */
    async remove(contractId: string): Promise<void> {
      try {
        await client.schedule.getHandle(scheduleIdFor(contractId)).delete();
      } catch (err) {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      }
    },
  };
}

export type ReportScheduler = ReturnType<typeof createReportScheduler>;
