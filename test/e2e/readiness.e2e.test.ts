// /readyz on an API process whose PostgreSQL and Temporal connections run through proxies the
// test can take down: it answers 503 naming the component while one is down, and 200 again
// once it is back. Polled with a deadline (readiness may be cached briefly), never a sleep.
import type { ChildProcess } from 'node:child_process';
import { freePort, spawnService } from '../../infra/node-services';
import { stopChild } from '../../infra/temporal-dev-server';
import { startTcpProxy, type TcpProxy } from './fixtures/tcp-proxy';
import { adminKey, http } from './helpers';

let api: ChildProcess;
let baseUrl: string;
const targetOf = (address: string) => ({ host: address.split(':')[0]!, port: Number(address.split(':')[1]) });
const pg = targetOf(new URL(process.env.E2E_DATABASE_URL!).host);
const temporal = targetOf(process.env.E2E_TEMPORAL_ADDRESS!);
const proxies: Record<'database' | 'temporal', TcpProxy | undefined> = { database: undefined, temporal: undefined };
const ports = { database: 0, temporal: 0 };

beforeAll(async () => {
  ports.database = await freePort();
  ports.temporal = await freePort();
  proxies.database = await startTcpProxy(pg, ports.database);
  proxies.temporal = await startTcpProxy(temporal, ports.temporal);
  const databaseUrl = new URL(process.env.E2E_DATABASE_URL!);
  databaseUrl.host = proxies.database.address;
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  api = await spawnService('api', {
    DATABASE_URL: databaseUrl.toString(),
    TEMPORAL_ADDRESS: proxies.temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: process.env.E2E_TASK_QUEUE,
    ADMIN_API_KEY: adminKey(),
    LOG_LEVEL: 'warn',
    PORT: String(port),
  });
});

afterAll(async () => {
  if (api) await stopChild(api);
  await Promise.all(Object.values(proxies).map((p) => p?.close()));
});

/** Polls /readyz until it answers `status` (with a deadline), and returns that answer. */
async function readyzBecomes(status: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await http('GET', '/readyz', { key: null, baseUrl });
    if (res.status === status) return res;
    if (Date.now() > deadline) throw new Error(`/readyz never answered ${status}; last ${res.status} ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test.each(['database', 'temporal'] as const)('/readyz answers 503 naming the %s while it is down, and 200 once it is back', async (component) => {
  const up = await readyzBecomes(200);
  expect(up.body.components[component]).toMatchObject({ status: 'up' });

  await proxies[component]!.close();
  // Restore the component even if an assertion below fails, so the next case starts healthy.
  const restore = async () => {
    proxies[component] = await startTcpProxy(component === 'database' ? pg : temporal, ports[component]);
  };
  try {
    await expectDown(component);
  } finally {
    await restore();
  }
  const back = await readyzBecomes(200);
  expect(back.body.components[component]).toMatchObject({ status: 'up' });
});

async function expectDown(component: 'database' | 'temporal') {
  const down = await readyzBecomes(503);
  expect(down.body).toMatchObject({ status: 'not ready' });
  // Component and status only: an unauthenticated caller never sees error text (hosts, ports).
  expect(down.body.components[component]).toEqual({ status: 'down' });
  expect(JSON.stringify(down.body)).not.toContain('127.0.0.1');
  expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
  // Liveness is not readiness: the process itself still serves.
  expect((await http('GET', '/healthz', { key: null, baseUrl })).status).toBe(200);
}
