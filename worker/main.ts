// Worker process entry point (`npm run worker`): runs workflows and activities until SIGINT/SIGTERM.
// Scale out by starting more of these against the same Temporal namespace and database.
import os from 'node:os';
import { intSettingFromEnv, readSettings } from '../config/env';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createKnex } from '../db/knex';
import { describeNotificationSettings, readNotificationSettings } from '../notifications/settings';
import { createWorker } from './create-worker';
import { workflowThreadsFromEnv } from './workflow-threads';
import { workflowThreadSettings } from './workflow-thread-settings';
import { installSdkMetrics, sdkMetricsAddress } from './sdk-metrics';

async function main(): Promise<void> {
  const settings = readSettings();
  if (!settings.databaseUrl) throw new Error('DATABASE_URL is required by the worker');
  if (!settings.temporal.address) throw new Error('TEMPORAL_ADDRESS is required by the worker');
  installSdkMetrics(sdkMetricsAddress(process.env.WORKER_METRICS_ADDRESS));
  // Fails fast on a malformed SMTP_URL / WEBHOOK_SIGNING_SECRET; an unset channel only fails its deliveries.
  // (createActivities reads the same variables; create-worker.ts could pass these settings through.)
  const notifications = describeNotificationSettings(readNotificationSettings());
  // Every workflow task in flight may hold one connection for its write and one per delivery
  // attempt: a breach storm fills the default pool of 10 (WORKER_DB_POOL_MAX, default 20).
  const db = createKnex(settings.databaseUrl, { max: intSettingFromEnv('WORKER_DB_POOL_MAX') ?? 20 });
  const { worker, connection } = await createWorker({
    connection: temporalConnectionOptions(settings.temporal, settings.temporal.address),
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    db,
    identity: `worker-${process.pid}@${os.hostname()}`,
    // 0 turns the sticky cache off (the SDK's meaning of 0).
    maxCachedWorkflows: intSettingFromEnv('WORKER_MAX_CACHED_WORKFLOWS', { min: 0 }),
    maxConcurrentWorkflowTasks: intSettingFromEnv('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'),
    workflowThreads: workflowThreadsFromEnv(),
    workflowBundle: process.env.WORKFLOW_BUNDLE_PATH ? { codePath: process.env.WORKFLOW_BUNDLE_PATH } : undefined,
  });
  // Set by workflow-thread-setup.mjs; a worker started without it (not by `npm run worker`) keeps the SDK's defaults.
  const { stackTraces: workflowStackTraces, deadlockDetection: workflowDeadlockDetection } = workflowThreadSettings() ?? { stackTraces: 'on', deadlockDetection: 'on' };
  console.log(
    JSON.stringify({ msg: 'worker polling', taskQueue: settings.temporal.taskQueue, pid: process.pid, notifications, workflowStackTraces, workflowDeadlockDetection }),
  );
  // Worker.run() installs its own SIGINT/SIGTERM handlers and drains before resolving.
  try {
    await worker.run();
  } finally {
    await connection.close();
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
