import type { AddressInfo } from 'node:net';
import express from 'express';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { seedWarrantyCustomer } from './seed';
import { fmt, formatLoad, runLoad } from './stats';

/**
 * The API under load: registrations per second (POST /v1/requests: admitted, workflow started,
 * row written) and reads per second (GET /v1/requests/:id), each with p50/p99 latency at the
 * stated concurrency, next to a bare Express 5 endpoint measured in the same run (started in
 * this process, so it shares the load generator's event loop: a conservative baseline).
 *
 * `count` runs that many calls per figure; `seconds` instead runs each for that long.
 */
export async function runApiLoadBench(stack: LocalStack, opts: { count: number; concurrency: number }): Promise<string[]> {
  const run = `api-${Date.now().toString(36)}`;
  const firstErrors: string[] = [];
  const load = (label: string, task: (i: number) => Promise<void>) => {
    const recorded = (i: number) =>
      task(i).catch((err: unknown) => {
        if (firstErrors.length < 3) firstErrors.push(`  first ${label} error: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      });
    return runLoad(opts.count, opts.concurrency, recorded);
  };

  const client = stackApi(stack);
  const call = async (method: string, path: string, expected: number[], body?: unknown) => client.call(method, path, expected, body);
  const registration = await seedWarrantyCustomer(client, run);

  const bare = express();
  bare.disable('x-powered-by');
  bare.get('/bare', (_req, res) => {
    res.json({ ok: true, at: Date.now() });
  });
  const server = bare.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const bareUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bare`;

  try {
    const getBare = async () => {
      const res = await fetch(bareUrl);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.arrayBuffer();
    };
    await warmUp(opts.concurrency, getBare);
    const baseline = await load('bare', getBare);

    const registered: string[] = [];
    const registrations = await load('registration', async (i) => {
      const created = await call('POST', '/v1/requests', [201], registration(i));
      registered.push((created as { id: string }).id);
    });
    if (registered.length === 0) throw new Error('no registration succeeded: nothing to read');

    const read = async (i: number) => {
      await call('GET', `/v1/requests/${registered[i % registered.length]}`, [200]);
    };
    await warmUp(opts.concurrency, read);
    const reads = await load('read', read);
    // The same reads while one more client sends hostile bodies back to back (issue 15: one such
    // body froze an API process for minutes): what it costs everyone else.
    const attacker = adversarialClient(client.url, client.headers, registered[0]!);
    const readsUnderAttack = await load('read under adversarial bodies', read);
    const attack = await attacker.stop();

    const how = `${opts.count} calls each`;
    return [
      `API under load (concurrency ${opts.concurrency}, ${how}; ${stack.apiUrls.length} API process, ${stack.workers.length} worker, admin key):`,
      formatLoad('  bare Express 5 GET /bare (baseline)', baseline),
      formatLoad('  POST /v1/requests (registration)', registrations),
      formatLoad('  GET /v1/requests/:id (read)', reads),
      `  ratio to bare: registration ${fmt(registrations.perSecond / baseline.perSecond, 3)}, read ${fmt(reads.perSecond / baseline.perSecond, 3)}`,
      formatLoad('  GET /v1/requests/:id, 1 adversarial client', readsUnderAttack),
      `  read p99 with one client sending adversarial bodies (131k-deep [[…]] and 256 KB strings): ${fmt(readsUnderAttack.p99Ms)} ms, without: ${fmt(reads.p99Ms)} ms ` +
        `(${attack.sent} bodies meanwhile, answered ${attack.statuses}; slowest ${fmt(attack.slowestMs)} ms)`,
      ...firstErrors,
    ];
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * One client sending adversarial bodies one after the other until stopped: the 131,000-level
 * `[[[…]]]` (262 KB) and a subject of 256 KB, to registration and to a request's
 * customer-replies (a route that looks the request up). Each must be refused (4xx).
 */
function adversarialClient(apiUrl: string, headers: Record<string, string>, requestId: string) {
  const nested = '['.repeat(131_000) + ']'.repeat(131_000);
  const long = JSON.stringify({ subject: 'x'.repeat(256 * 1024 - 20) });
  const targets = [`${apiUrl}/v1/requests`, `${apiUrl}/v1/requests/${requestId}/customer-replies`];
  const statuses = new Map<number, number>();
  let stopped = false;
  let sent = 0;
  let slowestMs = 0;
  const loop = (async () => {
    while (!stopped) {
      const t0 = performance.now();
      const res = await fetch(targets[sent % 2]!, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: sent % 4 < 2 ? nested : long });
      await res.arrayBuffer();
      slowestMs = Math.max(slowestMs, performance.now() - t0);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      sent++;
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return { sent, slowestMs, statuses: [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ') };
    },
  };
}

/** Connections opened and code paths compiled before the clock starts (errors surface in the measured run). */
async function warmUp(concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  await runLoad(Math.max(50, concurrency * 4), concurrency, task);
}
