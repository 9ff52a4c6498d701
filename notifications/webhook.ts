import { createHmac, timingSafeEqual } from 'node:crypto';
import { HOUR_MS } from '../domain/time-units';
import { DeliveryError } from './delivery-error';
import { HTTPS_ONLY, webhookUrlIssue, type WebhookUrlPolicy } from '../domain/notification/webhook-url';

/*
 * Signed webhooks (the Standard Webhooks scheme, with our header names). Each POST carries
 *   Content-Type: application/json
 *   X-SLA-Event-Id:  the outbox idempotency key; the same on every retry, receivers dedupe on it
 *   X-SLA-Timestamp: Unix seconds when this attempt was signed
 *   X-SLA-Signature: v1=<hex HMAC-SHA256(secret, "<event id>.<timestamp>.<raw body>")>
 * The event id is signed too, so a captured delivery cannot be replayed under a new id past a
 * receiver's dedupe. A receiver recomputes the HMAC from the two headers and the raw bytes it
 * received (before parsing the JSON), compares in constant time and rejects stale timestamps:
 * verifyWebhookSignature. (Before `v1=`, `sha256=` signed only "<timestamp>.<body>"; it is no
 * longer sent nor accepted.)
 */

export const EVENT_ID_HEADER = 'X-SLA-Event-Id';
export const TIMESTAMP_HEADER = 'X-SLA-Timestamp';
export const SIGNATURE_HEADER = 'X-SLA-Signature';
const SCHEME = 'v1=';
const MAX_RETRY_AFTER_MS = HOUR_MS;

export interface WebhookRequest {
  url: string;
  eventId: string;
  payload: unknown;
}

export interface WebhookOptions {
  /** WEBHOOK_SIGNING_SECRET; sending refuses to start without it. */
  secret: string | undefined;
  /** Which targets may be sent to (default https only; see webhook-url.ts). */
  urlPolicy?: WebhookUrlPolicy;
  timeoutMs: number;
  /** Cancels the request (e.g. the activity was cancelled). */
  signal?: AbortSignal;
  nowMs?: () => number;
}

export interface WebhookResult {
  status: number;
}

/** `v1=<hex HMAC-SHA256(secret, "<eventId>.<timestamp>.<rawBody>")>`. */
export function signWebhook(secret: string, eventId: string, timestamp: string, rawBody: string | Buffer): string {
  return SCHEME + createHmac('sha256', secret).update(`${eventId}.${timestamp}.`).update(rawBody).digest('hex');
}

/** What a receiver got: the X-SLA-* header values and the body exactly as received. */
export interface ReceivedWebhook {
  eventId: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string | Buffer;
}

/**
 * Verifies a received webhook: `signature` is the X-SLA-Signature value (several
 * comma-separated `v1=` values are accepted, for secret rotation), `timestamp` the
 * X-SLA-Timestamp value, `eventId` the X-SLA-Event-Id value, `rawBody` the body exactly as
 * received. False for a wrong signature (including another event id), a malformed header, or a
 * timestamp further than `toleranceMs` from now. Dedupe on the event id only after this passed.
 */
export function verifyWebhookSignature(secret: string, received: ReceivedWebhook, toleranceMs = 5 * 60 * 1000, nowMs: number = Date.now()): boolean {
  const { eventId, timestamp, signature: header, rawBody } = received;
  if (!secret || !eventId || !timestamp || !header || !/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) return false;
  const expected = Buffer.from(signWebhook(secret, eventId, timestamp, rawBody).slice(SCHEME.length), 'hex');
  let ok = false;
  for (const part of header.split(',')) {
    const value = part.trim();
    if (!value.startsWith(SCHEME)) continue;
    const hex = value.slice(SCHEME.length);
    if (!/^[0-9a-f]{64}$/i.test(hex)) continue;
    // Constant time per candidate; keep looping so timing does not reveal which one matched.
    if (timingSafeEqual(Buffer.from(hex, 'hex'), expected)) ok = true;
  }
  return ok;
}

function retryAfterMs(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  const ms = /^\d+$/.test(value.trim()) ? Number(value.trim()) * 1000 : Date.parse(value) - nowMs;
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_RETRY_AFTER_MS);
}

async function snippet(res: Response): Promise<string> {
  try {
    const text = (await res.text()).replace(/\s+/g, ' ').trim();
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return '';
  }
}

/**
 * POSTs one signed webhook. Resolves on 2xx. Throws DeliveryError: permanent for 3xx (redirects
 * are not followed: the signature must not travel to another host; configure the final URL)
 * and 4xx other than 408/429; retryable for 408, 429, 5xx, timeouts and network errors.
 */
export async function sendWebhook(req: WebhookRequest, opts: WebhookOptions): Promise<WebhookResult> {
  if (!opts.secret) {
    throw new DeliveryError('webhook not sent: WEBHOOK_SIGNING_SECRET is not set on this worker (webhooks are never sent unsigned)', false, {
      code: 'ECONFIG',
    });
  }
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new DeliveryError(`webhook URL is not valid: ${req.url}`, true, { code: 'EURL' });
  }
  // Also checked when the row is written; a row written before the rule (or under another
  // setting) is refused here, before anything leaves the process.
  const issue = webhookUrlIssue(req.url, opts.urlPolicy ?? HTTPS_ONLY);
  if (issue) throw new DeliveryError(`webhook not sent to ${url.origin}: ${issue.message}`, true, { code: 'EURL' });
  const now = opts.nowMs ?? Date.now;
  const body = JSON.stringify(req.payload);
  const timestamp = String(Math.floor(now() / 1000));
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'sla-orchestrator-webhook/1',
        [EVENT_ID_HEADER]: req.eventId,
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: signWebhook(opts.secret, req.eventId, timestamp, body),
      },
      body,
    });
  } catch (err) {
    if (timeout.aborted) {
      throw new DeliveryError(`webhook timed out after ${opts.timeoutMs} ms (${url.origin})`, false, { code: 'ETIMEDOUT' }, { cause: err });
    }
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    throw new DeliveryError(`webhook request failed (${url.origin}): ${String(err)}${cause}`, false, { code: 'ENETWORK' }, { cause: err });
  }
  const status = res.status;
  if (status >= 200 && status < 300) {
    // Drain the body so the connection can be reused; its content does not matter.
    await res.arrayBuffer().catch(() => undefined);
    return { status };
  }
  const text = await snippet(res);
  const message = `webhook answered HTTP ${status}${text ? `: ${text}` : ''}`;
  if (status >= 300 && status < 400) {
    throw new DeliveryError(`${message} (redirect to ${res.headers.get('location') ?? '?'} not followed)`, true, { status });
  }
  if (status === 408 || status === 429 || status >= 500) {
    throw new DeliveryError(message, false, { status, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now()) });
  }
  throw new DeliveryError(message, true, { status });
}
