import { NOTIFICATION_TIMING } from './types';

/**
 * Notification settings, read from the environment (secrets only ever come from there).
 *   WEBHOOK_SIGNING_SECRET  HMAC-SHA256 key for X-SLA-Signature; webhooks are never sent unsigned
 *   WEBHOOK_ALLOW_HTTP_LOOPBACK  "true": plain http: webhooks to loopback hosts are allowed (local
 *                           receivers in tests and development); default false: https: only
 *   SMTP_URL                e.g. smtp://127.0.0.1:2525, smtps://user:pass@smtp.example.com
 *                           (nodemailer connection URL; query options such as ?requireTLS=true apply)
 *   SMTP_FROM               From address, e.g. "SLA desk <sla@example.com>"; its domain ends each Message-ID
 * A channel that is not configured fails its deliveries (retryably, with the reason in the
 * outbox) instead of stopping the worker, so a worker without e-mail still runs workflows.
 */
export interface NotificationSettings {
  webhook: { secret: string | undefined; timeoutMs: number; allowHttpLoopback: boolean };
  smtp: { url: string | undefined; from: string; timeoutMs: number };
  /** How long a delivery attempt owns its outbox row. */
  leaseMs: number;
}

export const DEFAULT_SMTP_FROM = 'SLA orchestrator <sla-orchestrator@localhost>';
const MIN_SECRET_LENGTH = 16;

export function readNotificationSettings(env: NodeJS.ProcessEnv = process.env): NotificationSettings {
  const secret = env.WEBHOOK_SIGNING_SECRET || undefined;
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`WEBHOOK_SIGNING_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const allowHttp = env.WEBHOOK_ALLOW_HTTP_LOOPBACK ?? '';
  if (!['', 'true', 'false'].includes(allowHttp)) throw new Error(`WEBHOOK_ALLOW_HTTP_LOOPBACK must be "true" or "false", got "${allowHttp}"`);
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined) {
    let protocol: string;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      throw new Error('SMTP_URL is not a valid URL (expected smtp://host:port or smtps://…)');
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${protocol}//`);
    }
  }
  return {
    webhook: { secret, timeoutMs: NOTIFICATION_TIMING.webhookTimeoutMs, allowHttpLoopback: allowHttp === 'true' },
    smtp: { url: smtpUrl, from: env.SMTP_FROM || DEFAULT_SMTP_FROM, timeoutMs: NOTIFICATION_TIMING.smtpTimeoutMs },
    leaseMs: NOTIFICATION_TIMING.leaseMs,
  };
}

/** Which channels this process can deliver on (for a startup log line; no secrets). */
export function describeNotificationSettings(s: NotificationSettings): { webhook: string; email: string } {
  let smtpHost = 'not configured (SMTP_URL unset)';
  if (s.smtp.url) {
    const u = new URL(s.smtp.url);
    smtpHost = `${u.protocol}//${u.host}`;
  }
  return {
    webhook: s.webhook.secret ? `signed, ${s.webhook.allowHttpLoopback ? 'https or http to loopback' : 'https only'}` : 'not configured (WEBHOOK_SIGNING_SECRET unset)',
    email: smtpHost,
  };
}
