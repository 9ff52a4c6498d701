/**
 * One run of a contract's periodic report, started by its Temporal Schedule
 * (`contract-report-<contract id>`, see services/contract-report-schedule.ts) at the end of each
 * period, or by `handle.trigger()`. The activity produces and stores the report and enqueues its
 * notifications; the workflow then delivers each outbox row (retried like the request
 * workflow's notices). Deterministic: the run instant is the workflow's own clock.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ContractReportResult } from '../activities/contract-reports';
import { delivery, notifier } from './activity-proxies';

const reports = proxyActivities<Pick<Activities, 'produceContractReport'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 },
});

export interface ContractReportInput {
  contractId: string;
}

export interface ContractReportOutcome extends ContractReportResult {
  /** Outbox rows delivered; the others failed after their retries (recorded on the row). */
  delivered: number[];
}

export async function contractReport(input: ContractReportInput): Promise<ContractReportOutcome> {
  const result = await reports.produceContractReport({ contractId: input.contractId, atMs: Date.now() });
  const delivered: number[] = [];
  await Promise.all(
    result.outboxIds.map(async (id) => {
      try {
        await delivery.deliverNotification(id);
        delivered.push(id);
      } catch (err) {
        // Retries exhausted: the row says why, as for a request's notices.
        const error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
        await notifier.markNotificationFailed(id, error);
      }
    }),
  );
  return { ...result, delivered: delivered.sort((a, b) => a - b) };
}
