// The next-reply target on the time-skipping server: a customer's reply under a term of 2
// working hours starts a round that warns, breaches at its due instant and escalates, and the
// agent's late public reply ends it (still breached).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addWorkingTime, isWorkingInstant, loadShippedCalendar } from '../../domain/calendar';
import { customerReplyUpdate, registeredUpdate, respondUpdate, snapshotQuery } from '../../workflows/messages';
import { HOUR, MINUTE, moscow, pinnedPolicy, recordingActivities, requestInput, skipTo, withWorker } from './harness';
import { requestWorkflows } from './request-workflows';
import { act } from './act';

const supplier = loadShippedCalendar('supplier');
const DAY = 24 * HOUR;
let env: TestWorkflowEnvironment;

const { start } = requestWorkflows((e) => (env = e));

async function nextWorkingMorning(): Promise<number> {
  const now = await env.currentTimeMs();
  for (let d = 1; d < 120; d++) {
    const at = moscow(`${new Date(now + d * DAY + 3 * HOUR).toISOString().slice(0, 10)}T10:00:00`);
    if (at > now && isWorkingInstant(supplier, at) && isWorkingInstant(supplier, at + 6 * HOUR)) return at;
  }
  throw new Error('no working day within 120 days');
}

test('a next-reply round warns, breaches at its due instant and escalates; the late answer ends it', async () => {
  const at = await nextWorkingMorning();
  await skipTo(env, at);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const policy = { ...pinnedPolicy('warranty', at), lifecycle: { nextReply: { workingHours: 2 } } };
    const handle = await start(taskQueue, requestInput('SR-NEXT', policy));
    await handle.executeUpdate(registeredUpdate);
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'a', body: 'Please send the log' }] });
    const replied = await act(handle, customerReplyUpdate, { args: [{ author: 'customer', body: 'Here is the log' }] });
    const round = replied.clocks[2]!;
    expect(round).toMatchObject({ kind: 'next_reply', targetMs: 2 * HOUR });
    expect(round.dueAtMs).toBe(addWorkingTime(supplier, round.runningSinceMs!, 2 * HOUR).dueMs);

    await skipTo(env, round.dueAtMs! + 5 * MINUTE);
    const breached = await handle.query(snapshotQuery);
    expect(breached.clocks[2]!.breachedAtMs).toBe(round.dueAtMs);
    const onRound = rec.events().filter((e) => e.data?.clock === 'next_reply');
    expect(onRound.map((e) => e.type)).toEqual(['sla_warning', 'sla_warning', 'sla_breached', 'escalated']);
    expect(onRound[2]!.atMs - round.dueAtMs!).toBeLessThan(2_000);
    expect(rec.intents.filter((i) => i.idempotencyKey.includes('next_reply#2')).map((i) => i.kind)).toEqual(['warning', 'warning', 'breach']);

    const answered = await act(handle, respondUpdate, { args: [{ visibility: 'public', author: 'a', body: 'Found it' }] });
    expect(answered.clocks[2]!.stoppedAtMs).not.toBeNull();
    expect(answered.clocks[2]!.breachedAtMs).toBe(round.dueAtMs);
  });
});
