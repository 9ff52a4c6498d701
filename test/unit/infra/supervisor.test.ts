// The supervisor on real processes: a killed child is replaced, and one that keeps dying makes
// the supervisor give up (the stack's owner then stops everything and exits non-zero).
import { spawn, type ChildProcess } from 'node:child_process';
import { supervise, type SupervisedProcess, type Supervisor } from '../../../infra/supervisor';

const policy = { maxRestarts: 2, windowMs: 60_000, initialDelayMs: 10, maxDelayMs: 50 };
const children: ChildProcess[] = [];
let supervisor: Supervisor | undefined;

function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  children.push(child);
  return child;
}

function slot(name: string, start: () => ChildProcess = sleeper): SupervisedProcess & { starts: number } {
  let current = start();
  const proc = {
    name,
    starts: 1,
    current: () => current,
    restart: async () => {
      current = start();
      proc.starts++;
    },
  };
  return proc;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

afterEach(async () => {
  supervisor?.stop();
  for (const c of children.splice(0)) {
    c.kill('SIGKILL');
    await exited(c);
  }
});

test('a child killed with SIGKILL is started again; the others are left alone', async () => {
  const worker = slot('worker');
  const api = slot('api');
  const apiPid = api.current().pid;
  const log: string[] = [];
  supervisor = supervise([worker, api], { policy, log: (l) => log.push(l), onGiveUp: () => log.push('gave up') });
  const first = worker.current();
  first.kill('SIGKILL');
  await until(() => worker.starts === 2);
  expect(worker.current().pid).not.toBe(first.pid);
  expect(worker.current().exitCode).toBeNull();
  expect(api.current().pid).toBe(apiPid);
  await until(() => log.some((l) => l.startsWith('worker restarted')));
  expect(log).toContain('worker exited (code null, signal SIGKILL); restarting in 10 ms');
  expect(log).not.toContain('gave up');
});

test('a child that keeps dying makes the supervisor give up once, without restarting it again', async () => {
  // Exits at once, every time.
  const crashing = slot('temporal', () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(3)'], { stdio: 'ignore' });
    children.push(child);
    return child;
  });
  const reasons: string[] = [];
  supervisor = supervise([crashing], { policy, log: () => undefined, onGiveUp: (reason) => reasons.push(reason) });
  await until(() => reasons.length > 0);
  expect(reasons).toEqual(['temporal died 3 times within 60 s']);
  // 1 start + 2 restarts, then no more.
  expect(crashing.starts).toBe(3);
});

test('a restart that fails counts as a death', async () => {
  let failures = 0;
  const proc: SupervisedProcess = {
    name: 'postgres',
    current: (() => {
      const child = sleeper();
      return () => child;
    })(),
    restart: async () => {
      failures++;
      throw new Error('lock file "postmaster.pid" already exists');
    },
  };
  const reasons: string[] = [];
  supervisor = supervise([proc], { policy, log: () => undefined, onGiveUp: (r) => reasons.push(r) });
  proc.current().kill('SIGKILL');
  await until(() => reasons.length > 0);
  expect(failures).toBe(2);
  expect(reasons).toEqual(['postgres died 3 times within 60 s']);
});

test('after stop() a death is not restarted', async () => {
  const worker = slot('worker');
  supervisor = supervise([worker], { policy, log: () => undefined, onGiveUp: () => undefined });
  supervisor.stop();
  const child = worker.current();
  child.kill('SIGKILL');
  await exited(child);
  // Give a wrongly scheduled restart every chance to happen (the restart delay is 10 ms).
  await new Promise((r) => setTimeout(r, 100));
  expect(worker.starts).toBe(1);
});
