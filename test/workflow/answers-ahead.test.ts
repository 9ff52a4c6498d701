// Registration's calendar asks answered by the API at admission (services/registration/
// answers-ahead.ts): a run given them registers with one local activity, its write, and plans
// exactly what a run that asks for itself plans; answers to other asks are never taken. A run
// that plans the very write the API planned hands it over: no activity at all, and the
// registration's events go again with its next own write, or at once when another sender
// registers the same request.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { withCalendarVersion } from '../../domain/policy/pinned';
import { createCalendarRegistry } from '../../services/calendar-registry';
import { registrationAnswers } from '../../services/registration/answers-ahead';
import type { Actor } from '../../domain/request/snapshot';
import { registeredUpdate, registeredWithOfferUpdate, respondUpdate, snapshotQuery } from '../../workflows/messages';
import { supportRequest, type SupportRequestInput } from '../../workflows/support-request';
import { HOUR, localActivityTypes, pinnedPolicy, recordingActivities, requestInput, withWorker, type Recorder } from './harness';
import { createTestEnv } from './test-env';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await createTestEnv();
});
afterAll(async () => {
  await env?.teardown();
});

const answersAhead = registrationAnswers(createCalendarRegistry(async () => undefined));

/** Registers `input`; answers its snapshot and the activity types of registration's local activities. */
async function registered(input: SupportRequestInput) {
  const rec = recordingActivities();
  return withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input] });
    try {
      await handle.executeUpdate(registeredUpdate);
      // As registration wrote it (later alarms may have moved it on since).
      const snapshot = rec.updates[0]!.snapshot;
      // Registration's own: up to its Update's completion (time skipping may fire alarms after it).
      const events = (await handle.fetchHistory()).events ?? [];
      const registeredAt = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
      return { snapshot, activities: localActivityTypes({ events: events.slice(0, registeredAt) }) };
    } finally {
      await handle.terminate('test finished');
    }
  });
}

test('with the answers told ahead the run registers with one local activity and plans what a run that asks plans', async () => {
  // Registered by the API a second before its workflow task, at a pinned calendar version.
  const registeredAtMs = (await env.currentTimeMs()) - 1_000;
  const policy = withCalendarVersion(pinnedPolicy('warranty', registeredAtMs), '1');
  const base = requestInput('SR-AHEAD', policy);
  const { answered } = await answersAhead({ ids: { requestId: base.requestId, requestKey: base.requestKey }, registration: base.registration, policy, atMs: registeredAtMs });
  expect(answered.map((a) => a.ask.kind)).toEqual(['batch']);

  const told = await registered({ ...base, registeredAtMs, answered });
  const asked = await registered({ ...base, registeredAtMs });
  expect(told.activities).toEqual(['writeRequest']);
  expect(asked.activities).toEqual(['answerCalendarAsks', 'writeRequest']);
  expect(told.snapshot.registeredAtMs).toBe(registeredAtMs);
  expect(told.snapshot.clocks).toEqual(asked.snapshot.clocks);
  expect(told.snapshot.clocks[0]!.dueAtMs).toBe((answered[0]!.answer as Array<{ dueAtMs: number }>)[0]!.dueAtMs);
});

test('answers given to other asks are not taken: the run asks for itself', async () => {
  const registeredAtMs = (await env.currentTimeMs()) - 1_000;
  const policy = withCalendarVersion(pinnedPolicy('warranty', registeredAtMs), '1');
  const base = requestInput('SR-ELSEWHEN', policy);
  // Answered for a registration an hour earlier: every plan starts elsewhere.
  const { answered: stale } = await answersAhead({ ids: { requestId: base.requestId, requestKey: base.requestKey }, registration: base.registration, policy, atMs: registeredAtMs - HOUR });
  expect(stale).toHaveLength(1);

  const told = await registered({ ...base, registeredAtMs, answered: stale });
  const asked = await registered({ ...base, registeredAtMs });
  expect(told.activities).toEqual(['answerCalendarAsks', 'writeRequest']);
  expect(told.snapshot.clocks).toEqual(asked.snapshot.clocks);
});

test('a run whose clock is behind the API\'s registers at its own start', async () => {
  const now = await env.currentTimeMs();
  const { snapshot } = await registered({ ...requestInput('SR-BEHIND', withCalendarVersion(pinnedPolicy('warranty', now), '1')), registeredAtMs: now + HOUR });
  expect(snapshot.registeredAtMs).toBeLessThan(now + HOUR);
  expect(snapshot.registeredAtMs).toBeGreaterThanOrEqual(now);
});

describe('registration\'s write handed over to the API that planned it', () => {
  const by: Actor = { keyId: 'key-intake', role: 'intake' };

  /** A registration planned by the API a second before its run starts: the start input and the planned write. */
  async function planned(id: string, plannedBy: Actor = by) {
    const registeredAtMs = (await env.currentTimeMs()) - 1_000;
    const base = requestInput(id, withCalendarVersion(pinnedPolicy('warranty', registeredAtMs), '1'));
    const { answered, write } = await answersAhead({ ids: { requestId: base.requestId, requestKey: base.requestKey }, registration: base.registration, policy: base.policy, atMs: registeredAtMs, by: plannedBy });
    return { input: { ...base, registeredAtMs, answered, by, plannedDigest: write!.digest }, write: write! };
  }

  /** Runs `fn` on a started request; answers its recorder. */
  async function withRequest(input: SupportRequestInput, fn: (handle: Awaited<ReturnType<typeof env.client.workflow.start<typeof supportRequest>>>, rec: Recorder) => Promise<void>) {
    const rec = recordingActivities();
    await withWorker(env, rec.activities, async (taskQueue) => {
      const handle = await env.client.workflow.start(supportRequest, { taskQueue, workflowId: randomUUID(), args: [input] });
      try {
        await fn(handle, rec);
      } finally {
        await handle.terminate('test finished');
      }
    });
    return rec;
  }

  test('the run plans the same write: it writes nothing, tells its sender to commit, and writes the events again with its next write', async () => {
    const { input, write } = await planned('SR-HANDED');
    let registeredActivities: string[] = [];
    const rec = await withRequest(input, async (handle) => {
      const receipt = await handle.executeUpdate(registeredWithOfferUpdate, { args: [{ plannedDigest: write.digest }] });
      expect(receipt).toEqual({ requestId: 'SR-HANDED', state: 'registered', revision: write.snapshot.revision, commitPlanned: true });
      const events = (await handle.fetchHistory()).events ?? [];
      registeredActivities = localActivityTypes({ events: events.slice(0, events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes)) });
      expect(await handle.query(snapshotQuery)).toEqual(write.snapshot);
      await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-7', body: 'on it' }] });
    });
    expect(registeredActivities).toEqual([]);
    // Nobody committed the plan here (the recorder has no row): the next write fell back to whole, with the registration's events.
    expect(rec.changeWrites).toHaveLength(1);
    expect(rec.updates).toHaveLength(1);
    expect(rec.events().map((e) => [e.type, e.by])).toEqual([['registered', by], ...write.events.slice(1).map((e) => [e.type, e.by]), ['replied', undefined]]);
    expect(rec.updates[0]!.events[0]).toEqual(write.events[0]);
  });

  test('a plan that differs (another key stamped on its events) is not taken: the run writes the request itself', async () => {
    const { input, write } = await planned('SR-NOT-HANDED', { keyId: 'another-key', role: 'intake' });
    const rec = await withRequest(input, async (handle) => {
      const receipt = await handle.executeUpdate(registeredWithOfferUpdate, { args: [{ plannedDigest: write.digest }] });
      expect(receipt.commitPlanned).toBeUndefined();
    });
    expect(rec.updates[0]!.events.map((e) => e.by)).toEqual(write.events.map(() => by));
  });

  test('another sender registering the same request (a retry after the first died) makes the run write it at once; the plan is handed to nobody else', async () => {
    const { input, write } = await planned('SR-RETRIED');
    const rec = await withRequest(input, async (handle, rec) => {
      const retry = await handle.executeUpdate(registeredWithOfferUpdate, { args: [{ plannedDigest: 'a-later-plan' }] });
      expect(retry.commitPlanned).toBeUndefined();
      expect(rec.updates.map((u) => u.snapshot)).toEqual([write.snapshot]);
      expect(rec.updates[0]!.events).toEqual(write.events);
      // The first sender's Update, late: its plan is still its own to commit (the row moves forward by revision only).
      expect((await handle.executeUpdate(registeredWithOfferUpdate, { args: [{ plannedDigest: write.digest }] })).commitPlanned).toBe(true);
      // An Update without an offer (an API before this change) only reads.
      expect((await handle.executeUpdate(registeredUpdate)).commitPlanned).toBeUndefined();
    });
    expect(rec.updates).toHaveLength(1);
  });
});
