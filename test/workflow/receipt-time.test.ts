// Receipt time on the time-skipping server: a request registered with a receivedAt already past
// its first-response target is breached at once and escalates on its ladder, its slept-through
// warnings are recorded as missed (never sent), and an action dated before the request's
// previous event is refused by the workflow's validator.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { addWorkingTime, isWorkingInstant, loadShippedCalendar } from '../../domain/calendar';
import { OCCURRED_OUT_OF_ORDER, registeredUpdate, respondUpdate, snapshotQuery } from '../../workflows/messages';
import { HOUR, MINUTE, moscow, pinnedPolicy, recordingActivities, requestInput, skipTo, withWorker } from './harness';
import { requestWorkflows } from './request-workflows';
import { act } from './act';

const supplier = loadShippedCalendar('supplier');
const DAY = 24 * HOUR;
let env: TestWorkflowEnvironment;

const { start } = requestWorkflows((e) => (env = e));

/** Next Tuesday 12:00 Moscow after the server's now whose Monday and Tuesday are working days. */
async function nextTuesdayNoon(): Promise<number> {
  const now = await env.currentTimeMs();
  for (let d = 1; d < 120; d++) {
    const at = moscow(`${new Date(now + d * DAY + 3 * HOUR).toISOString().slice(0, 10)}T12:00:00`);
    if (new Date(at + 3 * HOUR).getUTCDay() === 2 && at > now && isWorkingInstant(supplier, at) && isWorkingInstant(supplier, at - DAY)) return at;
  }
  throw new Error('no such day within 120 days');
}

test('registered with a receivedAt already past its first-response target: breached at once, escalated, its warnings missed and never sent', async () => {
  const tuesdayNoon = await nextTuesdayNoon();
  await skipTo(env, tuesdayNoon);
  const receivedAt = tuesdayNoon - 2 * DAY; // Sunday noon: Monday's 8 working hours used up the first-response target
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, { ...requestInput('SR-LATE', pinnedPolicy('warranty', receivedAt)), receivedAtMs: receivedAt });
    const s = await act(handle, registeredUpdate);
    expect(s.receivedAtMs).toBe(receivedAt);
    const fr = s.clocks[0]!;
    expect(fr.dueAtMs).toBe(addWorkingTime(supplier, receivedAt, 8 * HOUR).dueMs);
    expect(fr.dueAtMs).toBeLessThan(s.registeredAtMs);
    expect(fr.warnings.every((w) => w.missedAtMs === s.registeredAtMs && w.firedAtMs === null)).toBe(true);

    await skipTo(env, (await env.currentTimeMs()) + MINUTE);
    const after = await handle.query(snapshotQuery);
    expect(after.clocks[0]!.breachedAtMs).toBe(fr.dueAtMs);
    const types = rec.eventTypes();
    expect(types.filter((t) => t === 'sla_warning_missed')).toHaveLength(fr.warnings.length);
    expect(types).not.toContain('sla_warning');
    expect(types).toContain('sla_breached');
    // Step 0 of the ladder is 0 h after the breach: due at once.
    expect(rec.events().find((e) => e.type === 'escalated')?.data).toMatchObject({ clock: 'first_response', step: 0 });
    expect(rec.intents.map((i) => i.kind)).not.toContain('warning');
    expect(rec.intents.map((i) => i.kind)).toContain('breach');
    // The resolution clock started at the receipt too, and is not breached.
    expect(after.clocks[1]!.dueAtMs).toBe(addWorkingTime(supplier, receivedAt, 40 * HOUR).dueMs);
    expect(after.clocks[1]!.breachedAtMs).toBeNull();

    // An action dated before the request's previous event (the breach just recorded) is refused.
    const refused = await handle
      .executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'called back', occurredAt: new Date(receivedAt + HOUR).toISOString() }] })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(OCCURRED_OUT_OF_ORDER);
    expect(cause.details?.[0]).toMatchObject({ errors: [{ field: 'occurredAt', rule: 'before-previous-event' }] });
    expect((await handle.query(snapshotQuery)).state).toBe('registered');
  });
});
