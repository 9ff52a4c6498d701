/**
 * The activities the request workflow calls, declared once with their timeouts and retries.
 * Workflow code reaches activities only through these proxies.
 */
import { proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import { NOTIFICATION_TIMING } from '../notifications/types';
import type { Activities } from '../activities';

/** Ticket updates retry until PostgreSQL is back: a request's projection is never dropped. */
export const tickets = proxyActivities<Pick<Activities, 'recordTicketUpdate'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The same projection write as a local activity: one short transaction runs inside the
 * workflow task instead of a round trip through the task queue, which is most of a
 * registration's latency. Still durable: a crash re-runs the (idempotent) write on replay.
 */
export const localTickets = proxyLocalActivities<Pick<Activities, 'recordTicketUpdate' | 'recordTicketChanges' | 'writeRequest'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Calendar arithmetic as local activities: results land in history as markers (replay-safe). */
export const calendar = proxyLocalActivities<
  Pick<Activities, 'calendarVersionAt' | 'planClock' | 'measureWorkingTime' | 'answerCalendarAsks' | 'moveClocks' | 'addWorkingTimes' | 'endOfWorkingDays' | 'nextWorkingInstant'>
>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds', nonRetryableErrorTypes: ['UnknownCalendar', 'CalendarExhausted'] },
});

/** Directory reads as a local activity: a warning's recipients are known within its workflow task. */
export const localDirectory = proxyLocalActivities<Pick<Activities, 'resolveRecipients'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const notifier = proxyActivities<Pick<Activities, 'enqueueNotifications' | 'resolveRecipients' | 'markNotificationFailed'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** One quick attempt inside the workflow task: no task-queue round trip, no workflow task of its own. */
export const firstDelivery = proxyLocalActivities<Pick<Activities, 'deliverNotification'>>({
  startToCloseTimeout: NOTIFICATION_TIMING.firstAttemptMs,
  retry: { maximumAttempts: 1 },
});

/** About 3 hours of retries with backoff; then the failure is recorded and stays visible. */
export const delivery = proxyActivities<Pick<Activities, 'deliverNotification'>>({
  startToCloseTimeout: NOTIFICATION_TIMING.deliverStartToCloseMs,
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 minutes', maximumAttempts: 12 },
});
