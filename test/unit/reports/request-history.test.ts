// The request history behind GET /v1/requests/:id/history (api/requests/history.ts): mapping
// Temporal events, following a continue-as-new chain, Temporal being down, merging.
import { WorkflowNotFoundError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { eventTypeName, loadTemporalHistory, mapRunEvents, mergeHistory, type RunFetcher } from '../../../api/requests/history';
import type { EventRow } from '../../../db/queries/requests';

type Ev = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;
const T0 = Date.UTC(2026, 11, 1, 6);
const ts = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 });
/** Plain numbers where the generated types want Long: the code under test accepts both. */
const ev = (e: Record<string, unknown>): Ev => e as Ev;
const json = (v: unknown) => ({ metadata: { encoding: new TextEncoder().encode('json/plain') }, data: new TextEncoder().encode(JSON.stringify(v)) });

function run(runId: string, previous: string | null, atMs: number, extra: Ev[] = [], next?: string): Ev[] {
  const events: Ev[] = [
    ev({ eventId: 1, eventTime: ts(atMs), eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, workflowExecutionStartedEventAttributes: { workflowType: { name: 'supportRequest' }, originalExecutionRunId: runId, continuedExecutionRunId: previous ?? '' } }),
    ev({ eventId: 2, eventTime: ts(atMs), eventType: T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, workflowTaskScheduledEventAttributes: {} }),
    ...extra,
  ];
  if (next) events.push(ev({ eventId: 99, eventTime: ts(atMs + 50_000), eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW, workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: next } }));
  return events;
}

test('event type names are the enum without its prefix, in PascalCase', () => {
  expect(eventTypeName(T.EVENT_TYPE_TIMER_STARTED)).toBe('TimerStarted');
  expect(eventTypeName(T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe('WorkflowExecutionUpdateAccepted');
  expect(eventTypeName(9999)).toBe('Unknown(9999)');
});

test('timers, updates, activities and local-activity markers are described; workflow tasks are left out unless asked', () => {
  const events = run('r1', null, T0, [
    ev({ eventId: 3, eventTime: ts(T0 + 1000), eventType: T.EVENT_TYPE_MARKER_RECORDED, markerRecordedEventAttributes: { markerName: 'core_local_activity', details: { data: { payloads: [json({ seq: 1, activity_type: 'planClock' })] } } } }),
    ev({ eventId: 4, eventTime: ts(T0 + 2000), eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId: 'u1' }, input: { name: 'respond' } } } }),
    ev({ eventId: 5, eventTime: ts(T0 + 2000), eventType: T.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, activityTaskScheduledEventAttributes: { activityType: { name: 'recordTicketUpdate' }, activityId: '7' } }),
    ev({ eventId: 6, eventTime: ts(T0 + 2100), eventType: T.EVENT_TYPE_ACTIVITY_TASK_FAILED, activityTaskFailedEventAttributes: { scheduledEventId: 5, failure: { message: 'db down' } } }),
    ev({ eventId: 7, eventTime: ts(T0 + 3000), eventType: T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED, workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u1' }, outcome: { success: { payloads: [] } } } }),
    ev({ eventId: 8, eventTime: ts(T0 + 3000), eventType: T.EVENT_TYPE_TIMER_STARTED, timerStartedEventAttributes: { timerId: '1', startToFireTimeout: { seconds: 3600 } } }),
    ev({ eventId: 9, eventTime: ts(T0 + 3_603_000), eventType: T.EVENT_TYPE_TIMER_FIRED, timerFiredEventAttributes: { timerId: '1', startedEventId: 8 } }),
  ]);
  const mapped = mapRunEvents(events, 'r1');
  expect(mapped.map((e) => e.type)).toEqual([
    'WorkflowExecutionStarted',
    'MarkerRecorded',
    'WorkflowExecutionUpdateAccepted',
    'ActivityTaskScheduled',
    'ActivityTaskFailed',
    'WorkflowExecutionUpdateCompleted',
    'TimerStarted',
    'TimerFired',
  ]);
  const byType = Object.fromEntries(mapped.map((e) => [e.type, e.detail]));
  expect(byType.MarkerRecorded).toEqual({ markerName: 'core_local_activity', localActivity: true, activityType: 'planClock' });
  expect(byType.WorkflowExecutionUpdateCompleted).toEqual({ updateName: 'respond', updateId: 'u1', outcome: 'success' });
  expect(byType.ActivityTaskFailed).toMatchObject({ activityType: 'recordTicketUpdate', failure: 'db down' });
  expect(byType.TimerStarted).toEqual({ timerId: '1', durationMs: 3_600_000, firesAtMs: T0 + 3000 + 3_600_000 });
  expect(mapRunEvents(events, 'r1', { includeWorkflowTasks: true }).map((e) => e.type)).toContain('WorkflowTaskScheduled');
});

test('a continue-as-new chain is read back from the latest run, oldest run first', async () => {
  const runs: Record<string, Ev[]> = {
    r1: run('r1', null, T0, [], 'r2'),
    r2: run('r2', 'r1', T0 + 60_000, [], 'r3'),
    r3: run('r3', 'r2', T0 + 120_000),
  };
  const asked: Array<string | undefined> = [];
  const fetchRun: RunFetcher = async (runId) => {
    asked.push(runId);
    return runs[runId ?? 'r3']!;
  };
  const h = await loadTemporalHistory(fetchRun);
  expect(asked).toEqual([undefined, 'r2', 'r1']);
  expect(h).toMatchObject({ available: true, runs: ['r1', 'r2', 'r3'], truncated: false });
  if (!h.available) throw new Error('unreachable');
  expect(h.entries.filter((e) => e.type === 'WorkflowExecutionContinuedAsNew').map((e) => e.detail.newRunId)).toEqual(['r2', 'r3']);

  const capped = await loadTemporalHistory(fetchRun, { maxRuns: 2 });
  expect(capped).toMatchObject({ available: true, runs: ['r2', 'r3'], truncated: true, earlierRunId: 'r1' });
});

test('Temporal unreachable or the history gone: not available, with the reason', async () => {
  const down = await loadTemporalHistory(async () => {
    throw new Error('14 UNAVAILABLE: No connection established');
  });
  expect(down).toEqual({ available: false, reason: expect.stringMatching(/UNAVAILABLE/) });
  const gone = await loadTemporalHistory(async () => {
    throw new WorkflowNotFoundError('not found', 'wf', undefined);
  });
  expect(gone).toEqual({ available: false, reason: expect.stringMatching(/retention/) });
});

test('merging orders by time; at the same instant the Temporal event precedes the domain event', () => {
  const temporalEntries = mapRunEvents(run('r1', null, T0, [ev({ eventId: 3, eventTime: ts(T0 + 5000), eventType: T.EVENT_TYPE_TIMER_STARTED, timerStartedEventAttributes: { timerId: '1', startToFireTimeout: { seconds: 60 } } })]), 'r1');
  const domain: EventRow[] = [
    { request_id: 'SR-1', seq: 1, type: 'registered', occurred_at: new Date(T0), actor: 'intake', data: {} },
    { request_id: 'SR-1', seq: 2, type: 'replied', occurred_at: new Date(T0 + 2000), actor: 'agent-1', data: {} },
  ];
  const merged = mergeHistory(domain, temporalEntries, (ms) => (ms == null ? null : new Date(ms).toISOString()));
  expect(merged.map((m) => `${m.source}:${m.type}`)).toEqual(['temporal:WorkflowExecutionStarted', 'domain:registered', 'domain:replied', 'temporal:TimerStarted']);
  // Instants inside details are presented like the entries' own.
  expect(merged[3]).toMatchObject({ at: new Date(T0 + 5000).toISOString(), detail: { timerId: '1', durationMs: 60_000, firesAt: new Date(T0 + 65_000).toISOString() } });
});
