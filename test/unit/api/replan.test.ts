import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { replanOpenRequests, replanUpdateId, type OpenRequestRef, type ReplanClient, type ReplanDeps } from '../../../services/calendars/replan-updates';
import { ILLEGAL_TRANSITION, replanUpdate, type Replan } from '../../../workflows/messages';

type Behaviour = (call: { workflowId: string; replan: Replan; updateId?: string; signal: AbortSignal }) => Promise<unknown>;

/** A Temporal client stand-in that records calls and the peak number in flight. */
function fakeClient(behaviour: Behaviour) {
  const calls: Array<{ workflowId: string; replan: Replan; updateId?: string }> = [];
  let inFlight = 0;
  let peak = 0;
  let signal: AbortSignal | undefined;
  const client: ReplanClient = {
    async withAbortSignal(s, fn) {
      signal = s;
      return fn();
    },
    workflow: {
      getHandle(workflowId) {
        return {
          async executeUpdate(def, options) {
            expect(def).toBe(replanUpdate);
            const [replan] = options.args;
            calls.push({ workflowId, replan, updateId: options.updateId });
            inFlight++;
            peak = Math.max(peak, inFlight);
            try {
              return await behaviour({ workflowId, replan, updateId: options.updateId, signal: signal! });
            } finally {
              inFlight--;
            }
          },
        };
      },
    },
  };
  return { client, calls, peak: () => peak };
}

const refs = (n: number): OpenRequestRef[] => Array.from({ length: n }, (_, i) => ({ requestId: `SR-${i}`, workflowId: `support-request-SR-${i}` }));
const tick = (ms = 1) => new Promise((r) => setTimeout(r, ms));

function deps(client: ReplanClient, targets: OpenRequestRef[], extra: Partial<ReplanDeps> = {}): ReplanDeps & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    client,
    asked,
    async findOpenRequests(calendarId, versionId) {
      asked.push([calendarId, versionId]);
      return targets;
    },
    ...extra,
  };
}

describe('replanOpenRequests', () => {
  test('sends one replan Update per open request, naming the version, with a stable Update id', async () => {
    const fake = fakeClient(async () => ({}));
    const d = deps(fake.client, refs(5));
    const report = await replanOpenRequests(d, 'supplier', '2027-decree', 'calendar-admin');
    expect(d.asked).toEqual([['supplier', '2027-decree']]);
    expect(fake.calls.map((c) => c.workflowId).sort()).toEqual(refs(5).map((r) => r.workflowId).sort());
    for (const c of fake.calls) {
      expect(c.replan).toEqual({ author: 'calendar-admin', calendarVersionId: '2027-decree' });
      expect(c.updateId).toBe(replanUpdateId('supplier', '2027-decree'));
    }
    expect(report).toMatchObject({
      calendarId: 'supplier',
      versionId: '2027-decree',
      requests: 5,
      replanned: 5,
      alreadyFinished: 0,
      failed: 0,
      failures: [],
      failuresByReason: {},
      concurrency: 64,
    });
    expect(report.durationMs).toBeGreaterThanOrEqual(0);
  });

  test('keeps at most `concurrency` Updates in flight, and uses all of them', async () => {
    const fake = fakeClient(() => tick(2));
    const report = await replanOpenRequests(deps(fake.client, refs(200), { concurrency: 7 }), 'office', 'v2', 'a');
    expect(report.replanned).toBe(200);
    expect(fake.peak()).toBe(7);

    const wide = fakeClient(() => tick(2));
    await replanOpenRequests(deps(wide.client, refs(300)), 'office', 'v2', 'a');
    expect(wide.peak()).toBe(64);
  });

  test('counts finished requests apart from failures, and reports each failure with its reason', async () => {
    const byIndex: Record<number, () => never> = {
      1: () => {
        throw new WorkflowNotFoundError('workflow execution already completed', 'support-request-SR-1', undefined);
      },
      2: () => {
        throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message: 'the request is closed', type: ILLEGAL_TRANSITION, details: [{ state: 'closed' }] }));
      },
      3: () => {
        throw new WorkflowNotFoundError('workflow not found for ID: support-request-SR-3', 'support-request-SR-3', undefined);
      },
      4: () => {
        throw new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ message: 'unknown calendar "office" version "v9"', type: 'UnknownCalendar' }));
      },
      5: () => {
        throw new Error('14 UNAVAILABLE: connection refused');
      },
    };
    const fake = fakeClient(async ({ workflowId }) => {
      const i = Number(workflowId.split('-').at(-1));
      byIndex[i]?.();
      return {};
    });
    const report = await replanOpenRequests(deps(fake.client, refs(8)), 'office', 'v9', 'a');
    expect(report).toMatchObject({ requests: 8, replanned: 3, alreadyFinished: 2, failed: 3 });
    expect(report.failuresByReason).toEqual({ workflow_not_found: 1, rejected: 1, error: 1 });
    expect(report.failures).toEqual(
      expect.arrayContaining([
        { requestId: 'SR-3', workflowId: 'support-request-SR-3', reason: 'workflow_not_found', message: expect.stringMatching(/not found/) },
        { requestId: 'SR-4', workflowId: 'support-request-SR-4', reason: 'rejected', message: expect.stringMatching(/^UnknownCalendar: unknown calendar/) },
        { requestId: 'SR-5', workflowId: 'support-request-SR-5', reason: 'error', message: expect.stringMatching(/UNAVAILABLE/) },
      ]),
    );
    expect(report.failures).toHaveLength(3);
  });

  test('a request whose Update hangs is given up after the timeout and reported, without holding up the rest', async () => {
    const fake = fakeClient(
      ({ workflowId, signal }) =>
        new Promise((resolve, reject) => {
          if (workflowId !== 'support-request-SR-0') return resolve({});
          signal.addEventListener('abort', () => reject(new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled')));
        }),
    );
    // (Without the timeout the hanging Update would never settle and the test would time out.)
    const report = await replanOpenRequests(deps(fake.client, refs(4), { updateTimeoutMs: 50 }), 'office', 'v2', 'a');
    expect(fake.calls.map((c) => c.workflowId).sort()).toEqual(refs(4).map((r) => r.workflowId));
    expect(report).toMatchObject({ replanned: 3, failed: 1, failuresByReason: { timeout: 1 } });
    expect(report.failures[0]).toMatchObject({ requestId: 'SR-0', reason: 'timeout' });
  });

  test('lists at most maxListedFailures failures but counts them all', async () => {
    const fake = fakeClient(async () => {
      throw new Error('boom');
    });
    const report = await replanOpenRequests(deps(fake.client, refs(30), { maxListedFailures: 10 }), 'office', 'v2', 'a');
    expect(report).toMatchObject({ requests: 30, failed: 30, failuresByReason: { error: 30 } });
    expect(report.failures).toHaveLength(10);
  });

  test('no open requests: no calls; a failing selection is an error of the whole call', async () => {
    const fake = fakeClient(async () => ({}));
    expect(await replanOpenRequests(deps(fake.client, []), 'office', 'v2', 'a')).toMatchObject({ requests: 0, replanned: 0, failed: 0 });
    expect(fake.calls).toHaveLength(0);
    const broken: ReplanDeps = {
      client: fake.client,
      findOpenRequests: async () => {
        throw new Error('database is down');
      },
    };
    await expect(replanOpenRequests(broken, 'office', 'v2', 'a')).rejects.toThrow('database is down');
  });
});
