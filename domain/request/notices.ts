import type { NotificationIntent } from '../notification/intent';
import { hours } from '../time-units';
import type { SlaClock } from './sla-clock';
import type { RequestSnapshot } from './snapshot';

/**
 * What to tell whom when an SLA clock warns, breaches or escalates. Pure: builds notification
 * intents whose idempotency keys come from the request and the event, so a replayed or retried
 * step enqueues nothing twice.
 */
const CLOCK_NAMES: Record<SlaClock['kind'], string> = { first_response: 'first response', resolution: 'resolution', next_reply: 'next reply' };

/** A request has one clock of each kind but next_reply (one per round): its keys name the round's clock. */
const keyOf = (c: SlaClock, clockIndex: number) => (c.kind === 'next_reply' ? `${c.kind}#${clockIndex}` : c.kind);

const workingHours = (ms: number) => `${hours(ms)} working h`;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Symbolic roles the request itself resolves; the rest are looked up in the directory. */
function audience(r: RequestSnapshot, roles: readonly string[]): Pick<NotificationIntent, 'roles' | 'recipientIds' | 'recipients'> {
  const directoryRoles = roles.filter((role) => !['assignee', 'dedicated-engineer', 'contract-escalation-contacts'].includes(role));
  const recipientIds = roles.includes('assignee') && r.assignee.agent ? [r.assignee.agent] : [];
  // Nobody assigned yet: the assignee's warning goes to the assignee group's duty role instead.
  if (roles.includes('assignee') && !r.assignee.agent) directoryRoles.push('duty-agent');
  const recipients = [
    ...(roles.includes('dedicated-engineer') && r.policy.notify.dedicatedEngineer ? [r.policy.notify.dedicatedEngineer] : []),
    ...(roles.includes('contract-escalation-contacts') ? r.policy.notify.escalationContacts : []),
  ]
    .filter((c) => c.email)
    .map((c) => ({ name: c.name, email: c.email }));
  return { roles: directoryRoles, recipientIds, recipients };
}

function payload(r: RequestSnapshot, c: SlaClock, event: string, extra: Record<string, string | number | null>) {
  return {
    event,
    requestId: r.requestId,
    subject: r.registration.subject,
    level: r.policy.level,
    customerId: r.policy.customerId ?? null,
    state: r.state,
    clock: c.kind,
    targetWorkingMs: c.targetMs,
    dueAt: iso(c.dueAtMs),
    assignee: r.assignee.agent,
    ...extra,
  };
}

export function warningNotice(r: RequestSnapshot, clockIndex: number, warningIndex: number, firedAtMs: number): NotificationIntent {
  const c = r.clocks[clockIndex]!;
  const w = c.warnings[warningIndex]!;
  const pct = Math.round(w.fraction * 100);
  return {
    idempotencyKey: `${r.requestId}:${keyOf(c, clockIndex)}:warning:${w.fraction}:${c.reopenCount}`,
    requestId: r.requestId,
    kind: 'warning',
    ...audience(r, r.policy.warningNotify),
    subject: `[${r.requestId}] ${pct}% of the ${CLOCK_NAMES[c.kind]} target used`,
    body: `Request ${r.requestId} "${r.registration.subject}" (${r.policy.level}) has used ${pct}% of its ${CLOCK_NAMES[c.kind]} target of ${workingHours(c.targetMs!)}. Due ${iso(c.dueAtMs)}.`,
    payload: payload(r, c, 'sla.warning', { fraction: w.fraction, firedAt: iso(firedAtMs) }),
  };
}

export function breachNotice(r: RequestSnapshot, clockIndex: number, step: number, firedAtMs: number): NotificationIntent {
  const c = r.clocks[clockIndex]!;
  const ladder = r.policy.escalation[step]!;
  const first = step === 0;
  return {
    idempotencyKey: `${r.requestId}:${keyOf(c, clockIndex)}:escalation:${step}`,
    requestId: r.requestId,
    kind: first ? 'breach' : 'escalation',
    ...audience(r, ladder.notify),
    subject: `[${r.requestId}] ${CLOCK_NAMES[c.kind]} target breached${first ? '' : ` — escalation ${step}`}`,
    body:
      `Request ${r.requestId} "${r.registration.subject}" (${r.policy.level}) breached its ${CLOCK_NAMES[c.kind]} target of ` +
      `${workingHours(c.targetMs!)} at ${iso(c.breachedAtMs)}.` +
      (first ? '' : ` Still not met ${workingHours(ladder.afterBreachWorkingMs)} later: escalated to ${ladder.notify.join(', ')}.`),
    payload: payload(r, c, first ? 'sla.breach' : 'sla.escalation', { step, breachedAt: iso(c.breachedAtMs), firedAt: iso(firedAtMs) }),
  };
}

/**
 * The customer wrote back on a resolved (or closed) request whose terms say the assignee
 * decides: tell the assignee (the duty role while nobody is assigned). Keyed by the revision
 * of the recorded reply: each reply is told once.
 */
export function replyAfterResolutionNotice(r: RequestSnapshot, body: string, atMs: number): NotificationIntent {
  const excerpt = body.length > 500 ? `${body.slice(0, 500)}…` : body;
  return {
    idempotencyKey: `${r.requestId}:reply-after-resolution:${r.revision}`,
    requestId: r.requestId,
    kind: 'lifecycle',
    ...audience(r, ['assignee']),
    subject: `[${r.requestId}] the customer replied to a ${r.state} request`,
    body: `The customer replied to request ${r.requestId} "${r.registration.subject}" (${r.state}). It stays ${r.state}: reopen it if the reply needs work.\n\n${excerpt}`,
    payload: {
      event: 'request.reply_after_resolution',
      requestId: r.requestId,
      subject: r.registration.subject,
      level: r.policy.level,
      customerId: r.policy.customerId ?? null,
      state: r.state,
      assignee: r.assignee.agent,
      repliedAt: iso(atMs),
    },
  };
}

/** A reporter we can write to: an e-mail address (intake systems relay others by webhook). */
const reporterContact = (r: RequestSnapshot) => (r.registration.reporter && /^[^@\s]+@[^@\s]+$/.test(r.registration.reporter) ? [{ name: r.registration.reporter, email: r.registration.reporter }] : []);

/**
 * Waiting on the customer too long: a reminder (to the reporter when they have an e-mail
 * address; the assignee and intake webhooks see it too), or the automatic resolution.
 */
export function waitingNotice(r: RequestSnapshot, what: 'reminder' | 'auto_resolved', sinceMs: number, atMs: number): NotificationIntent {
  const reminder = what === 'reminder';
  return {
    idempotencyKey: `${r.requestId}:waiting:${what}:${sinceMs}`,
    requestId: r.requestId,
    kind: 'lifecycle',
    ...audience(r, ['assignee']),
    recipients: reporterContact(r),
    subject: reminder ? `[${r.requestId}] we are waiting for your reply` : `[${r.requestId}] resolved: no reply received`,
    body: reminder
      ? `Request ${r.requestId} "${r.registration.subject}" is waiting for your reply since ${iso(sinceMs)}. Please reply so we can go on.`
      : `Request ${r.requestId} "${r.registration.subject}" was resolved because no reply came since ${iso(sinceMs)}. Reply to reopen it.`,
    payload: { event: reminder ? 'request.customer_reminder' : 'request.auto_resolved', requestId: r.requestId, subject: r.registration.subject, level: r.policy.level, customerId: r.policy.customerId ?? null, state: r.state, assignee: r.assignee.agent, waitingSince: iso(sinceMs), at: iso(atMs) },
  };
}
