// `npm run bench`: every benchmark, each next to a baseline measured in the same run.
// Starts its own stack (fresh data/bench: embedded PostgreSQL, dev server, 1 worker, 1 API).
// Figures are printed, never asserted.
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../infra/local-stack';
import { freePort } from '../infra/node-services';
import { runCalendarBench } from './calendar.bench';
import { runRegistrationBench } from './registration.bench';

const COUNT = Number(process.env.BENCH_COUNT ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function main(): Promise<void> {
  const lines: string[] = [];
  const print = (l: string) => {
    lines.push(l);
    console.log(l);
  };
  print(`sla-orchestrator bench — ${new Date().toISOString()} — ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}, Node ${process.version}`);
  print(`command: BENCH_COUNT=${COUNT} BENCH_CONCURRENCY=${CONCURRENCY} npm run bench`);

  // Pure CPU first, on a quiet machine; then the services.
  for (const l of await runCalendarBench()) print(l);

  const dataDir = path.resolve(__dirname, '..', 'data', 'bench');
  await rm(dataDir, { recursive: true, force: true });
  const stack = await startLocalStack({
    dataDir,
    namespace: 'default',
    taskQueue: 'bench-support-requests',
    apiPorts: [await freePort()],
    workers: 1,
    prebundle: true,
    extraEnv: { LOG_LEVEL: 'warn' },
  });
  try {
    for (const l of await runRegistrationBench(stack, { count: COUNT, concurrency: CONCURRENCY })) print(l);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
