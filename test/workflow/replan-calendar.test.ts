// The durable re-plan workflow on the time-skipping server, with in-memory activities standing
// in for PostgreSQL and the Updates: pages, continue-as-new, a page lost with its worker, the
// progress query, and one workflow per (calendar, version) however often it is started.
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { ReplanActivities } from '../../activities/calendar-replan';
import type { ReplanProgress } from '../../db/queries/calendar-replans';
import { createCalendarRegistry } from '../../services/calendar-registry';
import { createReplanService } from '../../services/calendars/replan';
import { replanCalendar, replanProgressQuery, replanWorkflowId, type ReplanCalendarInput } from '../../workflows/replan-calendar';
import { createTestEnv } from './test-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

type Outcome = 'replanned' | 'finished' | 'failed';

/** A re-plan's targets in memory, and what each activity call did. */
function fakeStore(targets: number, outcomeOf: (i: number) => Outcome = () => 'replanned', opts: { losePages?: number[] } = {}) {
  const outcomes = new Map<number, Outcome>();
  const sent: number[] = [];
  const calls = { begin: 0, pages: 0, finish: 0 };
  const losePages = new Set(opts.losePages ?? []);
  let started = false;
  let finished = false;
  const progress = (calendarId: string, versionId: string): ReplanProgress => {
    const count = (o: Outcome) => [...outcomes.values()].filter((x) => x === o).length;
    return {
      calendarId,
      versionId,
      workflowId: replanWorkflowId(calendarId, versionId),
      status: finished ? 'finished' : 'running',
      total: started ? targets : 0,
      replanned: count('replanned'),
      alreadyFinished: count('finished'),
      failed: count('failed'),
      done: count('replanned') + count('finished'),
      startedAt: new Date(0).toISOString(),
      finishedAt: finished ? new Date(1).toISOString() : null,
    };
  };
  const activities: ReplanActivities = {
    async beginCalendarReplan(job) {
      calls.begin++;
      started = true;
      return progress(job.calendarId, job.versionId);
    },
    async replanCalendarPage(input) {
      calls.pages++;
      const page = Array.from({ length: targets }, (_, i) => i)
        .filter((i) => !outcomes.has(i))
        .slice(0, input.pageSize);
      for (const i of page) sent.push(i);
      // The worker dies after sending the page's Updates, before their outcomes are recorded.
      if (losePages.delete(calls.pages)) throw new Error('worker killed mid-page');
      for (const i of page) outcomes.set(i, outcomeOf(i));
      return { progress: progress(input.calendarId, input.versionId), more: page.length === input.pageSize };
    },
    async finishCalendarReplan(input) {
      calls.finish++;
      finished = true;
      const p = progress(input.calendarId, input.versionId);
      const failedIds = [...outcomes].filter(([, o]) => o === 'failed').map(([i]) => i);
      return {
        calendarId: input.calendarId,
        versionId: input.versionId,
        requests: p.total,
        replanned: p.replanned,
        alreadyFinished: p.alreadyFinished,
        failed: p.failed,
        failures: failedIds.map((i) => ({ requestId: `SR-${i}`, workflowId: `support-request-SR-${i}`, reason: 'timeout', message: 'no answer' })),
        failuresByReason: (failedIds.length ? { timeout: failedIds.length } : {}) as Record<string, number>,
        concurrency: input.concurrency,
        durationMs: 1,
      };
    },
  };
  return { activities, outcomes, sent, calls };
}

async function withReplanWorker<T>(activities: ReplanActivities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `replan-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
  return worker.runUntil(fn(taskQueue));
}

const input = (calendarId: string, extra: Partial<ReplanCalendarInput> = {}): ReplanCalendarInput => ({ calendarId, versionId: '2', author: 'calendar-admin', pageSize: 10, pagesPerRun: 3, ...extra });

test('re-plans every target once, page by page, continuing as new every few pages, and reports the counts', async () => {
  const store = fakeStore(95, (i) => (i % 10 === 3 ? 'finished' : i === 50 ? 'failed' : 'replanned'));
  const calendarId = `cal-${randomUUID()}`;
  const report = await withReplanWorker(store.activities, async (taskQueue) => {
    const handle = await env.client.workflow.start(replanCalendar, { taskQueue, workflowId: replanWorkflowId(calendarId, '2'), args: [input(calendarId)] });
    const result = await handle.result();
    // 10 pages of 10 (the last one short) at 3 pages per run: four runs.
    expect(store.calls.begin).toBe(4);
    expect((await handle.describe()).runId).not.toBe(handle.firstExecutionRunId);
    expect(await handle.query(replanProgressQuery)).toMatchObject({ status: 'finished', total: 95, done: 94, failed: 1 });
    return result;
  });
  expect(store.calls.pages).toBe(10);
  expect(store.calls.finish).toBe(1);
  expect([...store.sent].sort((a, b) => a - b)).toEqual(Array.from({ length: 95 }, (_, i) => i));
  expect(report).toMatchObject({ calendarId, versionId: '2', requests: 95, replanned: 84, alreadyFinished: 10, failed: 1, failuresByReason: { timeout: 1 } });
});

test('a page lost with its worker is retried: only its unrecorded targets are sent again, and none is lost', async () => {
  const store = fakeStore(25, () => 'replanned', { losePages: [2] });
  const calendarId = `cal-${randomUUID()}`;
  const report = await withReplanWorker(store.activities, async (taskQueue) =>
    env.client.workflow.execute(replanCalendar, { taskQueue, workflowId: replanWorkflowId(calendarId, '2'), args: [input(calendarId, { pagesPerRun: 100 })] }),
  );
  expect(report).toMatchObject({ requests: 25, replanned: 25, failed: 0 });
  // Targets 10-19 were sent twice (the server de-duplicates them by Update id); the rest once.
  const times = (i: number) => store.sent.filter((x) => x === i).length;
  expect(Array.from({ length: 25 }, (_, i) => times(i))).toEqual(Array.from({ length: 25 }, (_, i) => (i >= 10 && i < 20 ? 2 : 1)));
});

test('one workflow per (calendar, version): starting it again, running or done, finds the same one', async () => {
  const store = fakeStore(30);
  const calendarId = `cal-${randomUUID()}`;
  await withReplanWorker(store.activities, async (taskQueue) => {
    const service = createReplanService({ client: env.client as Client, db: {} as Knex, taskQueue, calendars: createCalendarRegistry(async () => undefined), settings: { pageSize: 10, pagesPerRun: 2 } });
    const [a, b] = await Promise.all([service.start(calendarId, '2', 'a'), service.start(calendarId, '2', 'b')]);
    expect(b.workflowId).toBe(a.workflowId);
    const first = await service.run(calendarId, '2', 'a');
    const again = await service.run(calendarId, '2', 'c');
    expect(again).toEqual(first);
    expect(first).toMatchObject({ requests: 30, replanned: 30 });
  });
  expect(store.calls.finish).toBe(1);
  expect(store.sent).toHaveLength(30);
});
