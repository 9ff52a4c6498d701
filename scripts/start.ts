// `npm start`: the whole product on this machine. Embedded PostgreSQL (data/pg), the Temporal
// dev server (data/temporal.db, Web UI on port+1000), migrations, one worker, the API on PORT.
// DATABASE_URL / TEMPORAL_ADDRESS use external ones instead. SIGINT (Ctrl-C), SIGTERM or SIGHUP
// to this process stops everything and exits 0. A process that dies is restarted with a back-off;
// one that keeps dying stops the whole stack with exit code 1, for an outer supervisor to act.
// Killed outright (SIGKILL), its children are stopped by a detached reaper within seconds.
import path from 'node:path';
import { readSettings } from '../config/env';
import { localSecret } from '../infra/local-secrets';
import { startOrphanReaper } from '../infra/orphan-reaper';
import { startLocalStack, type LocalStack } from '../infra/local-stack';
import { restartPolicyFromEnv } from '../infra/restart-policy';

// DATA_DIR moves the local state (tests run a second stack beside the developer's one).
const DATA_DIR = path.resolve(process.env.DATA_DIR || path.join(__dirname, '..', 'data'));

async function main(): Promise<void> {
  // Before any child: if this process is killed outright (SIGKILL, the OOM killer), the reaper
  // stops the children instead of leaving them running (infra/orphan-reaper.ts).
  startOrphanReaper();
  const settings = readSettings();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  // ADMIN_API_KEY and WEBHOOK_SIGNING_SECRET from the environment, else generated once under data/
  // (without a signing secret every webhook would stay pending: they are never sent unsigned).
  const adminKey = localSecret(DATA_DIR, 'admin-api-key', 'ADMIN_API_KEY', 'local-admin-').value;
  const signingSecret = localSecret(DATA_DIR, 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'local-whsec-');

  // Handlers first: a signal during start-up aborts it and stops what has already started.
  const running: { stack?: LocalStack } = {};
  let stopping = false;
  const aborter = new AbortController();
  const shutdown = async (why: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why})`);
    aborter.abort();
    // Not started yet: startLocalStack sees the abort, stops what it started and rejects.
    if (!running.stack) {
      process.exitCode = exitCode;
      return;
    }
    await running.stack.stop();
    log('stopped');
    process.exit(exitCode);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal, 0));

  const stack = await startLocalStack({
    dataDir: DATA_DIR,
    databaseUrl: settings.databaseUrl,
    temporalAddress: settings.temporal.address,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    pgPort: Number(process.env.PG_PORT ?? 5433),
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    apiPorts: [settings.port],
    workers: 1,
    extraEnv: { ADMIN_API_KEY: adminKey, WEBHOOK_SIGNING_SECRET: signingSecret.value },
    log,
    signal: aborter.signal,
    supervise: { policy: restartPolicyFromEnv(), onGiveUp: (reason) => void shutdown(`${reason}: the stack cannot keep running`, 1) },
  });
  running.stack = stack;
  if (stopping) {
    await stack.stop();
    process.exit(0);
  }
  log(`ready: API ${stack.apiUrls[0]}  (docs ${stack.apiUrls[0]}/docs, health ${stack.apiUrls[0]}/readyz)`);
  log(`the desk's screen: ${stack.apiUrls[0]}/ui/  (sign in with an API key)`);
  log(`admin API key: ${process.env.ADMIN_API_KEY ? '$ADMIN_API_KEY' : `${adminKey}  (kept in ${path.relative(process.cwd(), path.join(DATA_DIR, 'admin-api-key'))})`}`);
  log(
    `webhook signing secret: ${'env' in signingSecret.source ? '$WEBHOOK_SIGNING_SECRET' : `kept in ${path.relative(process.cwd(), signingSecret.source.file)} (receivers verify X-SLA-Signature with it)`}`,
  );
  if (stack.temporalUiUrl) log(`Temporal Web UI: ${stack.temporalUiUrl}/namespaces/${settings.temporal.namespace}/workflows`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  // A start-up aborted by a signal is a requested stop, not a failure.
  process.exit(process.exitCode ?? 1);
});
