import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { createKnex } from '../db/knex';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { withBaselineWorker } from './baseline-worker';
import { benchRegisteredUpdate, type benchTrivial } from './fixtures/baseline-workflows';
import { seedWarrantyCustomer } from './seed';
import { formatLoad, fmt, runAlternating, runLoad } from './stats';

/** Quiet before each alternating stretch: longer than the dev server takes to drain a stretch's leftovers here. */
const SETTLE_MS = 3_000;

/**
 * Requests registered over HTTP end to end (admitted by policy, workflow started, row written:
 * the API answers only once the request's row is committed), next to two floors in the
 * same run: a bare workflow start (no worker involved), and a bare update-with-start on a trivial
 * workflow that answers after one local-activity write (registration's own design, minus the
 * API, the policy and the state machine). The update-with-start floor and ours alternate in
 * rounds (`BENCH_ROUNDS`), so both meet the same machine.
 */
export async function runRegistrationBench(stack: LocalStack, opts: { count: number; concurrency: number; rounds: number }): Promise<string[]> {
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const db = createKnex(stack.databaseUrl, { max: 4 });
  const run = Date.now().toString(36);
  try {
    // Floor 1: a start RPC for a workflow no worker runs (nothing but Temporal's own work).
    const bare = await runLoad(opts.count, opts.concurrency, async (i) => {
      await client.workflow.start('benchBareStart', { taskQueue: `bench-bare-${run}`, workflowId: `bench-bare-${run}-${i}` });
    });
    const api = stackApi(stack);
    const registration = await seedWarrantyCustomer(api, `bench-reg-${run}`);
    // Floor 2, update-with-start answered after one local-activity write, and ours, in
    // alternating rounds: run one after the other, the minute each ran in moved the ratio by more
    // than any change to the code did.
    const [withStart, http] = await withBaselineWorker(stack, db, (taskQueue) =>
      runAlternating(
        opts.count,
        opts.concurrency,
        { rounds: opts.rounds, settleMs: SETTLE_MS },
        async (i) => {
          const workflowId = `bench-uws-${run}-${i}`;
          const operation = new WithStartWorkflowOperation<typeof benchTrivial>('benchTrivial', { workflowId, taskQueue, args: [workflowId], workflowIdConflictPolicy: 'USE_EXISTING' });
          await client.workflow.executeUpdateWithStart(benchRegisteredUpdate, { startWorkflowOperation: operation });
        },
        async (i) => {
          await api.call('POST', '/v1/requests', [201], registration(i));
        },
      ),
    );
    // The floor's workflows are ended only now, and as many at a time as the load ran: ending a
    // thousand at once held the dev server's visibility queue for seconds, and the phase after
    // it paid for that (registrations past the API's 10 s deadline on Temporal, answered 503).
    await runLoad(opts.count, opts.concurrency, (i) => client.workflow.getHandle(`bench-uws-${run}-${i}`).terminate('bench done').then(() => undefined, () => undefined));
    return [
      `registration, end to end (concurrency ${opts.concurrency}; the floor and ours in ${opts.rounds} alternating rounds):`,
      formatLoad('  bare Temporal workflow start (floor)', bare),
      formatLoad('  bare update-with-start + 1 LA write (floor)', withStart),
      formatLoad('  POST /v1/requests (start + row written)', http),
      `  ratio HTTP registration / bare update-with-start: ${fmt(http.perSecond / withStart.perSecond, 2)} (p99 ${fmt(http.p99Ms / withStart.p99Ms, 2)}x);  / bare start: ${fmt(http.perSecond / bare.perSecond, 2)}`,
    ];
  } finally {
    await db.destroy();
    await connection.close();
  }
}
