// Registration's calendar asks answered by the API at admission (services/registration/
// answers-ahead.ts): a run given them registers with one local activity, its write, and plans
// exactly what a run that asks for itself plans; answers to other asks are never taken.
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { withCalendarVersion } from '../../domain/policy/pinned';
import { createCalendarRegistry } from '../../services/calendar-registry';
import { registrationAnswers } from '../../services/registration/answers-ahead';
import { registeredUpdate } from '../../workflows/messages';
import { supportRequest, type SupportRequestInput } from '../../workflows/support-request';
import { HOUR, localActivityTypes, pinnedPolicy, recordingActivities, requestInput, withWorker } from './harness';
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
