// `npm start` as a supervisor sees it (systemd, a container runtime): it signals the npm process
// only, and expects the whole stack to stop and the process to exit; a component that dies is
// restarted, and one that keeps dying makes the stack exit non-zero instead of sitting half-dead.
// Each test runs the real `npm start` on free ports and a data dir of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { TEMPORAL_UI_PORT_OFFSET, freePort, freeTemporalPort, portIsFree } from '../../infra/node-services';
import { alive, commandLine, descendants, findDescendant, parentOf, running, waitFor } from './fixtures/process-tree';

const ROOT = path.resolve(__dirname, '..', '..');
const DATA_DIR = path.join(ROOT, 'data', 'e2e-supervision');

interface Started {
  npm: ChildProcess;
  ports: number[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

beforeAll(async () => {
  await rm(DATA_DIR, { recursive: true, force: true });
});

async function npmStart(env: NodeJS.ProcessEnv = {}): Promise<Started> {
  const [port, pgPort, temporalPort] = [await freePort(), await freePort(), await freeTemporalPort()];
  // global-setup prebundled the workflows: workers start in seconds rather than bundling again.
  const bundle = path.join(ROOT, 'data', 'e2e', 'workflow-bundle.js');
  const npm = spawn('npm', ['start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR,
      PORT: String(port),
      PG_PORT: String(pgPort),
      TEMPORAL_PORT: String(temporalPort),
      LOG_LEVEL: 'warn',
      ...(existsSync(bundle) && { WORKFLOW_BUNDLE_PATH: bundle }),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npm.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  npm.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
  const started: Started = { npm, ports: [port, pgPort, temporalPort, temporalPort + TEMPORAL_UI_PORT_OFFSET], output: () => output, exited };
  await waitFor(`npm start to be ready:\n${output}`, async () => {
    if (npm.exitCode !== null) throw new Error(`npm start exited (${npm.exitCode}):\n${output}`);
    return ready(port);
  });
  return started;
}

async function ready(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
  } catch {
    return false;
  }
}

/** Every process of the stack is gone and every port it listened on can be taken again. */
async function expectAllGone(pids: number[], ports: number[]): Promise<void> {
  // The postmaster's backends leave a moment after it: wait for the condition, then assert.
  await waitFor('every stack process to exit', () => pids.every((p) => !alive(p)), 30_000).catch(() => undefined);
  expect(pids.filter(alive).map((p) => `${p} ${commandLine(p)}`)).toEqual([]);
  for (const port of ports) expect(await portIsFree(port)).toBe(true);
}

const leftovers: number[] = [];
afterEach(async () => {
  // A failed assertion must not leave a stack behind.
  for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

test.each(['SIGTERM', 'SIGINT'] as const)('%s to the npm process alone stops the whole stack and exits 0', async (signal) => {
  const stack = await npmStart();
  const pids = descendants(stack.npm.pid!);
  leftovers.push(...pids);
  // What the stack is made of: PostgreSQL, the Temporal dev server, a worker and the API.
  for (const part of ['bin/postgres', 'temporal server start-dev', 'worker/main.ts', 'api/main.ts']) {
    expect(pids.some((p) => commandLine(p).includes(part))).toBe(true);
  }
  stack.npm.kill(signal);
  expect(await stack.exited).toEqual({ code: 0, signal: null });
  await expectAllGone(pids, stack.ports);
  expect(stack.output()).toMatch(new RegExp(`stopping \\(${signal}\\)`));
});

test('a killed worker is restarted; when it keeps dying the whole stack stops with exit code 1', async () => {
  // One restart allowed within the window: the second death gives up.
  const stack = await npmStart({ RESTART_MAX: '1' });
  const root = stack.npm.pid!;
  leftovers.push(...descendants(root));
  const first = findDescendant(root, 'worker/main.ts')!;
  process.kill(first, 'SIGKILL');
  const second = await waitFor('a new worker', () => {
    const pid = findDescendant(root, 'worker/main.ts');
    return pid !== undefined && pid !== first && stack.output().includes(`worker 1 restarted (pid ${pid})`) ? pid : undefined;
  });
  await waitFor('the stack to be ready again', () => ready(stack.ports[0]!));
  const pids = descendants(root);
  leftovers.push(...pids);

  process.kill(second, 'SIGKILL');
  expect(await stack.exited).toEqual({ code: 1, signal: null });
  expect(stack.output()).toMatch(/worker 1 died 2 times within 120 s: the stack cannot keep running/);
  await expectAllGone(pids, stack.ports);
});

test('SIGKILL to the start.ts process: its reaper stops every child within seconds', async () => {
  const stack = await npmStart();
  const root = stack.npm.pid!;
  const pids = descendants(root);
  leftovers.push(...pids);
  // scripts/start.ts is the process that spawned the API (npm and tsx sit above it).
  const start = parentOf(findDescendant(root, 'api/main.ts')!)!;
  expect(commandLine(start)).toMatch(/scripts\/start\.ts/);
  const children = pids.filter((p) => parentOf(p) === start);
  for (const part of ['bin/postgres', 'temporal server start-dev', 'worker/main.ts', 'api/main.ts', 'orphan-reaper-main.ts']) {
    expect([part, children.some((p) => commandLine(p).includes(part))]).toEqual([part, true]);
  }

  process.kill(start, 'SIGKILL');
  // No handler runs in the killed process: only the reaper can stop them. Orphans' zombies may
  // linger (PID 1 need not reap them): a zombie runs nothing and holds no port.
  await waitFor('every stack process to exit after the SIGKILL', () => !pids.some(running), 60_000).catch(() => undefined);
  expect(pids.filter(running).map((p) => `${p} ${commandLine(p)}`)).toEqual([]);
  for (const port of stack.ports) expect(await portIsFree(port)).toBe(true);
  await stack.exited;
});
