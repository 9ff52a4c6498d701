/**
 * Outbox fan-out: which rows one notification intent becomes. Pure; the notification
 * activities read the directory, call these, and write the rows.
 *
 * Every recipient gets e-mail if it has an address and a webhook if it has a URL; a
 * destination reached twice in one intent gets one row; rows are keyed
 * `<intent key>:<recipient id>:<channel>`, so enqueueing again writes nothing new. Explicit
 * contacts come from contract data: a malformed address becomes a row that is failed at once
 * (visible in the ops view) instead of a send that can never succeed.
 */
import { NOTIFICATION_KINDS, type EmailAttachment, type JsonValue, type NotificationIntent, type NotificationKind } from './intent';
import { webhookUrlIssue, type WebhookUrlPolicy } from './webhook-url';

export type NotificationChannel = 'email' | 'webhook';

/** An outbox row as fan-out plans it (the db layer adds ids, status and attempts). */
export interface OutboxEntry {
  idempotencyKey: string;
  intentKey: string;
  requestId: string | null;
  kind: NotificationKind;
  channel: NotificationChannel;
  recipientId: string;
  recipientName: string | null;
  destination: string;
  subject: string;
  body: string;
  payload: { [key: string]: JsonValue };
  /** E-mail rows only: the intent's attachment. */
  attachment?: EmailAttachment;
  /** Known undeliverable at enqueue (e.g. a malformed contact address): written as failed with this error. */
  rejected?: string;
}

/** A directory entry as fan-out needs it. */
export interface DirectoryEntry {
  id: string;
  name: string | null;
  email: string | null;
  webhookUrl: string | null;
}

interface Target extends DirectoryEntry {
  /** Explicit contacts' addresses come from contract data: a bad one becomes a failed row. */
  explicit?: boolean;
}

const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const KINDS: ReadonlySet<string> = new Set(NOTIFICATION_KINDS);

/** Why an intent can never be enqueued, or null when it can. */
export function intentProblem(intent: NotificationIntent): string | null {
  const where = `notification intent ${JSON.stringify(intent?.idempotencyKey)}`;
  if (typeof intent?.idempotencyKey !== 'string' || intent.idempotencyKey.trim() === '') return 'notification intent needs an idempotencyKey';
  if (!KINDS.has(intent.kind)) return `${where}: kind must be one of ${[...KINDS].join(', ')}`;
  if (typeof intent.subject !== 'string' || intent.subject.trim() === '') return `${where}: subject is required`;
  if (typeof intent.body !== 'string') return `${where}: body must be text`;
  if (intent.payload === null || typeof intent.payload !== 'object' || Array.isArray(intent.payload)) return `${where}: payload must be a JSON object`;
  for (const r of intent.recipients ?? []) {
    if (typeof r?.name !== 'string' || (!r.email && !r.webhookUrl)) return `${where}: recipient ${JSON.stringify(r?.name)} needs a name and an email or webhookUrl`;
  }
  return null;
}

/** Why a batch of intents can never be enqueued (a bad intent, a key twice), or null. */
export function batchProblem(intents: readonly NotificationIntent[]): string | null {
  const keys = new Set<string>();
  for (const intent of intents) {
    const problem = intentProblem(intent);
    if (problem) return problem;
    if (keys.has(intent.idempotencyKey)) return `idempotencyKey ${JSON.stringify(intent.idempotencyKey)} appears twice`;
    keys.add(intent.idempotencyKey);
  }
  return null;
}

/**
 * Why a destination is not sent to: explicit contacts' e-mail addresses come from contract data;
 * every webhook URL (directory or contact) must pass the URL policy (https, see webhook-url.ts).
 */
function refusal(t: Target, channel: NotificationChannel, destination: string, urlPolicy: WebhookUrlPolicy): string | undefined {
  const contact = `(contact ${JSON.stringify(t.name)})`;
  if (channel === 'email') return !t.explicit || EMAIL.test(destination) ? undefined : `not sent: ${JSON.stringify(destination)} is not a valid e-mail address ${contact}`;
  const issue = webhookUrlIssue(destination, urlPolicy);
  return issue && `not sent: webhookUrl ${JSON.stringify(destination)} refused (${issue.rule}): ${issue.message} ${contact}`;
}

/**
 * The outbox rows of one intent, given the directory entries its roles and ids resolved to
 * (in that order); explicit recipients follow them.
 */
export function fanOut(intent: NotificationIntent, directory: readonly DirectoryEntry[], urlPolicy: WebhookUrlPolicy): OutboxEntry[] {
  const targets: Target[] = [
    ...directory.map((r) => ({ id: r.id, name: r.name, email: r.email, webhookUrl: r.webhookUrl })),
    ...(intent.recipients ?? []).map((r) => ({
      id: `contact:${(r.email || r.webhookUrl || '').toLowerCase()}`,
      name: r.name,
      email: r.email || null,
      webhookUrl: r.webhookUrl || null,
      explicit: true,
    })),
  ];
  const rows: OutboxEntry[] = [];
  const seen = new Set<string>();
  const add = (t: Target, channel: NotificationChannel, destination: string) => {
    const rejected = refusal(t, channel, destination, urlPolicy);
    const dedupe = `${channel}|${channel === 'email' ? destination.toLowerCase() : destination}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    rows.push({
      idempotencyKey: `${intent.idempotencyKey}:${t.id}:${channel}`,
      intentKey: intent.idempotencyKey,
      requestId: intent.requestId ?? null,
      kind: intent.kind,
      channel,
      recipientId: t.id,
      recipientName: t.name,
      destination,
      subject: intent.subject,
      body: intent.body,
      payload: intent.payload,
      ...(channel === 'email' && intent.attachment && { attachment: intent.attachment }),
      ...(rejected === undefined ? {} : { rejected }),
    });
  };
  for (const t of targets) {
    if (t.email) add(t, 'email', t.email);
    if (t.webhookUrl) add(t, 'webhook', t.webhookUrl);
  }
  return rows;
}
