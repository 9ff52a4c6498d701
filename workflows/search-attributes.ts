/**
 * The desk's custom search attributes, so `temporal workflow list --query` and the Temporal Web
 * UI can filter the request workflows (e.g. `SlaBreached = true AND SlaLevel = "warranty"`).
 * Pure: imported by the workflow (observe.ts), the local dev server (to register them at start)
 * and tests. Register them on a cluster before turning them on (README, "Temporal's own UI").
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair, type SearchAttributeUpdatePair } from '@temporalio/common';
import { isRunning } from '../domain/request/sla-clock';
import type { RequestSnapshot } from '../domain/request/snapshot';

export const SLA_SEARCH_ATTRIBUTES = {
  customer: defineSearchAttributeKey('SlaCustomer', SearchAttributeType.KEYWORD),
  level: defineSearchAttributeKey('SlaLevel', SearchAttributeType.KEYWORD),
  state: defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD),
  breached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  assignee: defineSearchAttributeKey('SlaAssignee', SearchAttributeType.KEYWORD),
  nextDue: defineSearchAttributeKey('SlaNextDue', SearchAttributeType.DATETIME),
} as const;

const CLI_TYPE: Record<string, string> = { KEYWORD: 'Keyword', BOOL: 'Bool', DATETIME: 'Datetime' };

/** `Name=Type` pairs for `temporal server start-dev --search-attribute` and `temporal operator search-attribute create`. */
export const SEARCH_ATTRIBUTE_DEFINITIONS: readonly string[] = Object.values(SLA_SEARCH_ATTRIBUTES).map((k) => `${k.name}=${CLI_TYPE[k.type]}`);

/** The earliest due instant of a running, unbreached clock (as the projection's next_due_at). */
export function nextDueAtMs(r: RequestSnapshot): number | null {
  const dues = r.clocks.filter((c) => isRunning(c) && c.breachedAtMs === null && c.dueAtMs !== null && !c.cancelled).map((c) => c.dueAtMs as number);
  return dues.length ? Math.min(...dues) : null;
}

/** The search attributes of a request now; null values remove an attribute. */
export function searchAttributesOf(r: RequestSnapshot): SearchAttributeUpdatePair[] {
  const k = SLA_SEARCH_ATTRIBUTES;
  const due = nextDueAtMs(r);
  return [
    { key: k.customer, value: r.registration.customerId ?? r.policy.customerId ?? null },
    { key: k.level, value: r.policy.level },
    { key: k.state, value: r.state },
    { key: k.breached, value: r.clocks.some((c) => c.breachedAtMs !== null) },
    { key: k.assignee, value: r.assignee.agent ?? r.assignee.group ?? null },
    { key: k.nextDue, value: due === null ? null : new Date(due) },
  ];
}

/** The attributes a request's workflow starts with (a start sets values; "none" is leaving one out). */
export function startSearchAttributes(r: RequestSnapshot): SearchAttributePair[] {
  return searchAttributesOf(r).filter((p) => p.value !== null) as SearchAttributePair[];
}

const CLOCK_WORDS: Record<string, string> = { first_response: 'first response', resolution: 'resolution' };

/** A timer's one-line summary (Temporal user metadata), e.g. "SR-…: first response breach". */
export function alarmSummary(requestId: string, r: RequestSnapshot, alarm: { kind: string; clock?: number; step?: number }): string {
  const clock = alarm.clock === undefined ? undefined : CLOCK_WORDS[r.clocks[alarm.clock]?.kind ?? ''];
  const what = alarm.kind.replace(/_/g, ' ');
  const step = alarm.step === undefined ? '' : ` ${alarm.step + 1}`;
  return `${requestId}: ${clock ? `${clock} ` : ''}${what}${step}`;
}

/** The workflow's own summary at start (Temporal user metadata), e.g. "SR-…: Crash on export (warranty)". */
export function workflowSummary(requestId: string, subject: string, level: string): string {
  const s = subject.length > 120 ? `${subject.slice(0, 119)}…` : subject;
  return `${requestId}: ${s} (${level})`;
}
