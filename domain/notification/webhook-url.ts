/**
 * Which webhook targets the service sends to. Signed notifications carry request data, so they
 * go over TLS: `https:` only. Plain `http:` is allowed only to a loopback host (`localhost`,
 * 127.0.0.0/8, `::1`) and only when WEBHOOK_ALLOW_HTTP_LOOPBACK=true (local receivers in tests
 * and development); it is off by default. Pure: no I/O, so the API, the outbox and the sender
 * apply the same rule.
 */
export interface WebhookUrlPolicy {
  /** WEBHOOK_ALLOW_HTTP_LOOPBACK=true: plain http to a loopback host is accepted. */
  allowHttpLoopback: boolean;
}

export interface WebhookUrlIssue {
  rule: 'url' | 'https_required';
  message: string;
}

export const HTTPS_ONLY: WebhookUrlPolicy = Object.freeze({ allowHttpLoopback: false });

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]` (URL.hostname keeps IPv6 brackets). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Why `raw` may not be a webhook target under `policy`, or undefined when it may. */
export function webhookUrlIssue(raw: string, policy: WebhookUrlPolicy): WebhookUrlIssue | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { rule: 'url', message: 'not a valid absolute URL' };
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol !== 'http:') return { rule: 'https_required', message: `webhook URLs must use https: (got ${url.protocol})` };
  if (policy.allowHttpLoopback && isLoopbackHost(url.hostname)) return undefined;
  return {
    rule: 'https_required',
    message: isLoopbackHost(url.hostname)
      ? 'plain http: is refused; it is allowed to loopback hosts only when WEBHOOK_ALLOW_HTTP_LOOPBACK=true'
      : 'webhook URLs must use https: (plain http: would send signed request data in clear)',
  };
}
