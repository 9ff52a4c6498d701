// `npx tsx scripts/record-upgrade-history.ts <commit> <name>`: records a request that an older
// release's worker ran first and today's worker ran on, as in a rolling upgrade, into
// test/workflow/histories/<name>.json (replayed by test/workflow/replay.test.ts).
//
// The histories of scripts/record-histories.ts were each recorded by one release. A change
// checked with `patched()` inside the request's main loop (KEPT_TIMER_PATCH) turns on in the
// middle of a run that started without it: its marker lands after events the older code wrote,
// and every later replay must take the old path up to it and the new one after it.
//
// The older release's workflow code is taken from git (`git archive <commit>`) into
// data/record-upgrade/ and bundled there; the API, the database and the dev server are today's.
import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { startLocalStack } from '../infra/local-stack';
import { freePort } from '../infra/node-services';
import { stackApi } from '../infra/stack-api';
import { stopChild } from '../infra/stop-child';
import { requestWorkflowId } from '../domain/request/workflow-id';
import { alwaysOnContract } from '../test/e2e/fixtures/always-on-contract';
import { saveHistory } from './recording';

const ROOT = path.resolve(__dirname, '..');
const ADMIN_KEY = 'record-upgrade-admin-key-0123456789abcdefghijklmnopq';
const [FROM_COMMIT, NAME] = process.argv.slice(2);

/**
 * The older release's workflow bundle, built from its own sources, extracted under the checkout
 * so that they resolve its node_modules, and removed once bundled (jest and tsc see a second
 * copy of the project otherwise).
 */
async function bundleAt(commit: string, bundlePath: string): Promise<string> {
  const sources = `${bundlePath}.sources`;
  await rm(sources, { recursive: true, force: true });
  await mkdir(sources, { recursive: true });
  try {
    execFileSync('bash', ['-c', `git -C "${ROOT}" archive "${commit}" | tar -x -C "${sources}"`]);
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(sources, 'workflows', 'index.ts') });
    await writeFile(bundlePath, code);
    return bundlePath;
  } finally {
    await rm(sources, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (!FROM_COMMIT || !NAME || !/^[a-z0-9-]+$/.test(NAME)) throw new Error('usage: npx tsx scripts/record-upgrade-history.ts <commit> <name>');
  const dataDir = path.join(ROOT, 'data', 'record-upgrade');
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const olderBundle = await bundleAt(FROM_COMMIT, path.join(dataDir, 'older-bundle.js'));
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  const todaysBundle = path.join(dataDir, 'todays-bundle.js');
  await writeFile(todaysBundle, code);

  const stack = await startLocalStack({
    dataDir: path.join(dataDir, 'stack'),
    namespace: 'default',
    taskQueue: 'record-upgrade',
    apiPorts: [await freePort()],
    workers: 1,
    extraEnv: { LOG_LEVEL: 'warn', ADMIN_API_KEY: ADMIN_KEY, WORKFLOW_BUNDLE_PATH: olderBundle },
    log: (l) => console.log(l),
  });
  const http = stackApi(stack);
  const api = (method: string, url: string, body?: unknown) => http.call<{ id: string }>(method, url, [200, 201], body);
  const note = (id: string, body: string) => api('POST', `/v1/requests/${id}/responses`, { visibility: 'internal', author: 'agent-1', body });
  try {
    await api('POST', '/v1/products', { id: 'kompas', name: 'KOMPAS-3D', kind: 'commercial' });
    await api('POST', '/v1/customers', { id: 'upgrade', name: 'Upgraded mid-request' });
    // A minute to the first response: its warnings and breach fire after the upgrade.
    await api('POST', '/v1/contracts', alwaysOnContract('C-upgrade', 'upgrade', 60 / 3600, 1));
    const registered = Date.now();
    const r = await api('POST', '/v1/requests', { subject: 'recorded upgrade', customerId: 'upgrade', productId: 'kompas', channel: 'supplier-email', category: 'defect-report', externalRef: 'rec-upgrade' });
    // The older worker: a change that leaves the alarm where it was (its path: a new timer).
    await note(r.id, 'looking (older worker)');

    // The upgrade: the older worker stops, today's starts and replays the request from history.
    await stopChild(stack.workers.pop()!);
    stack.serviceEnv.WORKFLOW_BUNDLE_PATH = todaysBundle;
    await stack.startWorker();
    // The first change on today's worker ends the older path's wait and records the patch marker;
    // the second keeps the timer today's code started.
    await note(r.id, 'still looking (todays worker)');
    await note(r.id, 'and still (todays worker)');
    // The warnings at 45 s and 54 s and the breach at 60 s fire on that timer.
    await sleep(Math.max(0, registered + 65_000 - Date.now()));
    await api('POST', `/v1/requests/${r.id}/responses`, { visibility: 'public', author: 'agent-1', body: 'late, sorry' });

    await saveHistory(stack.temporalAddress, NAME, requestWorkflowId(r.id));
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
