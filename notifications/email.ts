import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import { DeliveryError } from './delivery-error';

/*
 * E-mail over SMTP with nodemailer. The Message-ID is derived from the outbox idempotency key,
 * so if a worker dies after the server accepted a message but before the outbox row was
 * marked delivered, the copy sent by the retry carries the same Message-ID and mail systems
 * (and people) can recognise it as the same message. X-SLA-Event-Id carries the key itself.
 */

export interface EmailMessage {
  to: string;
  toName?: string | null;
  subject: string;
  text: string;
  /** A text attachment, e.g. a report's CSV. */
  attachment?: { filename: string; contentType: string; content: string };
  /** The outbox idempotency key. */
  eventId: string;
}

export interface SmtpOptions {
  /** SMTP_URL; sending refuses to start without it. */
  url: string | undefined;
  /** SMTP_FROM */
  from: string;
  /** Deadline of one send, connecting included. */
  timeoutMs: number;
}

export interface EmailResult {
  messageId: string;
  /** The server's final reply, e.g. "250 OK: queued as …". */
  response: string;
}

/** Domain of the From address (for Message-IDs); "localhost" if there is none. */
export function fromDomain(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from.trim());
  return match?.[1]?.toLowerCase() ?? 'localhost';
}

/** The stable Message-ID of a notification: `<sla.<sha256(key) prefix>@<from domain>>`. */
export function messageIdFor(eventId: string, from: string): string {
  const digest = createHash('sha256').update(eventId).digest('hex').slice(0, 40);
  return `<sla.${digest}@${fromDomain(from)}>`;
}

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  permanent?: boolean;
}

// Configuration and session problems: the message itself is fine, so retry (and alert).
const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'ETLS']);

function classify(err: unknown, timeoutMs: number, timedOut: boolean): DeliveryError {
  const e = err as SmtpError;
  const code = e?.code;
  if (timedOut) return new DeliveryError(`SMTP send timed out after ${timeoutMs} ms`, false, { code: 'ETIMEDOUT' }, { cause: err });
  const message = `SMTP ${code ?? 'error'}${e?.responseCode ? ` ${e.responseCode}` : ''}: ${e?.message ?? String(err)}`;
  if (code && CONFIG_CODES.has(code)) return new DeliveryError(message, false, { code }, { cause: err });
  // RFC 5321: 5yz is a permanent rejection of this message (nodemailer also sets `permanent`,
  // except for 503 bad sequence, which a new session fixes); 4yz and no reply are transient.
  const permanent = e?.permanent ?? (e?.responseCode !== undefined && e.responseCode >= 500 && e.responseCode !== 503);
  return new DeliveryError(message, permanent === true, { code, status: e?.responseCode }, { cause: err });
}

/** One SMTP transport per process (a connection per message; no pool to go stale). */
export function createMailer(opts: SmtpOptions) {
  const transport = opts.url
    ? nodemailer.createTransport({
        url: opts.url,
        connectionTimeout: Math.min(10_000, opts.timeoutMs),
        greetingTimeout: Math.min(10_000, opts.timeoutMs),
        socketTimeout: opts.timeoutMs,
        // Notification bodies are our own text: never let them pull in files or URLs.
        disableFileAccess: true,
        disableUrlAccess: true,
      })
    : undefined;

  return {
    async send(msg: EmailMessage, signal?: AbortSignal): Promise<EmailResult> {
      if (!transport) {
        throw new DeliveryError('e-mail not sent: SMTP_URL is not set on this worker', false, { code: 'ECONFIG' });
      }
      const timeout = AbortSignal.timeout(opts.timeoutMs);
      const messageId = messageIdFor(msg.eventId, opts.from);
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: msg.toName ? { name: msg.toName, address: msg.to } : msg.to,
          subject: msg.subject,
          text: msg.text,
          ...(msg.attachment && { attachments: [{ filename: msg.attachment.filename, contentType: msg.attachment.contentType, content: msg.attachment.content }] }),
          messageId,
          headers: { 'X-SLA-Event-Id': msg.eventId, 'Auto-Submitted': 'auto-generated' },
          signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
        });
        return { messageId: info.messageId ?? messageId, response: String(info.response ?? '') };
      } catch (err) {
        throw classify(err, opts.timeoutMs, timeout.aborted);
      }
    },
    close(): void {
      transport?.close();
    },
  };
}

export type Mailer = ReturnType<typeof createMailer>;
