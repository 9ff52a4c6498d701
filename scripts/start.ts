// `npm start`: the whole product on this machine. Embedded PostgreSQL (data/pg), the Temporal
// dev server (data/temporal.db, Web UI on port+1000), migrations, one worker, the API on PORT.
// DATABASE_URL / TEMPORAL_ADDRESS use external ones instead. SIGINT (Ctrl-C), SIGTERM or SIGHUP
// to this process stops everything and exits 0. A process that dies is restarted with a back-off;
// one that keeps dying stops the whole stack with exit code 1, for an outer supervisor to act.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readSettings } from '../config/env';
import { startLocalStack, type LocalStack } from '../infra/local-stack';
import { restartPolicyFromEnv } from '../infra/restart-policy';

// DATA_DIR moves the local state (tests run a second stack beside the developer's one).
const DATA_DIR = path.resolve(process.env.DATA_DIR || path.join(__dirname, '..', 'data'));

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
    extraEnv: { ADMIN_API_KEY: adminKey },
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
  if (stack.temporalUiUrl) log(`Temporal Web UI: ${stack.temporalUiUrl}/namespaces/${settings.temporal.namespace}/workflows`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  // A start-up aborted by a signal is a requested stop, not a failure.
  process.exit(process.exitCode ?? 1);
});
