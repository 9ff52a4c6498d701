import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS, SLA_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { adoptChild, childSpawnOptions } from './orphan-reaper';
import { stopChild } from './stop-child';

export { stopChild };

/**
 * The local Temporal: `temporal server start-dev` from the CLI built into .tools/ by setup,
 * persisting to a SQLite file so a restart keeps every workflow and timer. Production points
 * TEMPORAL_ADDRESS at a cluster or Temporal Cloud instead.
 */
export const TEMPORAL_CLI = path.resolve(__dirname, '..', '.tools', 'bin', 'temporal');

export interface LocalTemporal {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  /** SIGTERM by default; the crash tests pass SIGKILL. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startTemporalDevServer(opts: {
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  log?: (line: string) => void;
}): Promise<LocalTemporal> {
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`${TEMPORAL_CLI} is missing: run "npm run setup" first`);
  mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--db-filename', opts.dbFile,
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--ui-port', String(opts.uiPort),
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    // Write-ahead log, synced at checkpoints rather than at every commit: a commit survives a
    // kill of any process (it is in the OS's page cache); only a power cut could lose the last
    // ones. With SQLite's default rollback journal every commit waits for its fsyncs on the
    // server's one connection: in the bench's breach storm the server used a third more CPU
    // and breaches were handled later (p50 57 ms against 34 ms).
    '--sqlite-pragma', 'journal_mode=wal',
    '--sqlite-pragma', 'synchronous=normal',
    // The dev server has one history shard where a cluster has hundreds, and each shard's timer
    // queue reads at most 20 times a second (history.timerProcessorMaxPollRPS). New timers and
    // workflow-task timeouts each ask for a read, so a breach storm used the whole budget, and a
    // rate-limited read parks the timer queue for 3 s: every due breach fired late together.
    '--dynamic-config-value', 'history.timerProcessorMaxPollRPS=1000',
    // The timer queue takes its reader for stuck when three reads in a row start from the same
    // second, and moves that second's tasks to a second reader: a pause. In a storm, reads come
    // many times a second, so it fired on a healthy queue (the history service's queue_actions
    // metric, reader_stuck, rose at each stall). Off on the dev server: a genuinely stuck task
    // there only holds back the deletion of completed tasks.
    '--dynamic-config-value', 'history.queueReaderStuckCriticalAttempts=0',
    // The desk's custom search attributes (workflows/search-attributes.ts), registered at every start.
    ...SEARCH_ATTRIBUTE_DEFINITIONS.flatMap((d) => ['--search-attribute', d]),
  ];
  const child = spawn(TEMPORAL_CLI, args, { stdio: ['ignore', 'pipe', 'pipe'], ...childSpawnOptions() });
  adoptChild(child);
  const log = opts.log ?? (() => undefined);
  // The last output is kept so a failed start says why.
  const recent: string[] = [];
  const onOutput = (d: Buffer) => {
    const text = d.toString().trimEnd();
    recent.push(text);
    if (recent.length > 20) recent.shift();
    log(text);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);
  const address = `127.0.0.1:${opts.port}`;
  try {
    await waitForFrontend(address, opts.namespace, child);
    await ensureSearchAttributes(address, opts.namespace);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n${recent.join("\n")}`, { cause: err });
  }
  return {
    address,
    uiUrl: `http://127.0.0.1:${opts.uiPort}`,
    process: child,
    stop: (signal?: NodeJS.Signals) => stopChild(child, signal),
  };
}

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
};

/**
 * Registers the SLA search attributes the namespace lacks. The start-dev flags register them
 * only in a new database; a data/temporal.db from an earlier release needs this.
 */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<string[]> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    const have = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = Object.values(SLA_SEARCH_ATTRIBUTES).filter((k) => !(k.name in (have.customAttributes ?? {})));
    if (missing.length > 0) {
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((k) => [k.name, INDEXED[k.type]!])) });
    }
    return missing.map((k) => k.name);
  } finally {
    await connection.close();
  }
}

/** The frontend answers before the namespace is registered: wait for both. */
async function waitForFrontend(address: string, namespace: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`temporal dev server exited with code ${child.exitCode}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`temporal dev server at ${address} not ready after 60 s: ${String(lastError)}`);
}
