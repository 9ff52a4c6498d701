// Waiting on a third party on the time-skipping server: under a contract term that pauses the
// resolution clock while a defect is with the developers, the deadline moves by exactly the
// working time waited; under the seed terms the clock runs on.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addWorkingTime, isWorkingInstant, loadShippedCalendar, workingTimeBetween } from '../../domain/calendar';
import { registeredUpdate, respondUpdate, resumeUpdate, waitOnThirdPartyUpdate } from '../../workflows/messages';
import { HOUR, moscow, pinnedPolicy, recordingActivities, requestInput, skipTo, withWorker } from './harness';
import { requestWorkflows } from './request-workflows';
import { act } from './act';

const supplier = loadShippedCalendar('supplier');
const DAY = 24 * HOUR;
let env: TestWorkflowEnvironment;

const { start } = requestWorkflows((e) => (env = e));

/** A working day at 11:00 Moscow whose next day is working too. */
async function nextWorkingMorning(): Promise<number> {
  const now = await env.currentTimeMs();
  for (let d = 1; d < 120; d++) {
    const at = moscow(`${new Date(now + d * DAY + 3 * HOUR).toISOString().slice(0, 10)}T11:00:00`);
    if (at > now && isWorkingInstant(supplier, at) && isWorkingInstant(supplier, at + DAY)) return at;
  }
  throw new Error('no working day within 120 days');
}

test('a contract term pausing resolution for a third party: the deadline moves by the working time waited; seed terms: it does not', async () => {
  const at = await nextWorkingMorning();
  await skipTo(env, at);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const pausing = { ...pinnedPolicy('warranty', at), lifecycle: { pauses: { waiting_on_customer: ['resolution' as const], waiting_on_third_party: ['resolution' as const] } } };
    const paused = await start(taskQueue, requestInput('SR-DEV', pausing));
    const seed = await start(taskQueue, requestInput('SR-SEED', pinnedPolicy('warranty', at)));
    for (const h of [paused, seed]) {
      await h.executeUpdate(registeredUpdate);
      await h.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'a', body: 'Reproduced, handing to the developers' }] });
    }
    const before = await act(paused, waitOnThirdPartyUpdate, { args: [{ author: 'a', party: 'developers' }] });
    const seedBefore = await act(seed, waitOnThirdPartyUpdate, { args: [{ author: 'a', party: 'developers' }] });
    expect(before.state).toBe('waiting_on_third_party');
    expect(before.clocks[1]!.runningSinceMs).toBeNull();
    expect(seedBefore.clocks[1]!.runningSinceMs).not.toBeNull();

    await skipTo(env, at + DAY);
    const after = await act(paused, resumeUpdate, { args: [{ author: 'a', note: 'fixed in the nightly build' }] });
    expect(after.state).toBe('in_progress');
    const pause = after.clocks[1]!.pauses[0]!;
    expect(pause.reason).toBe('waiting_on_third_party');
    const waited = workingTimeBetween(supplier, pause.fromMs, pause.toMs!).workingMs;
    expect(waited).toBeGreaterThan(0);
    expect(after.clocks[1]!.dueAtMs).toBe(addWorkingTime(supplier, pause.toMs!, 40 * HOUR - after.clocks[1]!.usedBeforeMs).dueMs);
    const seedAfter = await act(seed, resumeUpdate, { args: [{ author: 'a' }] });
    expect(seedAfter.clocks[1]!.dueAtMs).toBe(seedBefore.clocks[1]!.dueAtMs);
    expect(rec.eventTypes().filter((t) => t === 'waiting_on_third_party')).toHaveLength(2);
  });
});
