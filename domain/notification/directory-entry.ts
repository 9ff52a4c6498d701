/**
 * A notification directory entry as the API writes it: a person (an agent, a team lead, the
 * head of support, a dedicated engineer) or a team (a shared mailbox, a team's webhook), the
 * roles policies address it by, and where it is reached. Pure: the rules the API checks before
 * anything is written, beyond the shape (see api/recipients/schemas.ts).
 *
 * Decisions where the issue is silent:
 * - An agent is a recipient whose id is the agent id requests are assigned to: the role
 *   "assignee" is resolved to the entry with the assignee's id, never by a role of that name,
 *   so `assignee` is refused as a role (it would address every agent at once).
 * - An entry needs an e-mail or a webhook (the directory's check constraint): 422 naming both.
 * - A webhook must be https (webhook-url.ts); plain http to a loopback host only when the
 *   deployment allows it (WEBHOOK_ALLOW_HTTP_LOOPBACK=true), as the sender does.
 */
import { webhookUrlIssue, type WebhookUrlPolicy } from './webhook-url';

export const RECIPIENT_KINDS = ['person', 'team'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export interface DirectoryEntryInput {
  name: string;
  kind: RecipientKind;
  roles: string[];
  email?: string;
  webhookUrl?: string;
  quietCalendarId?: string;
  active: boolean;
}

export interface EntryIssue {
  field: string;
  rule: string;
  message: string;
}

/** Roles resolved by the request, not by the directory: listing them on an entry would address everyone. */
export const REQUEST_BOUND_ROLES: ReadonlySet<string> = new Set(['assignee', 'contract-escalation-contacts']);

/**
 * Why an entry may not be written (empty when it may); each issue names its field and rule.
 *
 * @example entryIssues({ name: 'Ops', kind: 'team', roles: [], webhookUrl: 'http://ops.example', active: true }, HTTPS_ONLY)
 * // [{ field: 'webhookUrl', rule: 'https_required', message: 'webhook URLs must use https: …' }]
 */
export function entryIssues(entry: DirectoryEntryInput, urlPolicy: WebhookUrlPolicy): EntryIssue[] {
  const issues: EntryIssue[] = [];
  if (entry.email === undefined && entry.webhookUrl === undefined) {
    const message = 'an entry needs an e-mail address or a webhook URL';
    issues.push({ field: 'email', rule: 'channel_required', message }, { field: 'webhookUrl', rule: 'channel_required', message });
  }
  if (entry.webhookUrl !== undefined) {
    const issue = webhookUrlIssue(entry.webhookUrl, urlPolicy);
    if (issue) issues.push({ field: 'webhookUrl', rule: issue.rule, message: issue.message });
  }
  entry.roles.forEach((role, i) => {
    if (entry.roles.indexOf(role) < i) issues.push({ field: `roles.${i}`, rule: 'duplicate', message: `"${role}" is listed twice` });
    if (REQUEST_BOUND_ROLES.has(role))
      issues.push({
        field: `roles.${i}`,
        rule: 'request_bound_role',
        message: `"${role}" is resolved per request (the assignee by the entry whose id is the agent id; contract contacts from the contract), not by a role`,
      });
  });
  return issues;
}
