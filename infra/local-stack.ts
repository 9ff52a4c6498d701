import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { writeFile, mkdir } from 'node:fs/promises';
import { createKnex, migrateLatest } from '../db/knex';
import { startEmbeddedPostgres, type LocalPostgres } from './embedded-postgres';
import { TEMPORAL_UI_PORT_OFFSET, freePort, freeTemporalPort, spawnService } from './node-services';
import type { RestartPolicy } from './restart-policy';
import { supervise, type SupervisedProcess, type Supervisor } from './supervisor';
import { startTemporalDevServer, stopChild } from './temporal-dev-server';

/**
 * The whole product on one machine: PostgreSQL, Temporal, migrations, N workers and N API
 * processes. `npm start`, the e2e tests and the bench all start it through here. Any part
 * given from outside (DATABASE_URL, TEMPORAL_ADDRESS) is used instead of a local one.
 */
export interface LocalStackOptions {
  dataDir: string;
  databaseUrl?: string;
  temporalAddress?: string;
  namespace: string;
  taskQueue: string;
  pgPort?: number;
  temporalPort?: number;
  apiPorts: number[];
  workers: number;
  /** Prebundle workflow code once (faster worker restarts in tests). */
  prebundle?: boolean;
  extraEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  /**
   * Restart a process that dies (local PostgreSQL, the Temporal dev server, workers, APIs) by
   * the policy, and call `onGiveUp` when one keeps dying. Off by default: tests that kill
   * processes on purpose restart them themselves.
   */
  supervise?: { policy: RestartPolicy; onGiveUp: (reason: string) => void };
  /** Aborting during start-up stops what has started and rejects (a signal during `npm start`). */
  signal?: AbortSignal;
}

export interface LocalStack {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  apiUrls: string[];
  workers: ChildProcess[];
  apis: ChildProcess[];
  serviceEnv: NodeJS.ProcessEnv;
  /** The local PostgreSQL, when the stack started one. */
  postgres?: LocalPostgres;
  /** The running Temporal dev server process, when the stack started one. */
  temporalProcess?(): ChildProcess;
  startWorker(): Promise<ChildProcess>;
  /** Stops the local Temporal dev server (SIGTERM, or e.g. SIGKILL for a crash). */
  stopTemporal?(signal?: NodeJS.Signals): Promise<void>;
  startTemporal?(): Promise<void>;
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => undefined);
  const stoppers: Array<() => Promise<void>> = [];
  let supervisor: Supervisor | undefined;
  const stop = async () => {
    supervisor?.stop();
    for (const s of stoppers.splice(0).reverse()) await s().catch((err) => log(`stop: ${String(err)}`));
  };
  const checkAborted = () => {
    if (opts.signal?.aborted) throw new Error('start-up aborted');
  };
  try {
    let databaseUrl = opts.databaseUrl;
    let postgres: LocalPostgres | undefined;
    if (!databaseUrl) {
      const started = Date.now();
      const pg = await startEmbeddedPostgres({ dataDir: path.join(opts.dataDir, 'pg'), port: opts.pgPort ?? (await freePort()), database: 'sla', log: () => undefined });
      postgres = pg;
      stoppers.push(() => pg.stop());
      databaseUrl = pg.url;
      log(`postgres ready in ${Date.now() - started} ms (embedded, data ${path.join(opts.dataDir, 'pg')})`);
    }

    let temporalAddress = opts.temporalAddress;
    let temporalUiUrl: string | undefined;
    let temporal: Awaited<ReturnType<typeof startTemporalDevServer>> | undefined;
    const temporalPort = opts.temporalPort ?? (await freeTemporalPort());
    const startTemporal = async () => {
      const started = Date.now();
      // A restart right after a stop can lose a race for its ports or SQLite lock: retry twice.
      for (let attempt = 1; ; attempt++) {
        try {
          temporal = await startTemporalDevServer({
            dbFile: path.join(opts.dataDir, 'temporal.db'),
            port: temporalPort,
            uiPort: temporalPort + TEMPORAL_UI_PORT_OFFSET,
            namespace: opts.namespace,
            log: (l) => log(`[temporal] ${l}`),
          });
          break;
        } catch (err) {
          if (attempt >= 3) throw err;
          log(`temporal start attempt ${attempt} failed, retrying: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 2_000));
        }
      }
      log(`temporal ready in ${Date.now() - started} ms (dev server ${temporal.address}, Web UI ${temporal.uiUrl})`);
    };
    checkAborted();
    if (!temporalAddress) {
      await startTemporal();
      stoppers.push(async () => temporal?.stop());
      temporalAddress = temporal!.address;
      temporalUiUrl = temporal!.uiUrl;
    }

    checkAborted();
    const db = createKnex(databaseUrl);
    try {
      const applied = await migrateLatest(db);
      log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations up to date');
    } finally {
      await db.destroy();
    }

    const serviceEnv: NodeJS.ProcessEnv = {
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: opts.namespace,
      TEMPORAL_TASK_QUEUE: opts.taskQueue,
      ...(temporalUiUrl ? { TEMPORAL_WEB_UI_URL: temporalUiUrl } : {}),
      // The local dev server registers the SLA search attributes at start (temporal-dev-server.ts).
      ...(temporal ? { SLA_SEARCH_ATTRIBUTES: '1' } : {}),
      ...opts.extraEnv,
    };
    if (opts.prebundle) {
      const started = Date.now();
      const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
      const bundlePath = path.join(opts.dataDir, 'workflow-bundle.js');
      await mkdir(opts.dataDir, { recursive: true });
      await writeFile(bundlePath, code);
      serviceEnv.WORKFLOW_BUNDLE_PATH = bundlePath;
      log(`workflow bundle built in ${Date.now() - started} ms`);
    }

    const workers: ChildProcess[] = [];
    const apis: ChildProcess[] = [];
    stoppers.push(async () => {
      await Promise.all([...apis, ...workers].map((c) => stopChild(c)));
    });
    const startWorker = async () => {
      const child = await spawnService('worker', serviceEnv, log);
      workers.push(child);
      return child;
    };
    checkAborted();
    await Promise.all(Array.from({ length: opts.workers }, () => startWorker()));
    checkAborted();
    // apis[i] serves apiPorts[i] (not whichever became ready first): restarts rely on it.
    await Promise.all(
      opts.apiPorts.map(async (port, i) => {
        apis[i] = await spawnService('api', { ...serviceEnv, PORT: String(port) }, log);
      }),
    );
    checkAborted();

    if (opts.supervise) {
      // Each slot restarts in place: workers[i] and apis[i] always name the live process.
      const slot = (name: string, list: ChildProcess[], index: number, env: NodeJS.ProcessEnv): SupervisedProcess => ({
        name,
        current: () => list[index]!,
        restart: async () => {
          list[index] = await spawnService(list === apis ? 'api' : 'worker', env, log);
        },
      });
      const supervised: SupervisedProcess[] = [
        ...workers.map((_, i) => slot(`worker ${i + 1}`, workers, i, serviceEnv)),
        ...apis.map((_, i) => slot(`api :${opts.apiPorts[i]}`, apis, i, { ...serviceEnv, PORT: String(opts.apiPorts[i]) })),
      ];
      if (temporal) supervised.push({ name: 'temporal dev server', current: () => temporal!.process, restart: startTemporal });
      if (postgres) supervised.push({ name: 'postgres', current: () => postgres.process, restart: () => postgres.restart() });
      supervisor = supervise(supervised, { policy: opts.supervise.policy, log, onGiveUp: opts.supervise.onGiveUp });
    }

    return {
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      apiUrls: opts.apiPorts.map((p) => `http://127.0.0.1:${p}`),
      workers,
      apis,
      serviceEnv,
      postgres,
      ...(temporal ? { temporalProcess: () => temporal!.process } : {}),
      startWorker,
      ...(temporal
        ? {
            stopTemporal: async (signal?: NodeJS.Signals) => temporal!.stop(signal),
            startTemporal,
          }
        : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
