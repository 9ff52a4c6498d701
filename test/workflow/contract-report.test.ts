// The contract-report workflow on the time-skipping server: it produces the report at the run's
// own instant, delivers every outbox row it was given, and records a delivery that cannot succeed.
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { ContractReportRun } from '../../activities/contract-reports';
import { recordingActivities, withWorker } from './harness';
import { createTestEnv } from './test-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
}, 60_000);
afterAll(async () => {
  await env?.teardown();
});

test('a run produces the report at its start instant and delivers its notifications; a refused one is marked failed', async () => {
  const rec = recordingActivities();
  const runs: ContractReportRun[] = [];
  const delivered: number[] = [];
  const failed: Array<{ id: number; error: string }> = [];
  const activities = {
    ...rec.activities,
    async produceContractReport(run: ContractReportRun) {
      runs.push(run);
      return { reportId: '7', period: { from: '2027-02-01', to: '2027-02-28' }, requests: 3, outboxIds: [11, 12] };
    },
    async deliverNotification(id: number) {
      if (id === 12) throw ApplicationFailure.nonRetryable('webhookUrl refused (https_required)', 'DeliveryRejected');
      delivered.push(id);
      return 'delivered' as const;
    },
    async markNotificationFailed(id: number, error: string) {
      failed.push({ id, error });
    },
  };
  const started = await env.currentTimeMs();
  const result = await withWorker(env, activities, (taskQueue) =>
    env.client.workflow.execute('contractReport', { taskQueue, workflowId: 'contract-report-C-1-test', args: [{ contractId: 'C-1' }] }),
  );
  expect(runs).toHaveLength(1);
  expect(runs[0]!.contractId).toBe('C-1');
  expect(runs[0]!.atMs).toBeGreaterThanOrEqual(started);
  expect(result).toMatchObject({ reportId: '7', requests: 3, outboxIds: [11, 12], delivered: [11] });
  expect(delivered).toEqual([11]);
  expect(failed).toEqual([{ id: 12, error: 'webhookUrl refused (https_required)' }]);
});

test('a contract without reporting terms (removed meanwhile) produces and sends nothing', async () => {
  const rec = recordingActivities();
  const result = await withWorker(env, rec.activities, (taskQueue) =>
    env.client.workflow.execute('contractReport', { taskQueue, workflowId: 'contract-report-C-2-test', args: [{ contractId: 'C-2' }] }),
  );
  expect(result).toEqual({ reportId: null, outboxIds: [], delivered: [] });
  expect(rec.delivered).toEqual([]);
});
