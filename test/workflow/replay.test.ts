// Replays workflow histories recorded on the real dev server (scripts/record-histories.ts)
// against the current workflow code. A change that would make running requests fail to
// replay fails here: wrap it in `patched()` instead.
//
// The histories were recorded before a calendar edit (the `replan` one even records the edit
// itself), and are replayed here with no activities at all: every calendar result comes from
// the local-activity markers in history, so later changes to calendar data, the time-zone
// database or the catalogue can never change what a replay computes.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { createCalendarRegistry } from '../../services/calendar-registry';
import { registrationAnswers } from '../../services/registration/answers-ahead';

const DIR = path.join(__dirname, 'histories');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const SCENARIOS = ['breach-escalation', 'cancelled', 'continue-as-new', 'continue-as-new-next-run', 'lifecycle', 'replan'];

test('every scenario is recorded for every workflow version still running somewhere', () => {
  // v1: projection writes as activities; v2: as local activities (patch LOCAL_PROJECTION_PATCH);
  // v3: the state machine moved to domain/request (same commands, no patch); v4: projection
  // writes after a run's first carry the changed fields (LEAN_PROJECTION_PATCH).
  // v5: the final milestone-2 code (day-one terms, search attributes), plus a day-one scenario.
  // v6: Updates answer a receipt, one local write per change with its notifications, first
  // delivery attempts as local activities, one patch marker.
  // v7: a transition's independent calendar asks answered by one local activity (BATCHED_CALENDAR_ASKS_PATCH).
  // v8: a re-plan's clocks measured and planned by one local activity (ONE_ACTIVITY_CLOCK_MOVE_PATCH).
  // v9: registration from the start input: the API's instant, calendar answers and search attributes (REGISTRATION_FROM_START_PATCH).
  // v10: a re-plan computed ahead by its fan-out, its write handed back (REPLAN_AHEAD_PATCH, no local activity).
  // v11: the alarm timer kept across changes that do not move it (KEPT_TIMER_PATCH; the re-plan cancels no timer).
  // v12: registration's first write committed by the API that planned it (REGISTRATION_HANDED_OVER_PATCH, no local activity).
  const versions = ['v1', 'v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9', 'v10', 'v11', 'v12'];
  for (const version of versions) for (const s of SCENARIOS) expect(files).toContain(`${version}-${s}.json`);
  for (const version of versions.slice(4)) expect(files).toContain(`${version}-dayone.json`);
  // v6: first delivery attempts failing (local activity), then retried by the scheduled activity.
  for (const version of versions.slice(5)) expect(files).toContain(`${version}-delivery-retry.json`);
  // A request upgraded mid-run (scripts/record-upgrade-history.ts): registered and changed by the
  // v10 worker, changed again by the v11 worker, whose first change recorded KEPT_TIMER_PATCH's
  // marker after the older path's events, then warned and breached on v11's kept timer. Only it
  // catches a patch read once per run instead of at each turn of the loop.
  expect(files).toContain('upgrade-v10-to-v11.json');
});

test('the current workflow code replays every recorded history without nondeterminism', async () => {
  const histories = files.map((f) => ({
    workflowId: f.replace(/\.json$/, ''),
    history: historyFromJSON(JSON.parse(readFileSync(path.join(DIR, f), 'utf8'))),
  }));
  const failures: string[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowsPath: require.resolve('../../workflows'), replayName: 'recorded' }, histories)) {
    replayed++;
    if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(files.length);
});

test('a history whose commands no longer match the code is detected (the replay test can fail)', async () => {
  // Drop the first timer from the lifecycle history: the code will schedule it, history won't.
  const json = JSON.parse(readFileSync(path.join(DIR, 'v1-breach-escalation.json'), 'utf8')) as { events: Array<{ eventType?: string }> };
  const firstTimer = json.events.findIndex((e) => e.eventType === 'EVENT_TYPE_TIMER_STARTED');
  expect(firstTimer).toBeGreaterThan(0);
  json.events[firstTimer]!.eventType = 'EVENT_TYPE_MARKER_RECORDED';
  const history = historyFromJSON(json);
  await expect(Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), replayName: 'tampered' }, history)).rejects.toThrow();
});

test('a request the new API started but the previous worker registered replays on today\'s code', async () => {
  // During a rolling upgrade the API may be new while an old worker runs the first task: the v8
  // history is what that worker did (asked its calendar, upserted every attribute, recorded the
  // 2026-12b marker, wrote the request itself); its input and start attributes are what today's
  // API sends, its planned write's digest included.
  const json = JSON.parse(readFileSync(path.join(DIR, 'v8-lifecycle.json'), 'utf8'));
  const started = json.events[0].workflowExecutionStartedEventAttributes;
  const input = JSON.parse(Buffer.from(started.input.payloads[0].data, 'base64').toString('utf8'));
  const registeredAtMs = Date.parse(json.events[2].eventTime) - 5;
  const { answered, write } = await registrationAnswers(createCalendarRegistry(async () => undefined))({
    ids: { requestId: input.requestId, requestKey: input.requestKey },
    registration: input.registration,
    policy: input.policy,
    atMs: registeredAtMs,
    by: input.by,
  });
  expect(answered).toHaveLength(1);
  started.input.payloads[0].data = Buffer.from(JSON.stringify({ ...input, registeredAtMs, answered, plannedDigest: write!.digest })).toString('base64');
  const registrationUpsert = json.events.find((e: any) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.SlaState);
  started.searchAttributes = registrationUpsert.upsertWorkflowSearchAttributesEventAttributes.searchAttributes;
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), replayName: 'mixed-rollout' }, historyFromJSON(json));
});

test('a request today\'s API offered its planned write to, registered by the previous worker, replays on today\'s code', async () => {
  // The v11 worker took the API's instant and answers but knew no offer: it wrote the request
  // itself. Today's code plans the very write offered, and must still replay that local activity.
  const json = JSON.parse(readFileSync(path.join(DIR, 'v11-lifecycle.json'), 'utf8'));
  const started = json.events[0].workflowExecutionStartedEventAttributes;
  const input = JSON.parse(Buffer.from(started.input.payloads[0].data, 'base64').toString('utf8'));
  expect(input.registeredAtMs).toEqual(expect.any(Number));
  const { write } = await registrationAnswers(createCalendarRegistry(async () => undefined))({
    ids: { requestId: input.requestId, requestKey: input.requestKey },
    registration: input.registration,
    policy: input.policy,
    atMs: input.registeredAtMs,
    ...(input.receivedAtMs !== undefined && { receivedAtMs: input.receivedAtMs }),
    by: input.by,
  });
  started.input.payloads[0].data = Buffer.from(JSON.stringify({ ...input, plannedDigest: write!.digest })).toString('base64');
  await Worker.runReplayHistory({ workflowsPath: require.resolve('../../workflows'), replayName: 'offer-to-previous-worker' }, historyFromJSON(json));
});
