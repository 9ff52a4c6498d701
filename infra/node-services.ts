import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { adoptChild, childSpawnOptions } from './orphan-reaper';

const ROOT = path.resolve(__dirname, '..');

/** A port the OS says is free right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type ServiceName = 'worker' | 'api';

const ENTRY: Record<ServiceName, string> = {
  worker: path.join(ROOT, 'worker', 'main.ts'),
  api: path.join(ROOT, 'api', 'main.ts'),
};

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
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY[name]], {
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
