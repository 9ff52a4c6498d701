import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { adoptChild, childSpawnOptions } from './orphan-reaper';

const ROOT = path.resolve(__dirname, '..');

// Ports we pick for our own servers come from below Linux's ephemeral range (32768-60999 by
// default). The kernel takes every outgoing connection's local port from that range, and other
// programs' port-0 listeners land there too (the Temporal dev server's internal services among
// them), so a port found free there can be gone by the time our server binds it.
const PICK_FROM = 20_000;
const PICK_TO = 31_000;

/** The Temporal dev server's Web UI listens on its port + 1000 (the README's convention). */
export const TEMPORAL_UI_PORT_OFFSET = 1000;

/** A loopback port free right now, outside the ephemeral range. */
export function freePort(): Promise<number> {
  return pickPort([0]);
}

/** A free port for a Temporal dev server, whose Web UI port (+1000) is free too. */
export function freeTemporalPort(): Promise<number> {
  return pickPort([0, TEMPORAL_UI_PORT_OFFSET]);
}

async function pickPort(offsets: number[]): Promise<number> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const port = PICK_FROM + Math.floor(Math.random() * (PICK_TO - PICK_FROM));
    if (await everyFree(offsets.map((o) => port + o))) return port;
  }
  throw new Error(`no free loopback port in ${PICK_FROM}-${PICK_TO + TEMPORAL_UI_PORT_OFFSET}`);
}

async function everyFree(ports: number[]): Promise<boolean> {
  for (const port of ports) if (!(await portIsFree(port))) return false;
  return true;
}

/** Nothing listens on this loopback port: a server could take it now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export type ServiceName = 'worker' | 'api';

const ENTRY: Record<ServiceName, string> = {
  worker: path.join(ROOT, 'worker', 'main.ts'),
  api: path.join(ROOT, 'api', 'main.ts'),
};

/** As `npm run worker`: sets up the SDK's workflow threads (worker/workflow-thread-setup.mjs). */
const WORKER_PRELOAD = ['--import', path.join(ROOT, 'worker', 'workflow-thread-setup.mjs')];

/**
 * Starts the worker or the API as its own process (as in production), with TypeScript loaded
 * by tsx, and resolves once it is serving: the worker once it polls, the API once it listens.
 */
export async function spawnService(
  name: ServiceName,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = () => undefined,
): Promise<ChildProcess> {
  const healthUrl = name === 'api' ? `http://127.0.0.1:${env.PORT}/healthz` : undefined;
  const child = spawn(process.execPath, ['--import', 'tsx', ...(name === 'worker' ? WORKER_PRELOAD : []), ENTRY[name]], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...childSpawnOptions(),
  });
  adoptChild(child);
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(poll);
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => settle(new Error(`${name} did not become ready within 120 s`)), 120_000);
    // The API is ready once it answers /healthz; the worker says so when it starts polling.
    const poll = setInterval(() => {
      if (!healthUrl) return;
      fetch(healthUrl).then((res) => res.ok && settle(), () => undefined);
    }, 200);
    child.stdout?.on('data', (d: Buffer) => {
      const text = d.toString();
      for (const line of text.trimEnd().split('\n')) log(`[${name} ${child.pid}] ${line}`);
      if (name === 'worker' && text.includes('worker polling')) settle();
    });
    child.stderr?.on('data', (d: Buffer) => log(`[${name} ${child.pid}] ${d.toString().trimEnd()}`));
    child.once('exit', (code, signal) => settle(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`)));
  });
  return child;
}
