// `npm start`: the whole product on this machine. Embedded PostgreSQL (data/pg), the Temporal
// dev server (data/temporal.db, Web UI on port+1000), migrations, one worker, the API on PORT.
// DATABASE_URL / TEMPORAL_ADDRESS use external ones instead. Ctrl-C stops everything.
import path from 'node:path';
import { readSettings } from '../config/env';
import { describeSecret, localSecret } from '../infra/local-secrets';
import { startLocalStack } from '../infra/local-stack';

const DATA_DIR = path.resolve(__dirname, '..', 'data');

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  // ADMIN_API_KEY and WEBHOOK_SIGNING_SECRET from the environment, else generated once under data/
  // (without a signing secret every webhook would stay pending: they are never sent unsigned).
  const adminKey = localSecret(DATA_DIR, 'admin-api-key', 'ADMIN_API_KEY', 'local-admin-');
  const signingSecret = localSecret(DATA_DIR, 'webhook-signing-secret', 'WEBHOOK_SIGNING_SECRET', 'local-whsec-');
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
    extraEnv: { ADMIN_API_KEY: adminKey.value, WEBHOOK_SIGNING_SECRET: signingSecret.value },
    log,
  });
  log(`ready: API ${stack.apiUrls[0]}  (docs ${stack.apiUrls[0]}/docs, health ${stack.apiUrls[0]}/readyz)`);
  log(`admin API key: ${describeSecret(adminKey)}`);
  log(`webhook signing secret: ${'env' in signingSecret.source ? '$WEBHOOK_SIGNING_SECRET' : `kept in ${signingSecret.source.file} (receivers verify X-SLA-Signature with it)`}`);
  if (stack.temporalUiUrl) log(`Temporal Web UI: ${stack.temporalUiUrl}/namespaces/${settings.temporal.namespace}/workflows`);

  let stopping = false;
  const shutdown = async (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping (${why})`);
    await stack.stop();
    log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  for (const child of [...stack.workers, ...stack.apis]) {
    child.once('exit', (code, signal) => void shutdown(`a service exited (code ${code}, signal ${signal})`));
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
