// The request lifecycle on the time-skipping server, on the real supplier calendar: deadlines,
// warnings, breaches and escalations at their exact instants, pauses, reopens, and
// notifications that survive failing deliveries. Tests share one server clock, which only
// moves forward, so each anchors itself on the next suitable instant after the clock it runs
// at, chosen by an oracle that reads the production-calendar file itself (never the engine);
// the expected instants are worked out by hand from that choice, so every case asserts the
// same things on any day. The fixed holiday vectors run while one lies ahead in the shipped
// data and are reported skipped (not passed) once none does.
//
// To check that on other dates, move every clock of the run (node, the JVM test server) with
// libfaketime (Debian package faketime), e.g. to 2028-06-01 12:00 Moscow:
//   faketime -f "+$(( $(date -d 2028-06-01T12:00:00+03:00 +%s) - $(date +%s) ))" npx jest --selectProjects workflow
// (an offset, so every process agrees; not FAKETIME_DONT_FAKE_MONOTONIC, which slows the JVM
// past the SDK's 5 s start-up limit).
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadShippedCalendar, type CalendarSpec, type VersionedCalendarSpec } from '../../domain/calendar';
import { viewClock } from '../../domain/request/clock-view';
import { createCalendarRegistry } from '../../services/calendar-registry';
import { replanAhead } from '../../services/calendars/replan-ahead';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import {
  assignUpdate,
  customerReplyUpdate,
  priorityUpdate,
  registeredUpdate,
  reopenUpdate,
  replanUpdate,
  resolveUpdate,
  respondUpdate,
  snapshotQuery,
  waitOnCustomerUpdate,
} from '../../workflows/messages';
import { HOUR, localActivityTypes, MINUTE, moscow, pinnedPolicy, recordingActivities, requestInput, skipTo, withWorker } from './harness';
import { addDays, isOrdinaryWorkday, moscowDate } from '../support/production-calendar-oracle';
import { requestWorkflows } from './request-workflows';
import { act } from './act';

const supplier = loadShippedCalendar('supplier');
const DAY = 24 * HOUR;
let env: TestWorkflowEnvironment;

const { start } = requestWorkflows((e) => (env = e));

/**
 * Next instant at `hh:mm` Moscow on the given weekday (0 = Sunday) after the server's now such
 * that the days at the given offsets (0 = that day) are ordinary 8-hour supplier days.
 */
async function next(weekday: number, hhmm: string, ordinaryDays: number[] = []): Promise<number> {
  const now = await env.currentTimeMs();
  for (let d = 1; d < 400; d++) {
    const date = moscowDate(now + d * DAY);
    const at = moscow(`${date}T${hhmm}:00`);
    if (new Date(at + 3 * HOUR).getUTCDay() === weekday && at > now && ordinaryDays.every((o) => isOrdinaryWorkday(addDays(date, o)))) return at;
  }
  throw new Error('no such day within 400 days');
}

/** `hh:mm` Moscow on the day `days` after the instant's Moscow date. */
const at = (fromMs: number, days: number, hhmm: string) => moscow(`${addDays(moscowDate(fromMs), days)}T${hhmm}:00`);

const eventAt = (events: { type: string; atMs: number; data?: Record<string, unknown> }[], type: string, match: Record<string, unknown> = {}) =>
  events.filter((e) => e.type === type && Object.entries(match).every(([k, v]) => e.data?.[k] === v));

/**
 * Warranty first response (8 working hours) across public holidays, worked out by hand from
 * the production-calendar file (short pre-holiday days end at 17:00).
 */
const HOLIDAY_VECTORS = [
  // 1 h on Wed Dec 30; Dec 31 and Jan 1-8 are holidays, Jan 9-10 a weekend; 7 h on Mon Jan 11.
  { registered: '2026-12-30T17:00', due: '2027-01-11T17:00', what: '2026-27 New Year' },
  // Fri Apr 30 is short (to 17:00): 1 h; May 1 (Sat) and May 3 (Mon) off; 7 h on Tue May 4.
  { registered: '2027-04-30T16:00', due: '2027-05-04T17:00', what: 'May Day 2027' },
  // Fri Jun 11 is short: 1 h; Jun 12 (Sat) and Jun 14 (Mon) off; 7 h on Tue Jun 15.
  { registered: '2027-06-11T16:00', due: '2027-06-15T17:00', what: 'Russia Day 2027' },
  // Wed Nov 3 is short: 1 h; Nov 4-5 off, then the weekend; 7 h on Mon Nov 8.
  { registered: '2027-11-03T16:00', due: '2027-11-08T17:00', what: 'Unity Day 2027' },
];
// The server clock starts at the machine's (or faketime's) time, which is also this process's.
const vector = HOLIDAY_VECTORS.find((v) => moscow(`${v.registered}:00`) > Date.now() + HOUR);
(vector ? test : test.skip)(
  vector
    ? `${vector.what}: a warranty request on ${vector.registered} is due for first response on ${vector.due}`
    : 'holiday vectors: no public holiday in the shipped production calendar lies ahead of today (extend HOLIDAY_VECTORS with the new year)',
  async () => {
    const registeredAt = moscow(`${vector!.registered}:00`);
    await skipTo(env, registeredAt);
    const rec = recordingActivities();
    await withWorker(env, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, requestInput('SR-NY', pinnedPolicy('warranty', registeredAt)));
      const s = await act(handle, registeredUpdate);
      // The worker registers a moment after the skip; the due instant moves with it (the lag
      // stays inside the registration day's working hours).
      expect(s.clocks[0]!.dueAtMs! - (s.registeredAtMs - registeredAt)).toBe(moscow(`${vector!.due}:00`));
      expect(s.calendar).toEqual({ id: 'supplier', versionId: expect.any(String) });
    });
  },
);

test('warranty, Friday 17:00: first response due Monday 17:00; warnings, breach and escalations fire at their instants', async () => {
  // Friday, Monday and Tuesday are ordinary 10:00-18:00 days.
  const fridayAt17 = await next(5, '17:00', [0, 3, 4]);
  const monday = (hhmm: string) => at(fridayAt17, 3, hhmm);
  await skipTo(env, fridayAt17);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-FRI', pinnedPolicy('warranty', fridayAt17)));
    const s = await act(handle, registeredUpdate);
    const fr = s.clocks[0]!;
    // Registered a moment after 17:00 (lag < 1 h keeps it in Friday's last hour): everything
    // moves with the lag.
    const lag = s.registeredAtMs - fridayAt17;
    expect(lag).toBeGreaterThanOrEqual(0);
    // Friday 17:00-18:00 is 1 h; Monday 10:00 + 7 h = 17:00.
    expect(fr.dueAtMs! - lag).toBe(monday('17:00'));
    // 75% = 6 h: Monday 15:00; 90% = 7.2 h: Monday 16:12.
    expect(fr.warnings.map((w) => w.atMs! - lag)).toEqual([monday('15:00'), monday('16:12')]);

    // Each alarm: nothing just before its instant, fired (and stamped no earlier) just after.
    const firesAt = async (instant: number, type: string, match: Record<string, unknown>) => {
      await skipTo(env, instant - 1_000);
      expect(eventAt(rec.events(), type, match)).toEqual([]);
      await skipTo(env, instant + 1_000);
      const fired = eventAt(rec.events(), type, match);
      expect(fired).toHaveLength(1);
      expect(fired[0]!.atMs).toBeGreaterThanOrEqual(instant);
    };
    await firesAt(fr.warnings[0]!.atMs!, 'sla_warning', { clock: 'first_response', fraction: 0.75 });
    await firesAt(fr.warnings[1]!.atMs!, 'sla_warning', { clock: 'first_response', fraction: 0.9 });
    await firesAt(fr.dueAtMs!, 'sla_breached', { clock: 'first_response' });
    const breached = await handle.query(snapshotQuery);
    expect(breached.clocks[0]!.breachedAtMs).toBe(fr.dueAtMs);
    expect(eventAt(rec.events(), 'escalated', { step: 0 })).toHaveLength(1);
    // Second escalation step: 4 working hours after the breach = Monday 17-18 + Tuesday 10-13.
    const step1 = breached.clocks[0]!.escalations[1]!.atMs;
    expect(step1 - lag).toBe(at(fridayAt17, 4, '13:00'));
    expect(eventAt(rec.events(), 'escalated', { step: 1 })).toEqual([]);
    await firesAt(step1, 'escalated', { step: 1 });

    // Exactly one notification per event: two warnings, the breach, the escalation.
    expect(rec.intents.map((i) => i.kind)).toEqual(['warning', 'warning', 'breach', 'escalation']);
    expect(rec.intents[2]!.roles).toEqual(['team-lead', 'duty-agent']);
    expect(rec.intents[3]!.roles).toEqual(['head-of-support']);
    expect([...rec.delivered].sort()).toEqual([1, 2, 3, 4]);

    // A late reply still meets nothing: the clock stays breached; escalation stops.
    const replied = await act(handle, respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'on it' }] });
    expect(viewClock(replied.clocks[0]!, supplier, await env.currentTimeMs()).status).toBe('breached');
    expect(replied.state).toBe('in_progress');
  });
});

test('waiting on the customer moves the resolution deadline by exactly the paused working time; a reopen resumes the same clock', async () => {
  // Two ordinary weeks: Monday to Friday, then Monday and Tuesday.
  const mondayAt10 = await next(1, '10:00', [0, 1, 2, 3, 4, 7, 8]);
  await skipTo(env, mondayAt10);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-PAUSE', pinnedPolicy('warranty', mondayAt10)));
    const registered = await act(handle, registeredUpdate);
    const lag = registered.registeredAtMs - mondayAt10;
    // 40 h from Monday 10:00 + lag: five 8-hour days end Friday 18:00, the lag spills into Monday.
    const due0 = registered.clocks[1]!.dueAtMs!;
    expect(due0).toBe(lag === 0 ? at(mondayAt10, 4, '18:00') : at(mondayAt10, 7, '10:00') + lag);

    await skipTo(env, mondayAt10 + 1 * HOUR);
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'please send the log' }] });
    await skipTo(env, mondayAt10 + 2 * HOUR);
    const paused = await act(handle, waitOnCustomerUpdate, { args: [{ author: 'agent-1' }] });
    expect(paused.state).toBe('waiting_on_customer');
    expect(paused.clocks[1]!.runningSinceMs).toBeNull();
    expect(paused.clocks[1]!.dueAtMs).toBeNull();

    // Paused from Monday ~12:00 to Tuesday ~15:00: (18:00 - from) + (to - 10:00) working time.
    const replyAt = mondayAt10 + DAY + 5 * HOUR;
    await skipTo(env, replyAt);
    const resumed = await act(handle, customerReplyUpdate, { args: [{ author: 'ivan@customer', body: 'log attached' }] });
    const pause = resumed.clocks[1]!.pauses[0]!;
    const pausedWorking = at(mondayAt10, 0, '18:00') - pause.fromMs + (pause.toMs! - at(mondayAt10, 1, '10:00'));
    expect(pause.fromMs).toBeGreaterThanOrEqual(mondayAt10 + 2 * HOUR);
    expect(pause.toMs).toBeGreaterThanOrEqual(replyAt);
    expect(resumed.state).toBe('in_progress');
    // The deadline moves by that much working time: from the lag past week 2's Monday 10:00 on.
    const spill = lag + pausedWorking;
    expect(spill).toBeLessThan(16 * HOUR);
    expect(resumed.clocks[1]!.dueAtMs).toBe(spill <= 8 * HOUR ? at(mondayAt10, 7, '10:00') + spill : at(mondayAt10, 8, '10:00') + spill - 8 * HOUR);

    await skipTo(env, replyAt + HOUR);
    const resolved = await act(handle, resolveUpdate, { args: [{ author: 'agent-1', summary: 'fixed in 22.1' }] });
    expect(resolved.state).toBe('resolved');
    const usedAtResolution = resolved.clocks[1]!.usedBeforeMs;
    expect(viewClock(resolved.clocks[1]!, supplier, await env.currentTimeMs()).status).toBe('met');
    // Closes by itself at the end of the 5th working day after the resolution day (Tuesday).
    expect(resolved.autoCloseAtMs).toBe(at(mondayAt10, 8, '18:00'));

    await skipTo(env, replyAt + 3 * HOUR);
    const reopened = await act(handle, reopenUpdate, { args: [{ author: 'ivan@customer', note: 'still crashes' }] });
    const clock = reopened.clocks[1]!;
    expect(reopened.state).toBe('in_progress');
    expect(clock.reopenCount).toBe(1);
    expect(clock.usedBeforeMs).toBe(usedAtResolution);
    // Used: Monday from registration to the pause, Tuesday from the reply to the resolution.
    expect(usedAtResolution).toBe(pause.fromMs - registered.registeredAtMs + (resolved.resolvedAtMs! - pause.toMs!));
    // The rest of the 40 h from the reopen (Tuesday ~18:00): what is left of Tuesday, then 8 h a day.
    const left = 40 * HOUR - usedAtResolution - Math.max(0, at(mondayAt10, 1, '18:00') - clock.runningSinceMs!);
    const fullDays = Math.floor(left / (8 * HOUR));
    const rest = left - fullDays * 8 * HOUR;
    const dueDay = [2, 3, 4, 7, 8][rest === 0 ? fullDays - 1 : fullDays]!;
    expect(clock.dueAtMs).toBe(rest === 0 ? at(mondayAt10, dueDay, '18:00') : at(mondayAt10, dueDay, '10:00') + rest);
    expect(reopened.autoCloseAtMs).toBeNull();
    expect(rec.eventTypes()).toEqual(['registered', 'replied', 'waiting_on_customer', 'customer_replied', 'resolved', 'reopened']);
  });
});

test('a not-regulated clock measures working time but never warns or breaches', async () => {
  const tuesdayAt10 = await next(2, '10:00');
  await skipTo(env, tuesdayAt10);
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-BASIC', pinnedPolicy('basic', tuesdayAt10)));
    const s = await act(handle, registeredUpdate);
    expect(s.policy.level).toBe('basic');
    expect(s.clocks[1]).toMatchObject({ kind: 'resolution', targetMs: null, dueAtMs: null, warnings: [] });
    await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'hello' }] });
    await env.sleep(30 * DAY);
    const later: RequestSnapshot = await handle.query(snapshotQuery);
    const view = viewClock(later.clocks[1]!, supplier, await env.currentTimeMs());
    expect(view.status).toBe('not_regulated');
    expect(view.usedMs).toBeGreaterThan(100 * HOUR);
    expect(rec.eventTypes()).toEqual(['registered', 'replied']);
    expect(rec.intents).toEqual([]);
  });
});

test('a failing delivery is retried and still yields exactly one notification per event', async () => {
  const wednesdayAt10 = await next(3, '10:00', [0]);
  await skipTo(env, wednesdayAt10);
  const rec = recordingActivities({ failDeliveries: 3 });
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-FAIL', pinnedPolicy('warranty', wednesdayAt10)));
    await handle.executeUpdate(registeredUpdate);
    // Through the first warning (6 working hours) and its delivery retries (5 s, 10 s, 20 s).
    await env.sleep(6 * HOUR + 5 * MINUTE);
  });
  expect(rec.intents.map((i) => i.kind)).toEqual(['warning']);
  expect(rec.deliveryAttempts).toBe(4);
  expect(rec.delivered).toEqual([1]);
  expect(rec.failedMarked).toEqual([]);
});

test("a warning waits for the recipient's quiet hours to end; the breach does not wait", async () => {
  const fridayAt17 = await next(5, '17:00', [0, 3]);
  const monday = (hh: number, mm = 0) => at(fridayAt17, 3, '00:00') + hh * HOUR + mm * MINUTE;
  await skipTo(env, fridayAt17);
  // The duty agent works evenings only (20:00-24:00 Moscow): warnings reach them then.
  const evenings = { timezone: 'Europe/Moscow', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['20:00', '24:00']]])) } as unknown as CalendarSpec;
  const rec = recordingActivities({
    calendars: { evenings },
    recipients: [
      { id: 'duty', name: 'Duty agent', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId: 'evenings' },
      { id: 'lead', name: 'Team lead', roles: ['team-lead'], hasEmail: true, hasWebhook: false, quietCalendarId: 'evenings' },
    ],
  });
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-QUIET', pinnedPolicy('warranty', fridayAt17)));
    await handle.executeUpdate(registeredUpdate);
    await skipTo(env, monday(17, 30));
    // Both warnings (15:00, 16:12) and the breach (17:00) fired; only the breach was sent.
    expect(rec.eventTypes().filter((t) => t === 'sla_warning')).toHaveLength(2);
    expect(rec.intents.map((i) => i.kind)).toEqual(['breach']);
    expect((await handle.query(snapshotQuery)).deferredNotices.map((d) => d.atMs)).toEqual([monday(20), monday(20)]);
    await skipTo(env, monday(20, 5));
    expect(rec.intents.map((i) => [i.kind, i.recipientIds])).toEqual([['breach', []], ['warning', ['duty']], ['warning', ['duty']]]);
    expect((await handle.query(snapshotQuery)).deferredNotices).toEqual([]);
  });
});

test("a recipient with an unknown quiet-hours calendar is warned at once, the reason recorded, and the request keeps taking Updates", async () => {
  // Regression: the quiet-hours lookup used to fail retryably, forever, while the request's lock was held.
  // Friday and Monday are ordinary 10:00-18:00 days: 1 h on Friday, the first warning (6 h) Monday 15:00.
  const fridayAt17 = await next(5, '17:00', [0, 3]);
  const monday = (hh: number, mm = 0) => at(fridayAt17, 3, '00:00') + hh * HOUR + mm * MINUTE;
  await skipTo(env, fridayAt17);
  const rec = recordingActivities({
    recipients: [{ id: 'duty', name: 'Duty agent', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId: 'no-such-calendar' }],
  });
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-QUIETUNKNOWN', pinnedPolicy('warranty', fridayAt17)));
    await handle.executeUpdate(registeredUpdate);
    await skipTo(env, monday(15, 30)); // the first warning (75% of 8 h) fell due at 15:00
    const assigned = await act(handle, assignUpdate, { args: [{ author: 'lead', agent: 'agent-7' }] });
    expect(assigned.assignee.agent).toBe('agent-7');
    expect(rec.intents.map((i) => [i.kind, i.recipientIds])).toEqual([['warning', ['duty']]]);
    expect(rec.events().find((e) => e.type === 'quiet_hours_ignored')).toMatchObject({ data: { recipient: 'duty', calendarId: 'no-such-calendar' } });
    expect(assigned.deferredNotices).toEqual([]);
  });
});

test('a priority change re-targets the running clocks of a contract with per-priority targets', async () => {
  const now = await env.currentTimeMs();
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-PRIO', pinnedPolicy('individual', now)));
    const s = await act(handle, registeredUpdate);
    expect(s.priority).toBe('normal');
    expect(s.clocks.map((c) => c.dueAtMs! - s.registeredAtMs)).toEqual([4 * HOUR, 40 * HOUR]);
    await env.sleep(30 * MINUTE);
    const critical = await act(handle, priorityUpdate, { args: [{ author: 'lead', priority: 'critical' }] });
    // 24x7 calendar: the 30 minutes already used count against the new 1 h target.
    expect(critical.clocks.map((c) => c.dueAtMs! - s.registeredAtMs)).toEqual([1 * HOUR, 8 * HOUR]);
    const low = await act(handle, priorityUpdate, { args: [{ author: 'lead', priority: 'low' }] });
    expect(low.clocks[0]!.dueAtMs! - s.registeredAtMs).toBe(8 * HOUR);
    expect(low.clocks[1]).toMatchObject({ targetMs: null, dueAtMs: null, warnings: [] });
    expect(rec.eventTypes()).toEqual(['registered', 'priority_changed', 'priority_changed']);
  });
});

test('a resolved request closes itself after its working days, stays reopenable for the window, then completes', async () => {
  const now = await env.currentTimeMs();
  const rec = recordingActivities();
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-CLOSE', pinnedPolicy('individual', now), { reopenWindowMs: 3 * DAY }));
    await handle.executeUpdate(registeredUpdate);
    const resolved = await act(handle, resolveUpdate, { args: [{ author: 'agent-1', summary: 'done' }] });
    // Individual contract on the 24x7 calendar: 5 working days after the resolution day end at
    // midnight (Moscow) starting the 6th day after it.
    expect(resolved.autoCloseAtMs).toBe(at(resolved.resolvedAtMs!, 6, '00:00'));

    await skipTo(env, resolved.autoCloseAtMs! - 1_000);
    expect((await handle.query(snapshotQuery)).state).toBe('resolved');
    await skipTo(env, resolved.autoCloseAtMs! + 1_000);
    const closed = await handle.query(snapshotQuery);
    expect(closed).toMatchObject({ state: 'closed', reopenUntilMs: closed.closedAtMs! + 3 * DAY });
    expect(closed.closedAtMs).toBeGreaterThanOrEqual(resolved.autoCloseAtMs!);
    expect(rec.eventTypes()).toEqual(['registered', 'resolved', 'auto_closed']);

    // Past the reopen window the workflow completes with the final state.
    await env.sleep(3 * DAY + MINUTE);
    const final = await handle.result();
    expect(final.state).toBe('closed');
    expect(rec.eventTypes()).toEqual(['registered', 'resolved', 'auto_closed', 'reopen_window_ended']);
  });
});

test('a delivery that exhausts its retries is marked failed and recorded in the timeline as notification_failed', async () => {
  const wednesdayAt10 = await next(3, '10:00', [0]);
  await skipTo(env, wednesdayAt10);
  // The first warning's delivery (outbox row 1) never gets through; the others do.
  const rec = recordingActivities({ alwaysFail: [1] });
  await withWorker(env, rec.activities, async (taskQueue) => {
    const handle = await start(taskQueue, requestInput('SR-GIVEUP', pinnedPolicy('warranty', wednesdayAt10)));
    const s = await act(handle, registeredUpdate);
    // The 75% warning at 16:00: a first attempt in the workflow task, then 12 scheduled ones
    // 5 s, 10 s, ... 30 min apart, ending by about 17:43.
    await skipTo(env, at(wednesdayAt10, 0, '17:59'));
    expect(rec.intents.map((i) => i.kind)).toEqual(['warning', 'warning']);
    expect(rec.attemptsById.get(1)).toBe(1 + 12);
    expect(rec.failedMarked).toEqual([{ id: 1, error: 'webhook receiver answered 503' }]);
    expect(rec.delivered).toEqual([2]);
    const failed = eventAt(rec.events(), 'notification_failed');
    expect(failed).toEqual([expect.objectContaining({ actor: 'system', data: expect.objectContaining({ outboxId: 1, error: 'webhook receiver answered 503' }) })]);
    expect(failed[0]!.atMs).toBeGreaterThan(at(wednesdayAt10, 0, '17:42'));
    // The request itself carries on: the breach (Thursday 10:00 + the registration lag) still fires.
    await skipTo(env, s.clocks[0]!.dueAtMs! + 1_000);
    expect(eventAt(rec.events(), 'sla_breached')).toHaveLength(1);
  });
});

test('continue-as-new carries pending warnings, breach, escalations and deferred notices: each fires once in the new runs', async () => {
  const fridayAt17 = await next(5, '17:00', [0, 3, 4]);
  const monday = (hh: number, mm = 0) => at(fridayAt17, 3, '00:00') + hh * HOUR + mm * MINUTE;
  await skipTo(env, fridayAt17);
  const evenings = { timezone: 'Europe/Moscow', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['20:00', '24:00']]])) } as unknown as CalendarSpec;
  const rec = recordingActivities({
    calendars: { evenings },
    recipients: [
      { id: 'duty', name: 'Duty agent', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId: 'evenings' },
      { id: 'lead', name: 'Team lead', roles: ['team-lead'], hasEmail: true, hasWebhook: false, quietCalendarId: null },
      { id: 'head', name: 'Head of Support', roles: ['head-of-support'], hasEmail: true, hasWebhook: false, quietCalendarId: null },
    ],
  });
  await withWorker(env, rec.activities, async (taskQueue) => {
    // A tiny history limit: the workflow continues as new after every wake-up that fires
    // something (registration alone takes about ten events, each firing five or more; a run
    // starts at three, so it never continues as new on its first task).
    const handle = await start(taskQueue, requestInput('SR-CAN', pinnedPolicy('warranty', fridayAt17), { historyEventLimit: 15 }));
    await handle.executeUpdate(registeredUpdate);
    const runId = async () => (await handle.describe()).runId;
    const atRegistration = await runId();
    await skipTo(env, monday(16, 30));
    // Both warnings fired (to the duty agent, deferred to 20:00); the breach and escalations are pending.
    expect(eventAt(rec.events(), 'sla_warning')).toHaveLength(2);
    expect((await handle.query(snapshotQuery)).deferredNotices).toHaveLength(2);
    expect(eventAt(rec.events(), 'sla_breached')).toEqual([]);
    const withPendingBreach = await runId();
    await skipTo(env, monday(17, 30));
    const withPendingEscalation = await runId();
    await skipTo(env, monday(20, 30));
    expect((await handle.query(snapshotQuery)).deferredNotices).toEqual([]);
    await skipTo(env, at(fridayAt17, 4, '13:30'));
    const atEnd = await runId();
    // The run that had them pending is not the run that fired them: they crossed continue-as-new.
    expect(withPendingBreach).not.toBe(atRegistration);
    expect(atEnd).not.toBe(withPendingEscalation);

    const events = rec.events();
    expect(eventAt(events, 'sla_warning').map((e) => e.data?.fraction)).toEqual([0.75, 0.9]);
    expect(eventAt(events, 'sla_breached')).toHaveLength(1);
    expect(eventAt(events, 'escalated').map((e) => e.data?.step)).toEqual([0, 1]);
    // Timeline events are recorded once each, whatever run wrote them.
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    const sent = rec.intents.map((i) => `${i.kind}:${[...(i.roles ?? []), ...(i.recipientIds ?? [])].join('+')}`);
    expect(sent.sort()).toEqual(['breach:team-lead+duty-agent', 'escalation:head-of-support', 'warning:duty', 'warning:duty']);
    expect(new Set(rec.intents.map((i) => i.idempotencyKey)).size).toBe(rec.intents.length);
    expect(new Set(rec.delivered).size).toBe(rec.intents.length);
  });
});

describe('re-planning onto a new calendar version', () => {
  // always-on in two versions: 24 x 7, then (an hour after T0) 00:00-12:00 UTC every day.
  const twoVersions = (t0: number): VersionedCalendarSpec => {
    const week = (hours: string[][]) => Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, hours]));
    return {
      id: 'always-on',
      versions: [
        { versionId: 'v1', timezone: 'UTC', week: week([['00:00', '24:00']]) },
        { versionId: 'v2', effectiveFrom: t0 + HOUR, timezone: 'UTC', week: week([['00:00', '12:00']]) },
      ],
    } as unknown as VersionedCalendarSpec;
  };
  const nextUtcMidnight = async () => (Math.floor((await env.currentTimeMs()) / DAY) + 1) * DAY;

  test('a breached clock stays breached once (no second breach, escalation unchanged); the running one moves', async () => {
    const t0 = await nextUtcMidnight();
    await skipTo(env, t0);
    const rec = recordingActivities({ calendars: { 'always-on': twoVersions(t0) } });
    await withWorker(env, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, requestInput('SR-RP-BREACH', pinnedPolicy('individual', t0)));
      const s = await act(handle, registeredUpdate);
      expect(s.calendar.versionId).toBe('v1');
      // First response 4 h: breached at T0 + 4 h (+ lag); escalation step 1 two hours later.
      await skipTo(env, t0 + 5 * HOUR);
      const breached = await handle.query(snapshotQuery);
      const fr = breached.clocks[0]!;
      expect(fr.breachedAtMs).toBe(s.clocks[0]!.dueAtMs);
      const replanned = await act(handle, replanUpdate, { args: [{ author: 'calendar-admin', calendarVersionId: 'v2' }] });
      expect(replanned.calendar.versionId).toBe('v2');
      expect(replanned.clocks[0]!.breachedAtMs).toBe(fr.breachedAtMs);
      expect(replanned.clocks[0]!.escalations.map((e) => e.atMs)).toEqual(fr.escalations.map((e) => e.atMs));
      // Resolution (40 h) used 5 h on v1 (less the registration lag); 35 h on v2 from 05:00:
      // 7 h + 12 h + 12 h + 4 h, plus the lag.
      expect(replanned.clocks[1]!.dueAtMs).toBe(t0 + 3 * DAY + 4 * HOUR + (s.registeredAtMs - t0));
      // Measured on v1 and planned on v2 by one local activity (ONE_ACTIVITY_CLOCK_MOVE_PATCH).
      // The re-plan's local activities: the move, then the write. The run's one patch marker,
      // recorded at its start, covers the move (no marker, no search-attribute upsert of its own).
      const history = await handle.fetchHistory();
      expect(localActivityTypes(history).slice(-2)).toEqual(['moveClocks', 'writeRequest']);
      expect(history.events!.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).toHaveLength(1);
      await skipTo(env, t0 + 2 * DAY);
      expect(eventAt(rec.events(), 'sla_breached')).toHaveLength(1);
      expect(eventAt(rec.events(), 'escalated').map((e) => e.data?.step)).toEqual([0, 1]);
      expect(eventAt(rec.events(), 'deadlines_replanned')).toHaveLength(1);
    });
  });

  test('a re-plan computed ahead by its fan-out is taken at its instant with its answers, and hands its write back', async () => {
    const t0 = await nextUtcMidnight();
    await skipTo(env, t0);
    const calendars = { 'always-on': twoVersions(t0) };
    const rec = recordingActivities({ calendars });
    const ahead = replanAhead(createCalendarRegistry(async (id) => calendars[id as 'always-on']));
    await withWorker(env, rec.activities, async (taskQueue) => {
      // Both registered at T0 (the API's instant in the start input): their clocks are alike.
      const computed = await start(taskQueue, { ...requestInput('SR-RP-AHEAD', pinnedPolicy('individual', t0)), registeredAtMs: t0 });
      const asked = await start(taskQueue, { ...requestInput('SR-RP-ASKED', pinnedPolicy('individual', t0)), registeredAtMs: t0 });
      await act(computed, registeredUpdate);
      await act(asked, registeredUpdate);
      await skipTo(env, t0 + 2 * HOUR);
      const atMs = (await env.currentTimeMs()) - MINUTE;
      const replan = { author: 'calendar-admin', calendarVersionId: 'v2' };
      // The fan-out computes from the row, whose jsonb keeps keys in an order of its own.
      const row = await computed.query(snapshotQuery);
      const message = await ahead(replan, atMs, { ...row, clocks: row.clocks.map((c) => Object.fromEntries(Object.entries(c).reverse()) as typeof c) });
      expect(message.answered?.map((a) => a.ask.kind)).toEqual(['move_clocks']);
      const receipt = await computed.executeUpdate(replanUpdate, { args: [message] });
      // The same instant without answers: the workflow asks by a local activity, and plans the same.
      const control = await asked.executeUpdate(replanUpdate, { args: [{ ...replan, occurredAt: message.occurredAt }] });

      const [s, c] = [await computed.query(snapshotQuery), await asked.query(snapshotQuery)];
      expect(s.calendar.versionId).toBe('v2');
      expect(s.clocks).toEqual(c.clocks);
      expect(s.clocks[1]!.dueAtMs).not.toBe(row.clocks[1]!.dueAtMs);
      // No local activity for the computed one (its one write is the registration's); the other asked for the move.
      expect(localActivityTypes(await computed.fetchHistory()).filter((t) => t === 'moveClocks' || t === 'writeRequest')).toEqual(['writeRequest']);
      expect(localActivityTypes(await asked.fetchHistory()).filter((t) => t === 'moveClocks' || t === 'writeRequest')).toEqual(['writeRequest', 'moveClocks']);
      // Neither wrote its re-plan: each handed it back, a change since the registration's write.
      for (const [r, id] of [[receipt, 'SR-RP-AHEAD'], [control, 'SR-RP-ASKED']] as const) {
        expect(r.write?.projection).toEqual({ changes: expect.objectContaining({ requestId: id, baseRevision: r.revision - 1, revision: r.revision }) });
        expect(r.write?.events).toEqual([expect.objectContaining({ type: 'deadlines_replanned', atMs, seq: r.revision })]);
      }
      expect(rec.eventTypes()).not.toContain('deadlines_replanned');

      // One fan-out committed its write, the other never did: each request's next own write
      // carries the re-plan's events again; the uncommitted one's row is behind, so it is whole.
      await rec.activities.writeRequest(receipt.write!);
      await act(computed, respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'on it' }] });
      await act(asked, respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'on it' }] });
      const replanned = (workflowId: string) => rec.updates.filter((u) => u.workflowId === workflowId).flatMap((u) => u.events).filter((e) => e.type === 'deadlines_replanned');
      expect(replanned(computed.workflowId)).toHaveLength(2);
      expect(replanned(asked.workflowId)).toHaveLength(1);
      expect(rec.updates.filter((u) => u.workflowId === asked.workflowId).at(-1)?.snapshot.calendar.versionId).toBe('v2');
    });
  });

  test('a re-plan that leaves the earliest alarm where it was keeps its timer, which fires on time; a change that moves it starts another', async () => {
    const t0 = await nextUtcMidnight();
    await skipTo(env, t0);
    const rec = recordingActivities({ calendars: { 'always-on': twoVersions(t0) } });
    await withWorker(env, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, requestInput('SR-RP-TIMER', pinnedPolicy('individual', t0)));
      const timers = async () => {
        const events = (await handle.fetchHistory()).events!;
        return { started: events.filter((e) => e.timerStartedEventAttributes).length, cancelled: events.filter((e) => e.timerCanceledEventAttributes).length };
      };
      const s = await act(handle, registeredUpdate);
      const warningAt = s.clocks[0]!.warnings[0]!.atMs!;
      expect(await timers()).toEqual({ started: 1, cancelled: 0 });
      // Onto v2 half an hour in: the first response (4 h) still ends inside v2's hours, at the
      // same instant, and so do its warnings; only the resolution (40 h) moves.
      await skipTo(env, t0 + 30 * MINUTE);
      const replanned = await act(handle, replanUpdate, { args: [{ author: 'calendar-admin', calendarVersionId: 'v2' }] });
      expect(replanned.clocks[0]).toMatchObject({ dueAtMs: s.clocks[0]!.dueAtMs, warnings: s.clocks[0]!.warnings });
      expect(replanned.clocks[1]!.dueAtMs).not.toBe(s.clocks[1]!.dueAtMs);
      expect(await timers()).toEqual({ started: 1, cancelled: 0 });
      // The kept timer fires the warning at its instant (the timer runs from the task's completion: a moment's lag).
      const warnings = () => eventAt(rec.events(), 'sla_warning', { clock: 'first_response' });
      await skipTo(env, warningAt - 1_000);
      expect(warnings()).toEqual([]);
      await skipTo(env, warningAt + 1_000);
      expect(warnings()).toEqual([expect.objectContaining({ atMs: expect.any(Number) })]);
      expect(warnings()[0]!.atMs).toBeGreaterThanOrEqual(warningAt);
      // The response stops the first-response clock: the earliest alarm is now another one.
      const before = await timers();
      await act(handle, respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'on it' }] });
      expect(await timers()).toEqual({ started: before.started + 1, cancelled: before.cancelled + 1 });
    });
  });

  test('a paused clock stays paused, keeps its used time, and plans on the new version when it resumes', async () => {
    const t0 = await nextUtcMidnight();
    await skipTo(env, t0);
    const rec = recordingActivities({ calendars: { 'always-on': twoVersions(t0) } });
    await withWorker(env, rec.activities, async (taskQueue) => {
      const handle = await start(taskQueue, requestInput('SR-RP-PAUSE', pinnedPolicy('individual', t0)));
      await handle.executeUpdate(registeredUpdate);
      await skipTo(env, t0 + HOUR);
      await handle.executeUpdate(respondUpdate, { args: [{ visibility: 'public', author: 'agent-1', body: 'send the log' }] });
      const paused = await act(handle, waitOnCustomerUpdate, { args: [{ author: 'agent-1' }] });
      const resolution = paused.clocks[1]!;
      await skipTo(env, t0 + 5 * HOUR);
      const replanned = await act(handle, replanUpdate, { args: [{ author: 'calendar-admin', calendarVersionId: 'v2' }] });
      expect(replanned.clocks[1]).toMatchObject({ runningSinceMs: null, dueAtMs: null, usedBeforeMs: resolution.usedBeforeMs, pauses: resolution.pauses });
      expect(replanned.state).toBe('waiting_on_customer');
      // The customer answers at 13:00 UTC (outside v2's hours): the rest counts from tomorrow 00:00, 12 h a day.
      await skipTo(env, t0 + 13 * HOUR);
      const resumed = await act(handle, customerReplyUpdate, { args: [{ author: 'ivan@customer', body: 'log attached' }] });
      const left = 40 * HOUR - resumed.clocks[1]!.usedBeforeMs;
      expect(left).toBeGreaterThan(36 * HOUR);
      expect(resumed.clocks[1]!.dueAtMs).toBe(t0 + 4 * DAY + (left - 36 * HOUR));
      expect(eventAt(rec.events(), 'sla_breached')).toEqual([]);
    });
  });
});
