// `npm start`: the whole product on this machine. Embedded PostgreSQL (data/pg), the Temporal
// dev server (data/temporal.db, Web UI on port+1000), migrations, one worker, the API on PORT.
// DATABASE_URL / TEMPORAL_ADDRESS use external ones instead. Ctrl-C stops everything.
import path from 'node:path';
import { readSettings } from '../config/env';
import { startLocalStack } from '../infra/local-stack';

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const stack = await startLocalStack({
    dataDir: path.resolve(__dirname, '..', 'data'),
    databaseUrl: settings.databaseUrl,
    temporalAddress: settings.temporal.address,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    pgPort: Number(process.env.PG_PORT ?? 5433),
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233),
    apiPorts: [settings.port],
    workers: 1,
    log,
  });
  log(`ready: API ${stack.apiUrls[0]}  (try GET ${stack.apiUrls[0]}/readyz)`);
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
