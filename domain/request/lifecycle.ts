/**
 * The request state machine: what every action and every alarm does to a request. Pure: a
 * transition takes the snapshot, the command and the instant, asks for the measurements it
 * needs (working time used, planned instants, recipients; see asks.ts) and returns the new
 * snapshot, the timeline events to record and the notifications to send. The workflow only
 * answers the asks, persists and delivers (workflows/request-lifecycle.ts).
 *
 * Which actions are allowed in which state is transitions.ts; this file assumes the caller
 * checked (`refusalOf`) and does what the action means.
 */
import type { CalendarVersionRef } from '../calendar/versions';
import type { NotificationIntent } from '../notification/intent';
import type { PinnedPolicy } from '../policy/pinned';
import { DAY_MS } from '../time-units';
import type { ActorNote, Assignment, Cancellation, CustomerReply, PriorityChange, Replan, Reply, Resolution, ThirdPartyWait } from './actions';
import type { Alarm } from './alarms';
import { ask, askAll, type Asking } from './asks';
import { applyMove } from './move-clocks';
import { breachNotice, replyAfterResolutionNotice, waitingNotice, warningNotice } from './notices';
import type { WaitingState } from '../policy/lifecycle-terms';
import { lifecycleTermsOf, nextReplyTargetMs, pausedClocks } from '../policy/pinned-lifecycle';
import { splitByQuietHours, type RecipientWindow } from './quiet-hours';
import type { Registration } from './registration';
import {
  applyPlan,
  cancelClock,
  markBreached,
  markEscalationFired,
  markMissedWarnings,
  markWarningFired,
  pauseClock,
  planBudgets,
  reopenClock,
  resumeClock,
  startClock,
  stopClock,
  type ClockKind,
  type SlaClock,
} from './sla-clock';
import { effectiveAt } from './occurred-at';
import { lastEventAtOf, type RequestSnapshot, type RequestState } from './snapshot';
import type { TimelineEvent, TimelineEventType } from './timeline';
import { OPEN_STATES, refusalFor, type Refusal, type RequestAction } from './transitions';

/** An agent's, the customer's or the calendars service's command, as the workflow receives it. */
export type RequestCommand =
  | ({ type: 'respond' } & Reply)
  | ({ type: 'wait_on_customer' } & ActorNote)
  | ({ type: 'wait_on_third_party' } & ThirdPartyWait)
  | ({ type: 'resume' } & ActorNote)
  | ({ type: 'customer_reply' } & CustomerReply)
  | ({ type: 'resolve' } & Resolution)
  | ({ type: 'close' } & ActorNote)
  | ({ type: 'reopen' } & ActorNote)
  | ({ type: 'cancel' } & Cancellation)
  | ({ type: 'assign' } & Assignment)
  | ({ type: 'set_priority' } & PriorityChange)
  | ({ type: 'replan' } & Replan);

/** What a transition did: the request after it, and what to record and send. */
export interface Transition {
  snapshot: RequestSnapshot;
  /** In order; `seq` continues the snapshot's revision. */
  events: TimelineEvent[];
  notices: NotificationIntent[];
}

export interface LifecycleRules {
  /** How long a closed request can still be reopened before its workflow completes. */
  reopenWindowMs: number;
}

export const DEFAULT_RULES: LifecycleRules = { reopenWindowMs: 14 * DAY_MS };

/** The action a command is checked as; a re-plan is allowed in any state. */
export function actionOf(command: RequestCommand): RequestAction | null {
  switch (command.type) {
    case 'respond':
      return command.visibility === 'internal' ? 'note' : 'reply';
    case 'replan':
      return null;
    default:
      return command.type;
  }
}

/** Null when the command is allowed in the request's state, else why not. */
export function refusalOf(state: RequestState, command: RequestCommand): Refusal | null {
  const action = actionOf(command);
  return action === null ? null : refusalFor(action, state);
}

/**
 * A change in progress. Mutable inside one transition only; callers see the immutable
 * snapshots it starts from and ends with.
 */
class Change {
  private readonly events: TimelineEvent[] = [];
  private readonly notices: NotificationIntent[] = [];

  constructor(
    public r: RequestSnapshot,
    readonly now: number,
  ) {}

  set(patch: Partial<RequestSnapshot>): void {
    this.r = { ...this.r, ...patch };
  }

  clock(kind: ClockKind): SlaClock {
    return this.r.clocks[this.indexOf(kind)]!;
  }

  indexOf(kind: ClockKind): number {
    return this.r.clocks.findIndex((c) => c.kind === kind);
  }

  setClock(index: number, clock: SlaClock): void {
    this.r = { ...this.r, clocks: this.r.clocks.map((c, i) => (i === index ? clock : c)) };
  }

  record(type: TimelineEventType, actor: string, data?: Record<string, unknown>, atMs = this.now): void {
    this.r = { ...this.r, revision: this.r.revision + 1, lastEventAtMs: Math.max(lastEventAtOf(this.r), atMs) };
    this.events.push({ seq: this.r.revision, type, atMs, actor, data });
  }

  /**
   * The change took effect before `realNowMs` (a receipt or an action told afterwards): warnings
   * whose instant has already passed are recorded as missed, never sent late as if fresh. A
   * passed due instant stays pending: the workflow breaches (and escalates) at once.
   */
  settleMissedWarnings(realNowMs: number): void {
    for (let i = 0; i < this.r.clocks.length; i++) {
      const { clock, missed } = markMissedWarnings(this.r.clocks[i]!, realNowMs);
      if (missed.length === 0) continue;
      this.setClock(i, clock);
      for (const w of missed) {
        const warning = clock.warnings[w]!;
        this.record('sla_warning_missed', 'system', { clock: clock.kind, fraction: warning.fraction, at: warning.atMs, dueAt: clock.dueAtMs }, realNowMs);
      }
    }
  }

  notify(intent: NotificationIntent): void {
    this.notices.push(intent);
  }

  done(): Transition {
    return { snapshot: this.r, events: this.events, notices: this.notices };
  }

  dueAt(): Record<string, number | null> {
    return Object.fromEntries(this.r.clocks.map((c) => [c.kind, c.dueAtMs]));
  }

  /** Working time the running segment of a clock has used until now (no ask when not running). */
  *segmentUsed(c: SlaClock): Asking<number> {
    if (c.runningSinceMs === null) return 0;
    return yield* ask({ kind: 'working_time', calendar: this.r.calendar, fromMs: c.runningSinceMs, toMs: this.now });
  }

  /** Due and warning instants for every running, regulated, unbreached clock (asked together, in clock order). */
  *planRunningClocks(): Asking<void> {
    const planned = this.r.clocks.flatMap((c, i) => {
      const budgets = planBudgets(c);
      return budgets ? [{ i, ask: { kind: 'plan' as const, calendar: this.r.calendar, fromMs: c.runningSinceMs!, ...budgets } }] : [];
    });
    const plans = yield* askAll(planned.map((p) => p.ask));
    planned.forEach(({ i }, k) => this.setClock(i, applyPlan(this.r.clocks[i]!, plans[k]!)));
  }

  /** Plans one running clock's due and warning instants (no ask when it needs none). */
  *planClock(i: number): Asking<void> {
    const c = this.r.clocks[i]!;
    const budgets = planBudgets(c);
    if (!budgets) return;
    const plan = yield* ask({ kind: 'plan', calendar: this.r.calendar, fromMs: c.runningSinceMs!, ...budgets });
    this.setClock(i, applyPlan(c, plan));
  }

  /** Every clock of a kind that has not stopped yet stops now (the next-reply rounds). */
  *stopAll(kind: ClockKind): Asking<void> {
    for (let i = 0; i < this.r.clocks.length; i++) {
      const c = this.r.clocks[i]!;
      if (c.kind === kind && c.stoppedAtMs === null) this.setClock(i, stopClock(c, this.now, yield* this.segmentUsed(c)));
    }
  }

  /** The target event of a clock happened (no-op on a stopped clock). */
  *stop(kind: ClockKind): Asking<void> {
    const i = this.indexOf(kind);
    const c = this.r.clocks[i]!;
    if (c.stoppedAtMs === null) this.setClock(i, stopClock(c, this.now, yield* this.segmentUsed(c)));
  }
}

// ---- registration ---------------------------------------------------------------------------

/**
 * A new request: clocks start at its receipt (`receivedAtMs`, default the registration
 * instant) on the calendar version in force then. A request received earlier may already be
 * past a warning (recorded as missed) or a target (its breach alarm is due at once).
 */
export function* register(
  ids: { requestId: string; requestKey: string },
  registration: Registration,
  policy: PinnedPolicy,
  now: number,
  receivedAtMs: number = now,
): Asking<Transition> {
  // Within the allowed clock skew ahead is taken as now: clocks never start in the future.
  const start = Math.min(receivedAtMs, now);
  const calendar: CalendarVersionRef = policy.calendarVersionId
    ? { id: policy.calendar.id, versionId: policy.calendarVersionId }
    : yield* ask({ kind: 'calendar_version', calendarId: policy.calendar.id, atMs: start });
  const x = new Change(
    {
      ...ids,
      registration,
      // The same object when pinned already: storage splits a policy once per object (policy-terms.ts).
      policy: policy.calendarVersionId === calendar.versionId ? policy : { ...policy, calendarVersionId: calendar.versionId },
      calendar,
      state: 'registered',
      registeredAtMs: now,
      receivedAtMs: start,
      priority: policy.priority,
      assignee: { agent: null, group: null },
      clocks: [
        startClock('first_response', policy.targets.firstResponse?.workingMs ?? null, start, policy.warnings),
        startClock('resolution', policy.targets.resolution?.workingMs ?? null, start, policy.warnings),
      ],
      resolvedAtMs: null,
      autoCloseAtMs: null,
      closedAtMs: null,
      reopenUntilMs: null,
      cancelReason: null,
      deferredNotices: [],
      revision: 0,
    },
    now,
  );
  yield* x.planRunningClocks();
  x.record('registered', registration.reporter ?? 'intake', { level: policy.level, calendar, dueAt: x.dueAt(), ...(start < now ? { receivedAt: start } : {}) });
  if (start < now) x.settleMissedWarnings(now);
  // What happened between receipt and registration (a reply on the phone) may still be told.
  x.set({ lastEventAtMs: start });
  return x.done();
}

// ---- agent, customer and calendar commands --------------------------------------------------

/**
 * What `command` does to the request at `now`, or at its `occurredAt` when it says it happened
 * earlier. The caller checked `refusalOf` and `orderViolation` first.
 */
export function* act(r: RequestSnapshot, command: RequestCommand, realNow: number, rules: LifecycleRules = DEFAULT_RULES): Asking<Transition> {
  const now = effectiveAt(command, realNow);
  const x = new Change(r, now);
  yield* perform(x, command, now, rules);
  if (now < realNow) x.settleMissedWarnings(realNow);
  return x.done();
}

function* perform(x: Change, command: RequestCommand, now: number, rules: LifecycleRules): Asking<void> {
  switch (command.type) {
    case 'respond':
      if (command.visibility === 'internal') {
        x.record('internal_note', command.author, { body: command.body });
        break;
      }
      yield* x.stop('first_response');
      yield* x.stopAll('next_reply');
      if (x.r.state === 'registered') x.set({ state: 'in_progress' });
      x.record('replied', command.author, { body: command.body });
      break;

    case 'wait_on_customer': {
      yield* wait(x, 'waiting_on_customer');
      // The terms' reminder and automatic resolution, in working days on the request's calendar.
      const t = lifecycleTermsOf(x.r.policy).waitingOnCustomer;
      const after = (days: number | null) => (days === null ? null : ask({ kind: 'auto_close', calendar: x.r.calendar, fromMs: now, days }));
      const reminder = after(t.reminderAfterWorkingDays);
      const resolution = after(t.autoResolveAfterWorkingDays);
      const remindCustomerAtMs = reminder ? yield* reminder : null;
      const autoResolveAtMs = resolution ? yield* resolution : null;
      if (remindCustomerAtMs !== null || autoResolveAtMs !== null) x.set({ remindCustomerAtMs, autoResolveAtMs });
      x.record('waiting_on_customer', command.author, {
        ...(command.note ? { note: command.note } : {}),
        ...(remindCustomerAtMs !== null ? { remindAt: remindCustomerAtMs } : {}),
        ...(autoResolveAtMs !== null ? { autoResolveAt: autoResolveAtMs } : {}),
      });
      break;
    }

    case 'wait_on_third_party':
      yield* wait(x, 'waiting_on_third_party');
      x.record('waiting_on_third_party', command.author, { ...(command.party ? { party: command.party } : {}), ...(command.note ? { note: command.note } : {}), paused: x.r.clocks.filter((c) => c.runningSinceMs === null && c.stoppedAtMs === null).map((c) => c.kind) });
      break;

    case 'resume':
      yield* stopWaiting(x);
      x.record('resumed', command.author, command.note ? { note: command.note } : undefined);
      break;

    case 'customer_reply':
      if (x.r.state === 'resolved' || x.r.state === 'closed') {
        // The level's (or contract's) term: reopen, or record it and let the assignee decide.
        if (lifecycleTermsOf(x.r.policy).replyAfterResolution === 'notify-assignee') {
          x.record('customer_replied', command.author, { body: command.body, afterResolution: true });
          x.notify(replyAfterResolutionNotice(x.r, command.body, now));
          break;
        }
        yield* reopen(x, command.author, 'customer replied');
      } else if (x.r.state === 'waiting_on_customer') {
        yield* stopWaiting(x);
      }
      x.record('customer_replied', command.author, { body: command.body });
      yield* startNextReply(x);
      break;

    case 'resolve':
      yield* resolveNow(x, command.author, { summary: command.summary });
      break;

    case 'close':
      close(x, command.author, false, rules);
      break;

    case 'reopen':
      yield* reopen(x, command.author, command.note);
      break;

    case 'cancel':
      for (let i = 0; i < x.r.clocks.length; i++) {
        const c = x.r.clocks[i]!;
        x.setClock(i, cancelClock(c, now, yield* x.segmentUsed(c)));
      }
      x.set({ state: 'cancelled', cancelReason: command.reason, deferredNotices: [] });
      x.record('cancelled', command.author, { reason: command.reason, ...(command.note ? { note: command.note } : {}) });
      break;

    case 'assign': {
      const assignee = {
        agent: command.agent === undefined ? x.r.assignee.agent : command.agent,
        group: command.group === undefined ? x.r.assignee.group : command.group,
      };
      x.set({ assignee });
      x.record('assigned', command.author, assignee);
      break;
    }

    case 'set_priority':
      yield* setPriority(x, command);
      break;

    case 'replan':
      yield* replan(x, command);
      break;
  }
}

/**
 * A customer's reply waits for the agent's next public reply, when the pinned terms set a
 * next-reply target: a new round's clock starts, unless the first response (which already
 * answers it) or an earlier round is still running, or the request is not open.
 */
function* startNextReply(x: Change): Asking<void> {
  const targetMs = nextReplyTargetMs(lifecycleTermsOf(x.r.policy).nextReply, x.r.priority);
  if (targetMs === null || !OPEN_STATES.includes(x.r.state)) return;
  if (x.r.clocks.some((c) => (c.kind === 'first_response' || c.kind === 'next_reply') && c.stoppedAtMs === null)) return;
  x.set({ clocks: [...x.r.clocks, startClock('next_reply', targetMs, x.now, x.r.policy.warnings)] });
  yield* x.planClock(x.r.clocks.length - 1);
}

/**
 * The desk waits on someone: the clocks the pinned terms name for `state` pause (today's seed
 * terms: waiting on the customer pauses resolution; a third party pauses nothing). Moving from
 * one waiting state to another first resumes what the previous one paused.
 */
function* wait(x: Change, state: WaitingState): Asking<void> {
  if (x.r.state === 'waiting_on_customer' || x.r.state === 'waiting_on_third_party') yield* stopWaiting(x);
  for (const kind of pausedClocks(x.r.policy, state)) {
    for (let i = 0; i < x.r.clocks.length; i++) {
      const c = x.r.clocks[i]!;
      if (c.kind !== kind || c.runningSinceMs === null || c.stoppedAtMs !== null) continue;
      x.setClock(i, pauseClock(c, x.now, yield* x.segmentUsed(c), state));
    }
  }
  x.set({ state });
}

/** When the current wait on the customer began (the open pause; the last event for terms pausing nothing). */
function waitingSince(r: RequestSnapshot): number {
  const open = r.clocks.flatMap((c) => c.pauses).filter((p) => p.toMs === null && p.reason === 'waiting_on_customer');
  return open.length > 0 ? Math.min(...open.map((p) => p.fromMs)) : lastEventAtOf(r);
}

/** The wait is over: every paused clock runs again from now, re-planned, and work goes on. */
function* stopWaiting(x: Change): Asking<void> {
  for (let i = 0; i < x.r.clocks.length; i++) x.setClock(i, resumeClock(x.r.clocks[i]!, x.now));
  yield* x.planRunningClocks();
  x.set({ state: 'in_progress' });
}

function* resolveNow(x: Change, author: string, data: Record<string, unknown>): Asking<void> {
  // The resolution is itself a public reply: it meets a still-running first-response clock.
  yield* x.stop('first_response');
  yield* x.stopAll('next_reply');
  yield* x.stop('resolution');
  const autoCloseAtMs = yield* ask({ kind: 'auto_close', calendar: x.r.calendar, fromMs: x.now, days: x.r.policy.autoCloseWorkingDays });
  x.set({ state: 'resolved', resolvedAtMs: x.now, autoCloseAtMs });
  x.record('resolved', author, { ...data, autoCloseAt: autoCloseAtMs });
}

function close(x: Change, author: string, automatic: boolean, rules: LifecycleRules): void {
  x.set({ state: 'closed', closedAtMs: x.now, autoCloseAtMs: null, reopenUntilMs: x.now + rules.reopenWindowMs });
  x.record(automatic ? 'auto_closed' : 'closed', author);
}

/** A resolved or closed request comes back: the resolution clock runs on from where it stopped. */
function* reopen(x: Change, author: string, note: string | undefined): Asking<void> {
  const i = x.indexOf('resolution');
  x.setClock(i, reopenClock(x.r.clocks[i]!, x.now));
  yield* x.planRunningClocks();
  x.set({ state: 'in_progress', resolvedAtMs: null, autoCloseAtMs: null, closedAtMs: null, reopenUntilMs: null });
  x.record('reopened', author, { reopenCount: x.r.clocks[i]!.reopenCount, ...(note ? { note } : {}) });
}

/**
 * A new priority. Where the pinned policy has per-priority targets, clocks that have not
 * stopped take the new targets and are re-planned; time already used stays used.
 */
function* setPriority(x: Change, { author, priority }: PriorityChange): Asking<void> {
  const from = x.r.priority;
  if (priority === from) return;
  const targets = x.r.policy.targetsByPriority?.[priority];
  if (targets) {
    const nextReply = nextReplyTargetMs(lifecycleTermsOf(x.r.policy).nextReply, priority);
    const byKind = { first_response: targets.firstResponse, resolution: targets.resolution, next_reply: nextReply === null ? null : { workingMs: nextReply } };
    for (let i = 0; i < x.r.clocks.length; i++) {
      const c = x.r.clocks[i]!;
      if (c.stoppedAtMs !== null || c.breachedAtMs !== null) continue;
      const targetMs = byKind[c.kind]?.workingMs ?? null;
      const warnings = targetMs === null ? [] : x.r.policy.warnings.map((fraction) => ({ fraction, atMs: null, firedAtMs: null }));
      x.setClock(i, { ...c, targetMs, dueAtMs: null, warnings });
    }
    yield* x.planRunningClocks();
  }
  x.set({ priority });
  x.record('priority_changed', author, { from, to: priority, retargeted: !!targets, dueAt: x.dueAt() });
}

/** A calendar gained an exception: running clocks continue on the new version from now. */
function* replan(x: Change, { author, calendarVersionId }: Replan): Asking<void> {
  if (calendarVersionId === x.r.calendar.versionId) return;
  const before = x.r.clocks.map((c) => c.dueAtMs);
  const from = x.r.calendar;
  const to = { id: from.id, versionId: calendarVersionId };
  // Time already used stays measured on the old version; only the future is re-planned.
  const running = x.r.clocks.flatMap((c, i) => (c.runningSinceMs === null ? [] : [{ i, c }]));
  if (running.length > 0) {
    const moves = yield* ask({ kind: 'move_clocks', from, to, atMs: x.now, clocks: running.map(({ c }) => c) });
    running.forEach(({ i, c }, k) => x.setClock(i, applyMove(c, moves[k]!, x.now)));
  }
  x.set({ calendar: to });
  x.record('deadlines_replanned', author, {
    fromVersion: from.versionId,
    toVersion: calendarVersionId,
    dueAt: Object.fromEntries(x.r.clocks.map((c, i) => [c.kind, { before: before[i], after: c.dueAtMs }])),
  });
}

// ---- alarms ---------------------------------------------------------------------------------

/** What a due alarm (alarms.ts) does: warn, breach, escalate, auto-close, send a held warning. */
export function* fire(r: RequestSnapshot, alarm: Alarm, now: number, rules: LifecycleRules = DEFAULT_RULES): Asking<Transition> {
  const x = new Change(r, now);
  switch (alarm.kind) {
    case 'warning': {
      x.setClock(alarm.clock, markWarningFired(x.r.clocks[alarm.clock]!, alarm.index, now));
      const c = x.r.clocks[alarm.clock]!;
      x.record('sla_warning', 'system', { clock: c.kind, fraction: c.warnings[alarm.index]!.fraction, dueAt: c.dueAtMs });
      yield* notifyRespectingQuietHours(x, warningNotice(x.r, alarm.clock, alarm.index, now));
      break;
    }
    case 'breach': {
      const c = x.r.clocks[alarm.clock]!;
      const ladder = x.r.policy.escalation;
      const escalationAt = yield* ask({ kind: 'working_instants', calendar: x.r.calendar, fromMs: c.dueAtMs!, budgetsMs: ladder.map((s) => s.afterBreachWorkingMs) });
      x.setClock(alarm.clock, markBreached(c, escalationAt));
      x.record('sla_breached', 'system', { clock: c.kind, dueAt: c.dueAtMs, firedAt: now });
      break;
    }
    case 'escalation': {
      x.setClock(alarm.clock, markEscalationFired(x.r.clocks[alarm.clock]!, alarm.step, now));
      const c = x.r.clocks[alarm.clock]!;
      x.record('escalated', 'system', { clock: c.kind, step: alarm.step, notify: x.r.policy.escalation[alarm.step]!.notify });
      x.notify(breachNotice(x.r, alarm.clock, alarm.step, now));
      break;
    }
    case 'auto_close':
      close(x, 'system', true, rules);
      break;
    case 'customer_reminder': {
      const since = waitingSince(x.r);
      x.set({ remindCustomerAtMs: null });
      x.record('customer_reminded', 'system', { waitingSince: since });
      x.notify(waitingNotice(x.r, 'reminder', since, now));
      break;
    }
    case 'auto_resolve': {
      const since = waitingSince(x.r);
      x.set({ remindCustomerAtMs: null, autoResolveAtMs: null });
      yield* resolveNow(x, 'system', { summary: 'No reply from the customer', automatic: true, reason: 'no_customer_reply', waitingSince: since });
      x.notify(waitingNotice(x.r, 'auto_resolved', since, now));
      break;
    }
    case 'reopen_window_end':
      x.set({ reopenUntilMs: null });
      x.record('reopen_window_ended', 'system');
      break;
    case 'deferred_notice': {
      // By key, not position: several may fall due at once and each firing shortens the list.
      const deferred = x.r.deferredNotices.find((d) => d.intent.idempotencyKey === alarm.key);
      if (!deferred) break;
      x.set({ deferredNotices: x.r.deferredNotices.filter((d) => d !== deferred) });
      x.notify(deferred.intent);
      break;
    }
  }
  return x.done();
}

/**
 * Warnings wait for each recipient's next working instant (breaches never wait). A recipient
 * whose quiet-hours calendar does not exist is told at once, and the timeline says why.
 */
function* notifyRespectingQuietHours(x: Change, intent: NotificationIntent): Asking<void> {
  const { recipients, atMs: now } = yield* ask({ kind: 'recipients', roles: intent.roles ?? [], recipientIds: intent.recipientIds ?? [] });
  const windows: RecipientWindow[] = [];
  for (const recipient of recipients) {
    if (!recipient.quietCalendarId) {
      windows.push({ id: recipient.id, atMs: now });
      continue;
    }
    const next = yield* ask({ kind: 'next_working_instant', calendarId: recipient.quietCalendarId, atMs: now });
    if ('unknownCalendar' in next) {
      x.record('quiet_hours_ignored', 'system', { recipient: recipient.id, calendarId: recipient.quietCalendarId, reason: next.unknownCalendar });
      windows.push({ id: recipient.id, atMs: now });
    } else windows.push({ id: recipient.id, atMs: next.atMs });
  }
  const split = splitByQuietHours(intent, windows, now);
  if (split.deferred.length > 0) x.set({ deferredNotices: [...x.r.deferredNotices, ...split.deferred] });
  if (split.now) x.notify(split.now);
}

// ---- delivery outcomes ----------------------------------------------------------------------

/** A notification exhausted its retries: the timeline shows it (the outbox row says failed too). */
export function notificationFailed(r: RequestSnapshot, failure: { outboxId: number; subject: string; error: string }, now: number): Transition {
  const x = new Change(r, now);
  x.record('notification_failed', 'system', { outboxId: failure.outboxId, subject: failure.subject, error: failure.error });
  return x.done();
}
