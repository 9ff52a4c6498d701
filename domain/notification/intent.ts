// What the request workflow wants to tell people, as data: a domain concept (the state machine
// builds intents; the notification activities turn each into outbox rows). No I/O, no Node.

export const NOTIFICATION_KINDS = ['warning', 'breach', 'escalation', 'lifecycle'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

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
  /** Attached to the e-mail only (e.g. a contract report's CSV); webhooks carry the payload. */
  attachment?: EmailAttachment;
}

/** A small text attachment of an e-mail notification. */
export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string;
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
