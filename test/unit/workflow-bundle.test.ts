// A Temporal worker evaluates the workflow bundle's modules again for every workflow it starts
// (each workflow gets module state of its own). What those modules do when they load is paid
// once per registered request: building zod schemas cost 11 ms of the worker's CPU per
// registration. The workflow code needs neither schemas (input is validated at the edges)
// nor a date library (deadlines come from the calendar activities).
import { bundleWorkflowCode } from '@temporalio/worker';

test('the workflow bundle leaves out zod and luxon', async () => {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } });
  const packages = new Set([...code.matchAll(/"\.\/node_modules\/((?:@[^/"]+\/)?[^/"]+)\//g)].map((m) => m[1]));
  // The SDK's own modules are there: the pattern finds packages at all.
  expect(packages).toContain('@temporalio/workflow');
  expect([...packages].filter((p) => p === 'zod' || p === 'luxon')).toEqual([]);
}, 120_000);
