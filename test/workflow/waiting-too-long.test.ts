// Requests left waiting on the customer, on the time-skipping server: under terms of a reminder
// after 2 and a resolution after 4 working days, the customer is reminded and then the request
// resolves itself, at the planned instants, each recorded and notified once.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { endOfWorkingDays, isWorkingInstant, loadShippedCalendar } from '../../domain/calendar';
import { registeredUpdate, respondUpdate, snapshotQuery, waitOnCustomerUpdate } from '../../workflows/messages';
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
    if (at > now && isWorkingInstant(supplier, at)) return at;
  }
  throw new Error('no working day within 120 days');
}

test('reminded after 2 working days, resolved after 4, at the planned instants', async () => {
  const at = await nextWorkingMorning();
  await skipTo(env, at);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const policy = { ...pinnedPolicy('warranty', at), lifecycle: { waitingOnCustomer: { reminderAfterWorkingDays: 2, autoResolveAfterWorkingDays: 4 } } };
    const input = requestInput('SR-SILENT', policy);
    const handle = await start(taskQueue, { ...input, registration: { ...input.registration, reporter: 'ivan@customer.example' } });
    await handle.executeUpdate(registeredUpdate);
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'a', body: 'Please send the log' }] });
    const waiting = await act(handle, waitOnCustomerUpdate, { args: [{ author: 'a' }] });
    const since = waiting.clocks[1]!.pauses[0]!.fromMs;
    expect(waiting.remindCustomerAtMs).toBe(endOfWorkingDays(supplier, since, 2));
    expect(waiting.autoResolveAtMs).toBe(endOfWorkingDays(supplier, since, 4));

    await skipTo(env, waiting.remindCustomerAtMs! + MINUTE);
    expect((await handle.query(snapshotQuery)).state).toBe('waiting_on_customer');
    const reminded = rec.events().find((e) => e.type === 'customer_reminded')!;
    expect(reminded.atMs - waiting.remindCustomerAtMs!).toBeLessThan(2_000);

    await skipTo(env, waiting.autoResolveAtMs! + MINUTE);
    const resolved = await handle.query(snapshotQuery);
    expect(resolved.state).toBe('resolved');
    expect(resolved.resolvedAtMs! - waiting.autoResolveAtMs!).toBeLessThan(2_000);
    expect(rec.events().filter((e) => e.type === 'resolved')).toEqual([expect.objectContaining({ actor: 'system', data: expect.objectContaining({ reason: 'no_customer_reply' }) })]);
    const lifecycle = rec.intents.filter((i) => i.kind === 'lifecycle');
    expect(lifecycle.map((i) => i.payload.event)).toEqual(['request.customer_reminder', 'request.auto_resolved']);
    expect(lifecycle[0]!.recipients).toEqual([{ name: 'ivan@customer.example', email: 'ivan@customer.example' }]);
  });
});
