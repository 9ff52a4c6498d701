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

    const how = `${opts.count} calls each`;
    return [
      `API under load (concurrency ${opts.concurrency}, ${how}; ${stack.apiUrls.length} API process, ${stack.workers.length} worker, admin key):`,
      formatLoad('  bare Express 5 GET /bare (baseline)', baseline),
      formatLoad('  POST /v1/requests (registration)', registrations),
      formatLoad('  GET /v1/requests/:id (read)', reads),
      `  ratio to bare: registration ${fmt(registrations.perSecond / baseline.perSecond, 3)}, read ${fmt(reads.perSecond / baseline.perSecond, 3)}`,
      ...firstErrors,
    ];
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Connections opened and code paths compiled before the clock starts (errors surface in the measured run). */
async function warmUp(concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  await runLoad(Math.max(50, concurrency * 4), concurrency, task);
}
