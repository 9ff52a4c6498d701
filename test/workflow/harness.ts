/**
 * Workflow-test harness: the real calendar activities on the shipped calendars, and
 * recording fakes for PostgreSQL and notification delivery (typed as the real activities).
 */
import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { temporal } from '@temporalio/proto';
import type { TicketChanges, TicketUpdate } from '../../activities/ticket-store';
import { markerActivityType } from '../../api/requests/history';
import { createCalendarActivities } from '../../activities/calendar';
import type { CalendarSpec, VersionedCalendarSpec } from '../../domain/calendar';
import { admitRequest, parseFacts, PUBLISHED_CATALOGUES, type PinnedPolicy, type PolicyFactsInput } from '../../domain/policy';
import type { TimelineEvent } from '../../domain/request/snapshot';
import type { NotificationIntent, RecipientView } from '../../notifications/types';
import { createCalendarRegistry } from '../../services/calendar-registry';
import type { Activities } from '../../worker/activities';
import type { SupportRequestInput } from '../../workflows/support-request';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Epoch ms of a Moscow wall-clock time (UTC+3 all year). */
export const moscow = (isoLocal: string) => Date.parse(`${isoLocal}+03:00`);

/** Moves the test server's clock forward to `targetMs` (time only goes forward). */
export async function skipTo(env: TestWorkflowEnvironment, targetMs: number): Promise<void> {
  const delta = targetMs - (await env.currentTimeMs());
  if (delta < 0) throw new Error(`cannot skip back in time by ${-delta} ms`);
  if (delta > 0) await env.sleep(delta);
}

export interface Recorder {
  activities: Activities;
  /** Every projection write as the whole snapshot it leaves (lean writes merged onto their base). */
  updates: TicketUpdate[];
  /** The lean writes as sent (changed fields only). */
  changeWrites: TicketChanges[];
  events(): TimelineEvent[];
  eventTypes(): string[];
  intents: NotificationIntent[];
  /** Successful deliveries by outbox id. */
  delivered: number[];
  deliveryAttempts: number;
  attemptsById: Map<number, number>;
  failedMarked: Array<{ id: number; error: string }>;
}

export function recordingActivities(
  opts: {
    failDeliveries?: number;
    /** Outbox ids whose every delivery attempt fails (retryably). */
    alwaysFail?: number[];
    recipients?: RecipientView[];
    calendars?: Record<string, CalendarSpec | VersionedCalendarSpec>;
  } = {},
): Recorder {
  let failuresLeft = opts.failDeliveries ?? 0;
  const outbox = new Map<string, number>();
  const calendar = createCalendarActivities(createCalendarRegistry(async (id) => opts.calendars?.[id]));
  // Idempotent like the real outbox: the same key gives the same row.
  const enqueue = (intent: NotificationIntent) => {
    if (!outbox.has(intent.idempotencyKey)) {
      rec.intents.push(intent);
      outbox.set(intent.idempotencyKey, outbox.size + 1);
    }
    return outbox.get(intent.idempotencyKey)!;
  };
  const rec: Recorder = {
    updates: [],
    changeWrites: [],
    intents: [],
    delivered: [],
    deliveryAttempts: 0,
    attemptsById: new Map(),
    failedMarked: [],
    events: () => rec.updates.flatMap((u) => u.events),
    eventTypes: () => rec.events().map((e) => e.type),
    activities: {
      ...calendar,
      async recordTicketUpdate(update) {
        rec.updates.push(update);
      },
      // The request workflow never calls it (the contract-report workflow has its own test).
      async produceContractReport() {
        return { reportId: null, outboxIds: [] };
      },
      async recordTicketChanges(change) {
        rec.changeWrites.push(change);
        const base = [...rec.updates].reverse().find((u) => u.workflowId === change.workflowId);
        if (!base || base.snapshot.revision !== change.baseRevision) return false;
        rec.updates.push({ workflowId: change.workflowId, snapshot: { ...base.snapshot, ...change.changes, revision: change.revision }, events: change.events });
        return true;
      },
      async enqueueNotifications(intents) {
        return intents.map(enqueue);
      },
      async writeRequest(write) {
        if ('whole' in write.projection) await rec.activities.recordTicketUpdate({ workflowId: write.workflowId, snapshot: write.projection.whole, events: write.events });
        else if (!(await rec.activities.recordTicketChanges({ workflowId: write.workflowId, ...write.projection.changes, events: write.events }))) return { applied: false, outbox: [] };
        return { applied: true, outbox: write.notifications.map((n) => ({ id: enqueue(n), intentKey: n.idempotencyKey })) };
      },
      async deliverNotification(id) {
        rec.deliveryAttempts++;
        rec.attemptsById.set(id, (rec.attemptsById.get(id) ?? 0) + 1);
        if (opts.alwaysFail?.includes(id)) throw new Error('webhook receiver answered 503');
        if (failuresLeft > 0) {
          failuresLeft--;
          throw new Error('webhook receiver answered 503');
        }
        if (rec.delivered.includes(id)) return 'already-delivered';
        rec.delivered.push(id);
        return 'delivered';
      },
      async markNotificationFailed(id, error) {
        rec.failedMarked.push({ id, error });
      },
      async resolveRecipients(query) {
        const all = opts.recipients ?? [
          { id: 'lead', name: 'Team Lead', roles: ['team-lead'], hasEmail: true, hasWebhook: false, quietCalendarId: null },
          { id: 'head', name: 'Head of Support', roles: ['head-of-support'], hasEmail: true, hasWebhook: false, quietCalendarId: null },
          { id: 'duty', name: 'Duty agent', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId: null },
        ];
        return all.filter((r) => r.roles.some((role) => query.roles?.includes(role)) || query.recipientIds?.includes(r.id));
      },
    },
  };
  return rec;
}

export async function withWorker<T>(env: TestWorkflowEnvironment, activities: Activities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
  return worker.runUntil(fn(taskQueue));
}

/** The policy facts as of `atMs`: the "fresh" licence is always a month old (warranty). */
const factsAt = (atMs: number): PolicyFactsInput => ({
  products: [{ id: 'kompas', name: 'KOMPAS-3D', kind: 'commercial' }],
  salesOffices: [{ id: 'msk', name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' }],
  customers: [
    { id: 'contracted', name: 'Has a per-priority contract' },
    { id: 'fresh', name: 'Bought this year', officeId: 'msk' },
    { id: 'old', name: 'Bought years ago', officeId: 'msk' },
  ],
  licenses: [
    { id: 'L1', customerId: 'fresh', productId: 'kompas', purchasedOn: new Date(atMs - 30 * 24 * HOUR).toISOString().slice(0, 10) },
    { id: 'L2', customerId: 'old', productId: 'kompas', purchasedOn: '2020-01-15' },
  ],
  contracts: [
    {
      id: 'C-prio',
      customerId: 'contracted',
      counterparty: { kind: 'central-service', name: 'Central support' },
      from: '2020-01-01',
      to: '2099-12-31',
      sla: {
        calendarId: 'always-on',
        targets: {
          kind: 'per-priority',
          byPriority: {
            critical: { firstResponse: { workingHours: 1 }, resolution: { workingHours: 8 } },
            high: { firstResponse: { workingHours: 2 }, resolution: { workingHours: 16 } },
            normal: { firstResponse: { workingHours: 4 }, resolution: { workingHours: 40 } },
            low: { firstResponse: { workingHours: 8 }, resolution: null },
          },
        },
        channels: ['supplier-email'],
        services: ['defect-report'],
      },
    },
  ],
});

/** The policy the real admission pins for a level (warranty, basic or initial), at `atMs`. */
export function pinnedPolicy(level: 'warranty' | 'basic' | 'initial' | 'individual', atMs: number): PinnedPolicy {
  const request = {
    individual: { customerId: 'contracted', productId: 'kompas', channel: 'supplier-email', category: 'defect-report' },
    warranty: { customerId: 'fresh', productId: 'kompas', channel: 'supplier-email', category: 'defect-report' },
    basic: { customerId: 'old', productId: 'kompas', channel: 'supplier-email', category: 'defect-report' },
    initial: { customerId: 'old', productId: 'kompas', channel: 'office-phone', category: 'promotions-events' },
  }[level];
  const result = admitRequest(PUBLISHED_CATALOGUES[0]!, parseFacts(factsAt(atMs)), { ...request, priority: 'normal', at: atMs });
  if (!result.ok) throw new Error(`test policy refused: ${result.refusal.message}`);
  if (result.level !== level) throw new Error(`expected ${level}, admission chose ${result.level}`);
  return result.pinned;
}

export function requestInput(id: string, policy: PinnedPolicy, options?: SupportRequestInput['options']): SupportRequestInput {
  return { requestId: id, requestKey: `test:${id}`, registration: { subject: `request ${id}` }, policy, options };
}

/** The activity types of a history's local-activity markers, in order (which calendar asks took an activity each). */
export function localActivityTypes(history: temporal.api.history.v1.IHistory): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    const type = marker?.markerName === 'core_local_activity' ? markerActivityType(marker) : undefined;
    return type ? [type] : [];
  });
}
