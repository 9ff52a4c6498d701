import { WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { replanTargets, replanUpdateId, type OpenRequestRef, type ReplanClient, type ReplanFanOut, type TargetOutcome } from '../../../services/calendars/replan-updates';
import type { RequestWrite } from '../../../activities/request-writes';
import { ILLEGAL_TRANSITION, replanUpdate, type ReplanMessage } from '../../../workflows/messages';

type Replan = ReplanMessage;
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

const UPDATE_ID = replanUpdateId('office', 'v2');
const message = (t: OpenRequestRef): Promise<Replan> => Promise.resolve({ author: 'a', calendarVersionId: 'v2', occurredAt: `2027-01-11T09:00:00.000Z`, answered: [], by: { keyId: t.requestId, role: 'admin' } });

/** Fan-out deps over `client`, recording every committed write. */
function fanOut(client: ReplanClient, extra: Partial<ReplanFanOut> = {}): ReplanFanOut & { committed: RequestWrite[] } {
  const committed: RequestWrite[] = [];
  return {
    client,
    committed,
    async commit(write) {
      committed.push(write);
    },
    ...extra,
  };
}

const counted = (outcomes: TargetOutcome[]) => outcomes.reduce<Record<string, number>>((n, o) => ({ ...n, [o.outcome]: (n[o.outcome] ?? 0) + 1 }), {});

const handed = (requestId: string): RequestWrite => ({
  workflowId: `support-request-${requestId}`,
  projection: { changes: { requestId, baseRevision: 3, revision: 4, changes: { revision: 4 } } },
  events: [{ seq: 4, type: 'deadlines_replanned', atMs: 0, actor: 'a' }],
  notifications: [],
});

describe('replanTargets', () => {
  test('sends each request its own message with the stable Update id, and answers the outcomes in order', async () => {
    const fake = fakeClient(async () => ({}));
    const outcomes = await replanTargets(fanOut(fake.client), refs(5), message, UPDATE_ID);
    expect(outcomes).toEqual(refs(5).map(() => ({ outcome: 'replanned' })));
    expect(fake.calls.map((c) => c.workflowId).sort()).toEqual(refs(5).map((r) => r.workflowId).sort());
    for (const c of fake.calls) {
      expect(c.replan).toMatchObject({ author: 'a', calendarVersionId: 'v2', occurredAt: '2027-01-11T09:00:00.000Z', by: { keyId: c.workflowId.replace('support-request-', '') } });
      expect(c.updateId).toBe(UPDATE_ID);
    }
  });

  test('commits the write a workflow handed over in its receipt, and none for a receipt without one', async () => {
    const fake = fakeClient(async ({ workflowId }) => (workflowId.endsWith('-1') ? { requestId: 'SR-1', state: 'new', revision: 4, write: handed('SR-1') } : { requestId: 'x', state: 'new', revision: 2 }));
    const deps = fanOut(fake.client);
    expect(counted(await replanTargets(deps, refs(3), message, UPDATE_ID))).toEqual({ replanned: 3 });
    expect(deps.committed).toEqual([handed('SR-1')]);
  });

  test('a failing commit fails the page (the database is down): the Update is resent on retry', async () => {
    const fake = fakeClient(async () => ({ requestId: 'SR-0', state: 'new', revision: 4, write: handed('SR-0') }));
    const deps = fanOut(fake.client, {
      commit: async () => {
        throw new Error('database is down');
      },
    });
    await expect(replanTargets(deps, refs(2), message, UPDATE_ID)).rejects.toThrow('database is down');
  });

  test('keeps at most `concurrency` Updates in flight, and uses all of them', async () => {
    const fake = fakeClient(() => tick(2));
    expect(counted(await replanTargets(fanOut(fake.client, { concurrency: 7 }), refs(200), message, UPDATE_ID))).toEqual({ replanned: 200 });
    expect(fake.peak()).toBe(7);

    const wide = fakeClient(() => tick(2));
    await replanTargets(fanOut(wide.client), refs(300), message, UPDATE_ID);
    expect(wide.peak()).toBe(64);
  });

  test('tells finished requests from failures, and gives each failure its reason', async () => {
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
    const outcomes = await replanTargets(fanOut(fake.client), refs(8), message, UPDATE_ID);
    expect(counted(outcomes)).toEqual({ replanned: 3, finished: 2, failed: 3 });
    expect(outcomes[1]).toEqual({ outcome: 'finished' });
    expect(outcomes[2]).toEqual({ outcome: 'finished' });
    expect(outcomes[3]).toEqual({ outcome: 'failed', reason: 'workflow_not_found', message: expect.stringMatching(/not found/) });
    expect(outcomes[4]).toEqual({ outcome: 'failed', reason: 'rejected', message: expect.stringMatching(/^UnknownCalendar: unknown calendar/) });
    expect(outcomes[5]).toEqual({ outcome: 'failed', reason: 'error', message: expect.stringMatching(/UNAVAILABLE/) });
  });

  test('a request whose Update hangs is given up after the timeout, without holding up the rest', async () => {
    const fake = fakeClient(
      ({ workflowId, signal }) =>
        new Promise((resolve, reject) => {
          if (workflowId !== 'support-request-SR-0') return resolve({});
          signal.addEventListener('abort', () => reject(new WorkflowUpdateRPCTimeoutOrCancelledError('Workflow update call timeout or cancelled')));
        }),
    );
    // (Without the timeout the hanging Update would never settle and the test would time out.)
    const outcomes = await replanTargets(fanOut(fake.client, { updateTimeoutMs: 50 }), refs(4), message, UPDATE_ID);
    expect(fake.calls.map((c) => c.workflowId).sort()).toEqual(refs(4).map((r) => r.workflowId));
    expect(outcomes[0]).toMatchObject({ outcome: 'failed', reason: 'timeout' });
    expect(counted(outcomes)).toEqual({ replanned: 3, failed: 1 });
  });

  test('no targets: no calls', async () => {
    const fake = fakeClient(async () => ({}));
    expect(await replanTargets(fanOut(fake.client), [], message, UPDATE_ID)).toEqual([]);
    expect(fake.calls).toHaveLength(0);
  });
});
