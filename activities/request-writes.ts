import type { Knex } from 'knex';
import { applyRequestChanges, writeWholeRequest, type RequestChanges } from '../db/queries/request-projection';
import type { OutboxRef } from '../db/queries/notifications';
import { intentProblem } from '../domain/notification/fan-out';
import type { WebhookUrlPolicy } from '../domain/notification/webhook-url';
import type { RequestSnapshot, TimelineEvent } from '../domain/request/snapshot';
import type { NotificationIntent } from '../notifications/types';
import { enqueueIntents } from './outbox-enqueue';
import { activityContext, warnNoRecipients } from './activity-context';

/**
 * One write of a request to PostgreSQL: its row, its new timeline events and the
 * notifications those events cause, in one transaction (a transactional outbox: a
 * notification is enqueued exactly when its event is recorded). The workflow runs it as a
 * local activity, so none of this is kept in the request's Temporal history; only the answer is.
 */
export interface RequestWrite {
  workflowId: string;
  /** The whole request (a run's first write, or when the row fell behind), or what changed since `baseRevision`. */
  projection: { whole: RequestSnapshot } | { changes: Omit<RequestChanges, 'events'> };
  events: TimelineEvent[];
  notifications: NotificationIntent[];
}

export interface RequestWritten {
  /** False when the changes could not apply because the row is behind their base: nothing was written; write it whole. */
  applied: boolean;
  /** The outbox rows of the notifications (including rows an earlier attempt wrote), in id order. */
  outbox: OutboxRef[];
}

export function createRequestWriteActivities(deps: { db: Knex; urlPolicy: WebhookUrlPolicy }) {
  return {
    /** Retry-safe: the row moves forward by revision only, events and outbox rows are keyed. */
    async writeRequest(write: RequestWrite): Promise<RequestWritten> {
      // Intents come from the workflow's own domain code; one that can never be sent must not
      // keep the request from being written. It is logged loudly and left out.
      const notifications = write.notifications.filter((intent) => {
        const problem = intentProblem(intent);
        if (problem) activityContext()?.log.error('notification left out: it can never be sent', { problem });
        return !problem;
      });
      // The projection alone is one statement; with notifications, one transaction with their outbox rows.
      const project = (q: Knex): Promise<boolean> =>
        'whole' in write.projection
          ? writeWholeRequest(q, write.workflowId, write.projection.whole, write.events).then(() => true)
          : applyRequestChanges(q, { ...write.projection.changes, events: write.events });
      if (notifications.length === 0) return { applied: await project(deps.db), outbox: [] };
      return deps.db.transaction(async (trx) => {
        if (!(await project(trx))) return { applied: false, outbox: [] };
        return { applied: true, outbox: await enqueueIntents(trx, notifications, deps.urlPolicy, warnNoRecipients) };
      });
    },
  };
}

export type RequestWriteActivities = ReturnType<typeof createRequestWriteActivities>;
