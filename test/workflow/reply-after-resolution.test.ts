// Replies after resolution on the time-skipping server: under the notify-assignee term a
// customer's reply leaves the request resolved and tells the assignee; a closed request accepts
// a reply within its reopen window, and past it the workflow is complete, so a reply can no
// longer reach it (the API registers a follow-up then: test/e2e/follow-up.e2e.test.ts).
import { WorkflowNotFoundError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { isWorkingInstant, loadShippedCalendar } from '../../domain/calendar';
import { assignUpdate, closeUpdate, customerReplyUpdate, registeredUpdate, resolveUpdate, snapshotQuery } from '../../workflows/messages';
import { HOUR, MINUTE, moscow, pinnedPolicy, recordingActivities, requestInput, skipTo, withWorker } from './harness';
import { requestWorkflows } from './request-workflows';
import { act } from './act';

const supplier = loadShippedCalendar('supplier');
const DAY = 24 * HOUR;
let env: TestWorkflowEnvironment;

const { start } = requestWorkflows((e) => (env = e));

async function nextWorkingNoon(): Promise<number> {
  const now = await env.currentTimeMs();
  for (let d = 1; d < 120; d++) {
    const at = moscow(`${new Date(now + d * DAY + 3 * HOUR).toISOString().slice(0, 10)}T12:00:00`);
    if (at > now && isWorkingInstant(supplier, at) && isWorkingInstant(supplier, at + 2 * HOUR)) return at;
  }
  throw new Error('no working day within 120 days');
}

test('notify-assignee: a "thank you" leaves the request resolved, its clock stopped, and tells the assignee once', async () => {
  const at = await nextWorkingNoon();
  await skipTo(env, at);
  const rec = recordingActivities({ recipients: [{ id: 'agent-7', name: 'Agent', roles: ['agent'], hasEmail: true, hasWebhook: false, quietCalendarId: null }] });
  await withWorker(env, rec.activities, async (taskQueue) => {
    const policy = { ...pinnedPolicy('warranty', at), lifecycle: { replyAfterResolution: 'notify-assignee' as const } };
    const handle = await start(taskQueue, requestInput('SR-THANKS', policy));
    await handle.executeUpdate(registeredUpdate);
    await handle.executeUpdate(assignUpdate, { args: [{ author: 'lead', agent: 'agent-7' }] });
    const resolved = await act(handle, resolveUpdate, { args: [{ author: 'agent-7', summary: 'Fixed in 24.1' }] });
    const after = await act(handle, customerReplyUpdate, { args: [{ author: 'customer', body: 'Thank you!' }] });
    expect(after.state).toBe('resolved');
    expect(after.clocks[1]).toEqual(resolved.clocks[1]);
    expect(after.autoCloseAtMs).toBe(resolved.autoCloseAtMs);
    await skipTo(env, (await env.currentTimeMs()) + MINUTE);
    expect(rec.intents.filter((i) => i.kind === 'lifecycle')).toEqual([expect.objectContaining({ recipientIds: ['agent-7'], payload: expect.objectContaining({ event: 'request.reply_after_resolution' }) })]);
    expect(rec.events().filter((e) => e.type === 'customer_replied')).toEqual([expect.objectContaining({ data: expect.objectContaining({ afterResolution: true }) })]);
  });
});

test('a closed request takes a reply within its reopen window (reopens, seed term); past the window its workflow is complete', async () => {
  const at = await nextWorkingNoon();
  await skipTo(env, at);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const window = 3 * DAY;
    const reopening = await start(taskQueue, requestInput('SR-WITHIN', pinnedPolicy('warranty', at), { reopenWindowMs: window }));
    await reopening.executeUpdate(registeredUpdate);
    await reopening.executeUpdate(resolveUpdate, { args: [{ author: 'a', summary: 'done' }] });
    await reopening.executeUpdate(closeUpdate, { args: [{ author: 'a' }] });
    const reopened = await act(reopening, customerReplyUpdate, { args: [{ author: 'customer', body: 'Still broken' }] });
    expect(reopened).toMatchObject({ state: 'in_progress', closedAtMs: null });
    expect(reopened.clocks[1]!.reopenCount).toBe(1);

    const closing = await start(taskQueue, requestInput('SR-PAST', pinnedPolicy('warranty', at), { reopenWindowMs: window }));
    await closing.executeUpdate(registeredUpdate);
    await closing.executeUpdate(resolveUpdate, { args: [{ author: 'a', summary: 'done' }] });
    const closed = await act(closing, closeUpdate, { args: [{ author: 'a' }] });
    // Awaiting the result lets the server skip to the end of the window.
    const final = await closing.result();
    expect(final).toMatchObject({ state: 'closed', reopenUntilMs: null, closedAtMs: closed.closedAtMs });
    const late = await act(closing, customerReplyUpdate, { args: [{ author: 'customer', body: 'Hello again' }] }).catch((err: unknown) => err);
    expect(late).toBeInstanceOf(WorkflowNotFoundError);
    await expect(closing.query(snapshotQuery)).resolves.toMatchObject({ state: 'closed' });
  });
});
