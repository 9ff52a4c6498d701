/**
 * A request's history: its domain timeline (PostgreSQL `request_events`) merged with its
 * workflow's Temporal event history, in time order.
 *
 * Continue-as-new: a request workflow may run as a chain of runs. We fetch the latest run
 * (a handle without a run id), then walk backwards through `continuedExecutionRunId` of each
 * run's WorkflowExecutionStarted event, one GetWorkflowExecutionHistory call per run. This
 * needs neither DescribeWorkflowExecution's firstRunId nor the visibility (List) API, so it
 * works on every server and on Temporal Cloud. Only the latest `maxRuns` runs are read; the
 * answer says so (`truncated`, `earlierRunId`) when more exist.
 *
 * Temporal being unreachable (or the history gone after retention) is not an error of this
 * endpoint: the PostgreSQL timeline is returned with `temporal.available: false` and a reason.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { EventRow } from '../../db/queries/requests';
import { eventBy } from './present';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** Fetches one run's events; `undefined` = the latest run of the workflow. */
export type RunFetcher = (runId: string | undefined) => Promise<HistoryEvent[]>;

export const DEFAULT_MAX_RUNS = 10;
export const DEFAULT_TEMPORAL_TIMEOUT_MS = 5_000;

/** Run fetcher over a Temporal client, each call bounded by a gRPC deadline. */
export function clientRunFetcher(client: Client, workflowId: string, timeoutMs = DEFAULT_TEMPORAL_TIMEOUT_MS): RunFetcher {
  return async (runId) => {
    const history = await client.withDeadline(Date.now() + timeoutMs, () => client.workflow.getHandle(workflowId, runId).fetchHistory());
    return history.events ?? [];
  };
}

// --- protobuf helpers --------------------------------------------------------------------------

const num = (v: unknown): number | null => (v == null ? null : typeof v === 'number' ? v : Number(String(v)));
const tsMs = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number | null =>
  t ? (num(t.seconds) ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : null;

/** EVENT_TYPE_TIMER_STARTED -> TimerStarted */
export function eventTypeName(type: number | null | undefined): string {
  const raw = type == null ? undefined : temporal.api.enums.v1.EventType[type];
  if (!raw) return `Unknown(${type ?? '?'})`;
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/** Decodes a json/plain payload; undefined for anything else (binary, encrypted). */
function jsonPayload(p: temporal.api.common.v1.IPayload | null | undefined): unknown {
  if (!p?.data) return undefined;
  const encoding = p.metadata?.encoding ? new TextDecoder().decode(p.metadata.encoding) : '';
  if (encoding !== 'json/plain') return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(p.data));
  } catch {
    return undefined;
  }
}

/** Local activity markers (the workflow's calendar computations) carry the activity type. */
export function markerActivityType(e: temporal.api.history.v1.IMarkerRecordedEventAttributes): string | undefined {
  const data = jsonPayload(e.details?.data?.payloads?.[0]) as Record<string, unknown> | undefined;
  const type = data?.activity_type ?? data?.activityType;
  return typeof type === 'string' ? type : undefined;
}

const failureMessage = (f: temporal.api.failure.v1.IFailure | null | undefined) => (f ? (f.message ?? 'failed') : undefined);

/** Keeps only the defined fields of a detail object. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

// --- mapping -------------------------------------------------------------------------------------

export interface TemporalEntry {
  source: 'temporal';
  atMs: number | null;
  runId: string | null;
  eventId: number | null;
  type: string;
  detail: Record<string, unknown>;
}

const WORKFLOW_TASK_TYPES = new Set(['WorkflowTaskScheduled', 'WorkflowTaskStarted', 'WorkflowTaskCompleted']);

/**
 * Maps one run's events. Names of updates and activity types are carried from the event that
 * introduced them (accepted update, scheduled activity) to the events that refer back to it.
 */
export function mapRunEvents(events: readonly HistoryEvent[], runId: string | null, opts: { includeWorkflowTasks?: boolean } = {}): TemporalEntry[] {
  const activityTypes = new Map<number, string>();
  const updateNames = new Map<string, string>();
  const out: TemporalEntry[] = [];
  for (const e of events) {
    const type = eventTypeName(e.eventType);
    const atMs = tsMs(e.eventTime);
    const eventId = num(e.eventId);
    let detail: Record<string, unknown> = {};
    if (e.workflowExecutionStartedEventAttributes) {
      const a = e.workflowExecutionStartedEventAttributes;
      detail = { workflowType: a.workflowType?.name, taskQueue: a.taskQueue?.name, attempt: a.attempt, continuedFromRunId: a.continuedExecutionRunId, firstRunId: a.firstExecutionRunId };
    } else if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      const durationMs = tsMs(a.startToFireTimeout);
      // firesAtMs becomes `firesAt` (ISO, the calendar's offset) when the history is presented.
      detail = { timerId: a.timerId, durationMs, firesAtMs: atMs !== null && durationMs !== null ? atMs + durationMs : undefined };
    } else if (e.timerFiredEventAttributes) {
      detail = { timerId: e.timerFiredEventAttributes.timerId, startedEventId: num(e.timerFiredEventAttributes.startedEventId) };
    } else if (e.timerCanceledEventAttributes) {
      detail = { timerId: e.timerCanceledEventAttributes.timerId, startedEventId: num(e.timerCanceledEventAttributes.startedEventId) };
    } else if (e.workflowExecutionUpdateAdmittedEventAttributes) {
      const r = e.workflowExecutionUpdateAdmittedEventAttributes.request;
      if (r?.meta?.updateId && r.input?.name) updateNames.set(r.meta.updateId, r.input.name);
      detail = { updateName: r?.input?.name, updateId: r?.meta?.updateId };
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const r = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      if (r?.meta?.updateId && r.input?.name) updateNames.set(r.meta.updateId, r.input.name);
      detail = { updateName: r?.input?.name, updateId: r?.meta?.updateId };
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const a = e.workflowExecutionUpdateCompletedEventAttributes;
      const updateId = a.meta?.updateId ?? undefined;
      detail = {
        updateName: updateId ? updateNames.get(updateId) : undefined,
        updateId,
        outcome: a.outcome?.failure ? 'failure' : 'success',
        failure: failureMessage(a.outcome?.failure),
      };
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      if (eventId !== null && a.activityType?.name) activityTypes.set(eventId, a.activityType.name);
      detail = { activityType: a.activityType?.name, activityId: a.activityId };
    } else if (e.activityTaskStartedEventAttributes) {
      const a = e.activityTaskStartedEventAttributes;
      detail = { activityType: activityTypes.get(num(a.scheduledEventId) ?? -1), attempt: a.attempt, scheduledEventId: num(a.scheduledEventId) };
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      detail = { activityType: activityTypes.get(num(a.scheduledEventId) ?? -1), scheduledEventId: num(a.scheduledEventId) };
    } else if (e.activityTaskFailedEventAttributes) {
      const a = e.activityTaskFailedEventAttributes;
      detail = { activityType: activityTypes.get(num(a.scheduledEventId) ?? -1), scheduledEventId: num(a.scheduledEventId), failure: failureMessage(a.failure), retryState: a.retryState };
    } else if (e.activityTaskTimedOutEventAttributes) {
      const a = e.activityTaskTimedOutEventAttributes;
      detail = { activityType: activityTypes.get(num(a.scheduledEventId) ?? -1), scheduledEventId: num(a.scheduledEventId), failure: failureMessage(a.failure) };
    } else if (e.markerRecordedEventAttributes) {
      const a = e.markerRecordedEventAttributes;
      const activityType = markerActivityType(a);
      detail = { markerName: a.markerName, localActivity: a.markerName === 'core_local_activity' || activityType !== undefined, activityType, failure: failureMessage(a.failure) };
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      detail = { newRunId: e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId };
    } else if (e.workflowExecutionSignaledEventAttributes) {
      detail = { signalName: e.workflowExecutionSignaledEventAttributes.signalName };
    } else if (e.workflowExecutionFailedEventAttributes) {
      detail = { failure: failureMessage(e.workflowExecutionFailedEventAttributes.failure) };
    } else if (e.workflowTaskFailedEventAttributes) {
      detail = { cause: e.workflowTaskFailedEventAttributes.cause, failure: failureMessage(e.workflowTaskFailedEventAttributes.failure) };
    }
    if (!opts.includeWorkflowTasks && WORKFLOW_TASK_TYPES.has(type)) continue;
    out.push({ source: 'temporal', atMs, runId, eventId, type, detail: compact(detail) });
  }
  return out;
}

// --- following the run chain ---------------------------------------------------------------------

export type TemporalHistory =
  | { available: true; runs: string[]; truncated: boolean; earlierRunId?: string; reason?: string; entries: TemporalEntry[] }
  | { available: false; reason: string };

const reasonOf = (err: unknown) =>
  err instanceof WorkflowNotFoundError
    ? 'the workflow history is not in Temporal (never started, or removed after the namespace retention period)'
    : `Temporal did not answer: ${err instanceof Error ? err.message : String(err)}`;

/** The workflow's runs, oldest first, walking back from the latest through continuedExecutionRunId. */
export async function loadTemporalHistory(fetchRun: RunFetcher, opts: { maxRuns?: number; includeWorkflowTasks?: boolean } = {}): Promise<TemporalHistory> {
  const maxRuns = opts.maxRuns ?? DEFAULT_MAX_RUNS;
  const runs: Array<{ runId: string | null; entries: TemporalEntry[] }> = [];
  let next: string | undefined;
  let requested: string | undefined;
  let reason: string | undefined;
  for (;;) {
    let events: HistoryEvent[];
    try {
      events = await fetchRun(requested);
    } catch (err) {
      if (runs.length === 0) return { available: false, reason: reasonOf(err) };
      reason = `earlier run ${requested} could not be read: ${reasonOf(err)}`;
      next = requested;
      break;
    }
    const started = events.find((e) => e.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes;
    const runId = requested ?? started?.originalExecutionRunId ?? null;
    runs.unshift({ runId, entries: mapRunEvents(events, runId, opts) });
    next = started?.continuedExecutionRunId || undefined;
    if (!next || runs.length >= maxRuns) break;
    requested = next;
  }
  const truncated = next !== undefined;
  return {
    available: true,
    runs: runs.map((r) => r.runId ?? '?'),
    truncated,
    ...(truncated ? { earlierRunId: next } : {}),
    ...(reason ? { reason } : {}),
    entries: runs.flatMap((r) => r.entries),
  };
}

// --- merging -------------------------------------------------------------------------------------

export type Iso = (ms: number | null | undefined) => string | null;

/** Instants inside a detail (`…AtMs` numbers) as ISO strings with the calendar's offset (`…At`). */
function presentDetail(detail: Record<string, unknown>, iso: Iso): Record<string, unknown> {
  return Object.fromEntries(Object.entries(detail).map(([k, v]) => (k.endsWith('AtMs') && typeof v === 'number' ? [k.slice(0, -2), iso(v)] : [k, v])));
}

/**
 * The merged timeline, by time; at equal instants Temporal's event (the cause, e.g. the
 * accepted update) comes before the domain event it produced.
 */
export function mergeHistory(domain: readonly EventRow[], temporalEntries: readonly TemporalEntry[], iso: Iso) {
  const items = [
    ...temporalEntries.map((t, order) => ({
      atMs: t.atMs ?? -Infinity,
      rank: 0,
      order,
      item: { source: 'temporal' as const, at: iso(t.atMs), type: t.type, eventId: t.eventId, runId: t.runId, detail: presentDetail(t.detail, iso) },
    })),
    ...domain.map((e, order) => ({
      atMs: e.occurred_at.getTime(),
      rank: 1,
      order,
      item: { source: 'domain' as const, at: iso(e.occurred_at.getTime()), type: e.type, seq: e.seq, actor: e.actor ?? undefined, by: eventBy(e), data: e.data },
    })),
  ];
  items.sort((a, b) => a.atMs - b.atMs || a.rank - b.rank || a.order - b.order);
  return items.map((i) => i.item);
}
