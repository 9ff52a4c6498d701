// Types and constants shared by the notification activities and the workflow that calls them.
// No Node imports here: workflow code imports this file.

export type NotificationKind = 'warning' | 'breach' | 'escalation' | 'lifecycle';
export type NotificationChannel = 'email' | 'webhook';
export type NotificationStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** JSON value, as stored in jsonb and POSTed to webhooks. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A contact not in the directory (a contract's dedicated engineer, escalation contacts). */
export interface ExplicitRecipient {
  name: string;
  email?: string;
  webhookUrl?: string;
}

/**
 * One event to notify about. It becomes one outbox row per (recipient, channel): every
 * recipient gets e-mail if it has an address and a webhook if it has a URL. Recipients are
 * the union of `roles` (active directory entries with any of them), `recipientIds` (directory
 * entries by id, e.g. after the workflow waited for one recipient's quiet hours) and explicit
 * `recipients`; a destination reached twice gets one row.
 */
export interface NotificationIntent {
  /**
   * Unique per event and enqueue, built by the workflow from its workflow id and the event,
   * e.g. `SR-7Q…:first_response:warning:0.75`. Rows get `<key>:<recipientId>:<channel>`.
   */
  idempotencyKey: string;
  requestId?: string;
  kind: NotificationKind;
  roles?: string[];
  recipientIds?: string[];
  recipients?: ExplicitRecipient[];
  subject: string;
  /** Plain-text e-mail body. */
  body: string;
  /** The webhook JSON body. */
  payload: { [key: string]: JsonValue };
}

/** A directory entry as the workflow sees it (to wait for quiet hours before a warning). */
export interface RecipientView {
  id: string;
  name: string;
  roles: string[];
  hasEmail: boolean;
  hasWebhook: boolean;
  /** Warnings to this recipient wait for this calendar's next working instant; null: no quiet hours. */
  quietCalendarId: string | null;
}

export type DeliveryOutcome = 'delivered' | 'already-delivered';

/** ApplicationFailure type of a permanent delivery failure (non-retryable). */
export const NOTIFICATION_REJECTED = 'NotificationRejected';
/** ApplicationFailure type when another attempt still holds the row's lease (retryable). */
export const NOTIFICATION_LEASE_HELD = 'NotificationLeaseHeld';
/** ApplicationFailure type when the channel is not configured on this worker (retryable). */
export const NOTIFICATION_MISCONFIGURED = 'NotificationMisconfigured';
/** ApplicationFailure type of an intent that can never be enqueued (non-retryable). */
export const NOTIFICATION_INVALID = 'InvalidNotificationIntent';

/**
 * Timing of delivery. Invariant: send deadline < lease ≤ activity start-to-close timeout.
 * - A live attempt always finishes its send (webhook 10 s, SMTP 30 s at most) well inside its
 *   lease (60 s), so no other attempt can claim the row while it is sending.
 * - A worker that dies mid-delivery is noticed by Temporal at the start-to-close timeout
 *   (90 s, no heartbeats); by then the dead attempt's lease has expired, so the retry, on any
 *   worker, claims the row at once and sends again (receivers dedupe on the event id).
 */
export const NOTIFICATION_TIMING = {
  webhookTimeoutMs: 10_000,
  smtpTimeoutMs: 30_000,
  leaseMs: 60_000,
  /** Use as `startToCloseTimeout` of `deliverNotification` in `proxyActivities`. */
  deliverStartToCloseMs: 90_000,
} as const;
