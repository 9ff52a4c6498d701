// `npm start`: the whole product on this machine. Embedded PostgreSQL (data/pg), the Temporal
// dev server (data/temporal.db, Web UI on port+1000), migrations, one worker, the API on PORT.
// DATABASE_URL / TEMPORAL_ADDRESS use external ones instead. Ctrl-C stops everything.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from '../config/env';
import { startLocalStack } from '../infra/local-stack';

const DATA_DIR = path.resolve(__dirname, '..', 'data');

/**
 * The local product needs a first admin key: ADMIN_API_KEY if set, else one generated once
 * and kept in data/admin-api-key (mode 600), so a restart keeps working with the same key.
 */
function localAdminKey(): string {
  if (process.env.ADMIN_API_KEY) return process.env.ADMIN_API_KEY;
  const file = path.join(DATA_DIR, 'admin-api-key');
  if (!existsSync(file)) {
    mkdirSync(DATA_DIR, { recursive: true });
    writeFileSync(file, `local-admin-${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

async function main(): Promise<void> {
  const settings = readSettings();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  const adminKey = localAdminKey();
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
    extraEnv: { ADMIN_API_KEY: adminKey },
    log,
  });
  log(`ready: API ${stack.apiUrls[0]}  (docs ${stack.apiUrls[0]}/docs, health ${stack.apiUrls[0]}/readyz)`);
  log(`the desk's screen: ${stack.apiUrls[0]}/ui/  (sign in with an API key)`);
  log(`admin API key: ${process.env.ADMIN_API_KEY ? '$ADMIN_API_KEY' : `${adminKey}  (kept in data/admin-api-key)`}`);
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
