// `npm run bench`: every benchmark, each next to a baseline measured in the same run.
// Starts its own stack (fresh data/bench: embedded PostgreSQL, dev server, 1 worker, 1 API).
// Figures are printed, never asserted.
import { randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startLocalStack } from '../infra/local-stack';
import { freePort } from '../infra/node-services';
import { workflowThreadSettings } from '../worker/workflow-thread-settings';
import { runApiLoadBench } from './api-load.bench';
import { runCalendarBench } from './calendar.bench';
import { runQueriesBench } from './queries.bench';
import { runRegistrationBench } from './registration.bench';
import { runReplanBench } from './replan.bench';
import { runScreenBench } from './screen.bench';
import { runSlaTimerBench } from './sla-timers.bench';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
/** Alternating rounds of registration and its update-with-start floor (each round a share of BENCH_COUNT). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Requests whose breaches fall due in the same minutes (lateness, cost of open requests). */
const TIMER_COUNT = Number(process.env.BENCH_TIMER_COUNT ?? 1000);
/** Open requests re-planned by one calendar change (10,000 took ~4 min here; see the closing note). */
const REPLAN_COUNT = Number(process.env.BENCH_REPLAN_COUNT ?? 1000);
/** Open requests on the screen's board, and registrations timed until an open board hears of them. */
const BOARD_COUNT = Number(process.env.BENCH_BOARD_COUNT ?? 10_000);
const PUSH_COUNT = Number(process.env.BENCH_PUSH_COUNT ?? 50);
/** Closed requests inserted for the list, report and metrics queries (a year's worth). */
const CLOSED_COUNT = Number(process.env.BENCH_CLOSED_COUNT ?? 100_000);
/** Times each query is run (the report a tenth as often). */
const QUERY_REPEATS = Number(process.env.BENCH_QUERY_REPEATS ?? 50);
/** Comma-separated phases to run (calendar, registration, api, timers, replan, screen, queries); all by default. */
const ONLY = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const runs = (phase: string) => ONLY.size === 0 || ONLY.has(phase);
const WEBHOOK_SECRET = randomBytes(24).toString('base64url');
/** A file that receives the stack's own log lines (API, worker, Temporal), e.g. to see why a request failed. */
const LOG_FILE = process.env.BENCH_LOG;

async function main(): Promise<void> {
  // The baseline workers run in this process: keep their lifecycle chatter out of the figures.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const lines: string[] = [];
  const print = (l: string) => {
    lines.push(l);
    console.log(l);
  };
  // Set by worker/workflow-thread-setup.mjs (npm run bench loads it, as npm run worker does): both sides of every ratio run with it.
  const threads = workflowThreadSettings();
  const threadSettings = threads
    ? `workflow stack traces ${threads.stackTraces}, deadlock detection ${threads.deadlockDetection}`
    : "workflow threads on the SDK's defaults in the baseline workers only (start it with npm run bench)";
  print(`sla-orchestrator bench — ${new Date().toISOString()} — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}, ${threadSettings}`);
  print(
    `command: BENCH_COUNT=${COUNT} BENCH_CONCURRENCY=${CONCURRENCY} BENCH_ROUNDS=${ROUNDS} BENCH_TIMER_COUNT=${TIMER_COUNT} BENCH_REPLAN_COUNT=${REPLAN_COUNT} BENCH_BOARD_COUNT=${BOARD_COUNT} BENCH_PUSH_COUNT=${PUSH_COUNT} BENCH_CLOSED_COUNT=${CLOSED_COUNT} BENCH_QUERY_REPEATS=${QUERY_REPEATS}${ONLY.size ? ` BENCH_ONLY=${[...ONLY].join(',')}` : ''} npm run bench`,
  );

  // Pure CPU first, on a quiet machine; then the services.
  if (runs('calendar')) for (const l of await runCalendarBench()) print(l);

  const dataDir = path.resolve(__dirname, '..', 'data', 'bench');
  await rm(dataDir, { recursive: true, force: true });
  const stack = await startLocalStack({
    dataDir,
    namespace: 'default',
    taskQueue: 'bench-support-requests',
    apiPorts: [await freePort()],
    workers: 1,
    prebundle: true,
    ...(LOG_FILE && { log: (line: string) => appendFileSync(LOG_FILE, `${line}\n`) }),
    // A bootstrap admin key for this run only; no rate limit (the bench is the load).
    // Webhooks to the bench's own loopback receiver (the breach storm's notifications).
    extraEnv: {
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: randomBytes(32).toString('base64url'),
      RATE_LIMIT_PER_MINUTE: '0',
      WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
      WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
    },
  });
  try {
    if (runs('registration')) for (const l of await runRegistrationBench(stack, { count: COUNT, concurrency: CONCURRENCY, rounds: ROUNDS })) print(l);
    if (runs('api')) for (const l of await runApiLoadBench(stack, { count: COUNT, concurrency: CONCURRENCY })) print(l);
    if (runs('timers')) for (const l of await runSlaTimerBench(stack, { count: TIMER_COUNT, concurrency: CONCURRENCY, dataDir, webhookSecret: WEBHOOK_SECRET })) print(l);
    if (runs('replan')) for (const l of await runReplanBench(stack, { count: REPLAN_COUNT })) print(l);
    // Last: these leave BENCH_BOARD_COUNT open rows and BENCH_CLOSED_COUNT closed ones behind.
    if (runs('screen')) for (const l of await runScreenBench(stack, { openRequests: BOARD_COUNT, pushes: PUSH_COUNT })) print(l);
    if (runs('queries')) for (const l of await runQueriesBench(stack, { closed: CLOSED_COUNT, repeats: QUERY_REPEATS })) print(l);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
