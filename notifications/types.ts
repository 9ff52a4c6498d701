// Types and constants shared by the notification activities and the workflow that calls them.
// No Node imports here: workflow code imports this file.

export {
  NOTIFICATION_KINDS,
  type ExplicitRecipient,
  type JsonValue,
  type NotificationIntent,
  type NotificationKind,
  type RecipientView,
} from '../domain/notification/intent';
export type { NotificationChannel } from '../domain/notification/fan-out';
export type NotificationStatus = 'pending' | 'sending' | 'delivered' | 'failed';

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
  /**
   * The first attempt runs as a local activity inside the request's workflow task, cut off after
   * this: a healthy receiver answers in milliseconds, and a slow one must not hold the request
   * (its Updates wait for the task). Anything else goes to the scheduled, retried activity,
   * which waits out the first attempt's lease before sending again.
   */
  firstAttemptMs: 5_000,
} as const;
