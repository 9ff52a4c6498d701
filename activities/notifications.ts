import { ApplicationFailure } from '@temporalio/activity';
import { activityContext, warnNoRecipients } from './activity-context';
import type { Knex } from 'knex';
import {
  claimOutboxRow,
  getOutboxRow,
  directoryEntriesFor,
  markOutboxAttemptFailed,
  markOutboxDelivered,
  markOutboxGaveUp,
  markOutboxRejected,
  noteOutboxError,
  type OutboxRow,
  type RecipientRow,
} from '../db/queries/notifications';
import { batchProblem } from '../domain/notification/fan-out';
import { enqueueIntents } from './outbox-enqueue';
import { DeliveryError } from '../notifications/delivery-error';
import { createMailer } from '../notifications/email';
import { DEFAULT_SMTP_FROM } from '../notifications/settings';
import {
  NOTIFICATION_INVALID,
  NOTIFICATION_LEASE_HELD,
  NOTIFICATION_MISCONFIGURED,
  NOTIFICATION_REJECTED,
  NOTIFICATION_TIMING,
  type DeliveryOutcome,
  type NotificationChannel,
  type NotificationIntent,
  type RecipientView,
} from '../notifications/types';
import { sendWebhook } from '../notifications/webhook';
import type { WebhookUrlPolicy } from '../domain/notification/webhook-url';

export interface NotificationActivityDeps {
  db: Knex;
  /** `allowHttpLoopback`: WEBHOOK_ALLOW_HTTP_LOOPBACK (default false: https targets only). */
  webhook: { secret: string | undefined; timeoutMs?: number; allowHttpLoopback?: boolean };
  smtp: { url: string | undefined; from?: string; timeoutMs?: number };
  /** How long an attempt owns a row; must exceed both send timeouts (tests shorten all three). */
  leaseMs?: number;
}


const invalid = (message: string) => ApplicationFailure.nonRetryable(message, NOTIFICATION_INVALID);

/**
 * Notification activities. Delivery is at least once per attempt and exactly once in effect:
 * the outbox row is leased while sending, marked delivered afterwards, and the one window
 * where a send can repeat (the worker dies after the receiver accepted, before the row was
 * marked) repeats it with the same X-SLA-Event-Id / Message-ID, which receivers dedupe on.
 */
export function createNotificationActivities(deps: NotificationActivityDeps) {
  const { db } = deps;
  const webhookTimeoutMs = deps.webhook.timeoutMs ?? NOTIFICATION_TIMING.webhookTimeoutMs;
  const smtpTimeoutMs = deps.smtp.timeoutMs ?? NOTIFICATION_TIMING.smtpTimeoutMs;
  const leaseMs = deps.leaseMs ?? NOTIFICATION_TIMING.leaseMs;
  const urlPolicy: WebhookUrlPolicy = { allowHttpLoopback: deps.webhook.allowHttpLoopback ?? false };
  if (!(leaseMs > webhookTimeoutMs && leaseMs > smtpTimeoutMs)) {
    // Otherwise a slow but live send could outlast its lease and be sent again in parallel.
    throw new Error(`notification lease (${leaseMs} ms) must exceed the send timeouts (webhook ${webhookTimeoutMs} ms, SMTP ${smtpTimeoutMs} ms)`);
  }
  const mailer = createMailer({ url: deps.smtp.url, from: deps.smtp.from ?? DEFAULT_SMTP_FROM, timeoutMs: smtpTimeoutMs });

  const misconfiguration = (channel: NotificationChannel): string | undefined => {
    if (channel === 'webhook' && !deps.webhook.secret) return 'webhook not sent: WEBHOOK_SIGNING_SECRET is not set on this worker (webhooks are never sent unsigned)';
    if (channel === 'email' && !deps.smtp.url) return 'e-mail not sent: SMTP_URL is not set on this worker';
    return undefined;
  };

  const send = async (row: OutboxRow, signal: AbortSignal | undefined): Promise<string> => {
    if (row.channel === 'webhook') {
      const res = await sendWebhook({ url: row.destination, eventId: row.idempotencyKey, payload: row.payload }, { secret: deps.webhook.secret, timeoutMs: webhookTimeoutMs, signal, urlPolicy });
      return `HTTP ${res.status}`;
    }
    const res = await mailer.send(
      { to: row.destination, toName: row.recipientName, subject: row.subject, text: row.body, eventId: row.idempotencyKey, ...(row.attachment && { attachment: row.attachment }) },
      signal,
    );
    return res.response;
  };

  const markDelivered = async (id: number): Promise<void> => {
    // The send happened: record it while this attempt's lease still keeps every other attempt
    // from sending it again. A database restart takes seconds, so keep trying for half the
    // lease; only past that is the row sent again (deduped by the receiver) once the lease ends.
    const giveUpAt = Date.now() + leaseMs / 2;
    for (let delayMs = 250; ; delayMs = Math.min(delayMs * 2, 2_000)) {
      try {
        await markOutboxDelivered(db, id);
        return;
      } catch (err) {
        if (Date.now() + delayMs > giveUpAt) throw err;
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  };

  const stateFailure = (row: OutboxRow): ApplicationFailure =>
    ApplicationFailure.nonRetryable(`notification ${row.id} has failed: ${row.lastError ?? 'no error recorded'}`, NOTIFICATION_REJECTED, { outboxId: row.id });

  return {
    /**
     * Writes one outbox row per (recipient, channel) of each intent, keyed
     * `<intent key>:<recipient id>:<channel>`; retrying writes nothing new. Returns the ids of
     * every row of these intents, including rows an earlier attempt wrote, in id order.
     */
    async enqueueNotifications(intents: NotificationIntent[]): Promise<number[]> {
      const problem = batchProblem(intents);
      if (problem) throw invalid(problem);
      const rows = await db.transaction((trx) => enqueueIntents(trx, intents, urlPolicy, warnNoRecipients));
      return rows.map((r) => r.id);
    },

    /**
     * Delivers one outbox row: claims it (lease), sends it, marks it delivered. A delivered
     * row is a no-op ('already-delivered'). A retryable failure is recorded on the row and
     * thrown (Temporal retries with backoff); a permanent one marks the row failed and throws
     * a non-retryable ApplicationFailure of type NotificationRejected.
     */
    async deliverNotification(outboxId: number): Promise<DeliveryOutcome> {
      const ctx = activityContext();
      const row = await getOutboxRow(db, outboxId);
      if (!row) throw ApplicationFailure.nonRetryable(`notification ${outboxId} does not exist`, NOTIFICATION_REJECTED, { outboxId });
      if (row.status === 'delivered') return 'already-delivered';
      if (row.status === 'failed') throw stateFailure(row);

      const config = misconfiguration(row.channel);
      if (config) {
        await noteOutboxError(db, outboxId, config);
        throw ApplicationFailure.retryable(config, NOTIFICATION_MISCONFIGURED, { outboxId });
      }

      const claimed = await claimOutboxRow(db, outboxId, leaseMs);
      if (!claimed) {
        const now = await getOutboxRow(db, outboxId);
        if (!now || now.status === 'delivered') return 'already-delivered';
        if (now.status === 'failed') throw stateFailure(now);
        // Another attempt holds a live lease (a previous attempt that Temporal timed out but
        // is still running, or a concurrent call): retry once its lease has run out.
        const waitMs = Math.max(1000, Math.min(leaseMs, (now.leaseUntil?.getTime() ?? Date.now()) - Date.now() + 500));
        throw ApplicationFailure.create({
          message: `notification ${outboxId} is being sent by another attempt (lease until ${now.leaseUntil?.toISOString()})`,
          type: NOTIFICATION_LEASE_HELD,
          nextRetryDelay: waitMs,
          details: [{ outboxId }],
        });
      }

      const attemptLabel = `attempt ${claimed.attempts}${ctx ? ` (activity attempt ${ctx.info.attempt})` : ''}`;
      let receipt: string;
      try {
        receipt = await send(claimed, ctx?.cancellationSignal);
      } catch (err) {
        const failure = err instanceof DeliveryError ? err : new DeliveryError(err instanceof Error ? err.message : String(err), false, {}, { cause: err });
        const recorded = `${attemptLabel}: ${failure.message}`;
        if (failure.permanent) {
          await markOutboxRejected(db, outboxId, claimed.attempts, recorded);
          ctx?.log.warn('notification rejected', { outboxId, channel: claimed.channel, error: failure.message });
          throw ApplicationFailure.nonRetryable(failure.message, NOTIFICATION_REJECTED, { outboxId, status: failure.details.status, code: failure.details.code });
        }
        await markOutboxAttemptFailed(db, outboxId, claimed.attempts, recorded);
        throw ApplicationFailure.create({
          message: failure.message,
          type: failure.details.code === 'ECONFIG' ? NOTIFICATION_MISCONFIGURED : 'NotificationDeliveryFailed',
          nextRetryDelay: failure.details.retryAfterMs,
          details: [{ outboxId, status: failure.details.status, code: failure.details.code }],
        });
      }
      await markDelivered(outboxId);
      ctx?.log.info('notification delivered', { outboxId, channel: claimed.channel, attempts: claimed.attempts, receipt });
      return 'delivered';
    },

    /**
     * The workflow gave up (retry policy exhausted): the row becomes failed with the reason,
     * so it stays visible in the ops view. A delivered row is left alone.
     */
    async markNotificationFailed(outboxId: number, error: string): Promise<void> {
      const row = await getOutboxRow(db, outboxId);
      const tries = row ? ` after ${row.attempts} attempt(s)` : '';
      await markOutboxGaveUp(db, outboxId, `gave up${tries}: ${error}`);
    },

    /**
     * Active directory entries holding any of the roles or named by id, by id (the workflow
     * waits for each one's quiet hours before a warning, then enqueues by recipientIds).
     */
    async resolveRecipients(query: { roles?: string[]; recipientIds?: string[] }): Promise<RecipientView[]> {
      const byId = new Map<string, RecipientRow>();
      for (const r of await directoryEntriesFor(db, query)) byId.set(r.id, r);
      return [...byId.values()]
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .map((r) => ({
          id: r.id,
          name: r.name,
          roles: r.roles,
          hasEmail: r.email !== null,
          hasWebhook: r.webhookUrl !== null,
          quietCalendarId: r.quietCalendarId,
        }));
    },
  };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
