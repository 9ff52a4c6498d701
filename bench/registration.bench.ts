import { Client, Connection } from '@temporalio/client';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { seedWarrantyCustomer } from './seed';
import { formatLoad, fmt, runLoad } from './stats';

/**
 * Requests registered over HTTP end to end (admitted by policy, workflow started, row written: the API
 * answers only after the workflow's first activity committed) against the bare cost of a
 * Temporal workflow start on the same server, in the same run.
 */
export async function runRegistrationBench(stack: LocalStack, opts: { count: number; concurrency: number }): Promise<string[]> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const run = Date.now().toString(36);
  try {
    // Baseline: a start RPC for a workflow no worker runs (nothing but Temporal's own work).
    const bare = await runLoad(opts.count, opts.concurrency, async (i) => {
      await client.workflow.start('benchBareStart', { taskQueue: `bench-bare-${run}`, workflowId: `bench-bare-${run}-${i}` });
    });
    const api = stackApi(stack);
    const registration = await seedWarrantyCustomer(api, `bench-reg-${run}`);
    const http = await runLoad(opts.count, opts.concurrency, async (i) => {
      await api.call('POST', '/v1/requests', [201], registration(i));
    });
    return [
      `registration, end to end (concurrency ${opts.concurrency}):`,
      formatLoad('  bare Temporal workflow start (baseline)', bare),
      formatLoad('  POST /v1/requests (start + row written)', http),
      `  ratio HTTP registration / bare start: ${fmt(http.perSecond / bare.perSecond, 2)}`,
    ];
  } finally {
    await connection.close();
  }
}
