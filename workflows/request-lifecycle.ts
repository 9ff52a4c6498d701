import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import type { PinnedPolicy } from '../domain/policy/pinned';
import type { Priority } from '../domain/policy/vocabulary';
import type { Alarm } from '../domain/request/alarms';
import { breachNotice, warningNotice } from '../domain/request/notices';
import type { Registration } from '../domain/request/registration';
import {
  applyPlan,
  cancelClock,
  markBreached,
  markEscalationFired,
  markWarningFired,
  pauseClock,
  planBudgets,
  reopenClock,
  resumeClock,
  startClock,
  stopClock,
  type SlaClock,
} from '../domain/request/sla-clock';
import type { Actor, RequestSnapshot, RequestState, TimelineEvent } from '../domain/request/snapshot';
import { refusalFor, type RequestAction } from '../domain/request/transitions';
import type { NotificationIntent } from '../notifications/types';
import { calendar, delivery, localTickets, notifier, tickets } from './activity-proxies';
import { ILLEGAL_TRANSITION } from './messages';

const DEFAULT_REOPEN_WINDOW_MS = 14 * 24 * 3_600_000;
/** Projection writes became local activities (2026-11-25); see `persist`. */
export const LOCAL_PROJECTION_PATCH = 'projection-via-local-activity';

export interface LifecycleOptions {
  /** How long a closed request can still be reopened before its workflow completes. */
  reopenWindowMs?: number;
}

/**
 * A support request's state and every change to it. Workflow code: all time comes from the
 * workflow clock, all calendar arithmetic from local activities, all I/O from activities.
 * Changes are serialised (`exclusive`) because Update handlers and timers interleave at
 * every await.
 */
export class RequestLifecycle {
  r: RequestSnapshot;
  /** Something changed since the main loop last planned its timer. */
  changed = false;
  private pending: TimelineEvent[] = [];
  private writes: Promise<void> = Promise.resolve();
  private lock: Promise<unknown> = Promise.resolve();
  private readonly deliveries = new Set<Promise<void>>();
  readonly options: Required<LifecycleOptions>;

  constructor(snapshot: RequestSnapshot, options: LifecycleOptions = {}) {
    this.r = snapshot;
    this.options = { reopenWindowMs: options.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS };
  }

  /** A new request: clocks start at registration on the calendar version in force. */
  static async register(
    ids: { requestId: string; requestKey: string },
    registration: Registration,
    policy: PinnedPolicy,
    options: LifecycleOptions,
  ): Promise<RequestLifecycle> {
    const now = Date.now();
    const calendarRef = policy.calendarVersionId
      ? { id: policy.calendar.id, versionId: policy.calendarVersionId }
      : await calendar.calendarVersionAt({ calendarId: policy.calendar.id, atMs: now });
    const lifecycle = new RequestLifecycle(
      {
        ...ids,
        registration,
        policy: { ...policy, calendarVersionId: calendarRef.versionId },
        calendar: calendarRef,
        state: 'registered',
        registeredAtMs: now,
        priority: policy.priority,
        assignee: { agent: null, group: null },
        clocks: [
          startClock('first_response', policy.targets.firstResponse?.workingMs ?? null, now, policy.warnings),
          startClock('resolution', policy.targets.resolution?.workingMs ?? null, now, policy.warnings),
        ],
        resolvedAtMs: null,
        autoCloseAtMs: null,
        closedAtMs: null,
        reopenUntilMs: null,
        cancelReason: null,
        deferredNotices: [],
        revision: 0,
      },
      options,
    );
    await lifecycle.planRunningClocks();
    lifecycle.record('registered', registration.reporter ?? 'intake', {
      level: policy.level,
      calendar: calendarRef,
      dueAt: Object.fromEntries(lifecycle.r.clocks.map((c) => [c.kind, c.dueAtMs])),
    });
    return lifecycle;
  }

  // ---- plumbing ---------------------------------------------------------------------------

  /** Runs `fn` after every change started before it; Updates and alarms never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  record(type: string, actor: string, data?: Record<string, unknown>): void {
    this.r = { ...this.r, revision: this.r.revision + 1 };
    this.pending.push({ seq: this.r.revision, type, atMs: Date.now(), actor, data });
    this.changed = true;
  }

  /** Stamps the events recorded since the last persist with the API key that caused them (audit). */
  attribute(by: Actor | undefined): void {
    if (by) this.pending = this.pending.map((e) => (e.by ? e : { ...e, by }));
  }

  /** Projects the request and its new events to PostgreSQL, in order, and waits for it. */
  persist(): Promise<void> {
    const events = this.pending;
    this.pending = [];
    const snapshot = this.r;
    const update = { workflowId: workflowInfo().workflowId, snapshot, events };
    // Requests started before this change wrote through the task queue; their histories must replay.
    const write = patched(LOCAL_PROJECTION_PATCH) ? localTickets.recordTicketUpdate : tickets.recordTicketUpdate;
    this.writes = this.writes.then(() => write(update));
    return this.writes;
  }

  /** Everything written and delivered: safe to complete or continue-as-new. */
  async drain(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
    await this.persist();
  }

  assertAllowed(action: RequestAction): void {
    const refusal = refusalFor(action, this.r.state);
    if (refusal) throw ApplicationFailure.create({ message: refusal.reason, type: ILLEGAL_TRANSITION, nonRetryable: true, details: [{ state: this.r.state }] });
  }

  private setClock(index: number, clock: SlaClock): void {
    this.r = { ...this.r, clocks: this.r.clocks.map((c, i) => (i === index ? clock : c)) };
  }

  private clockIndex(kind: SlaClock['kind']): number {
    return this.r.clocks.findIndex((c) => c.kind === kind);
  }

  private setState(state: RequestState, extra: Partial<RequestSnapshot> = {}): void {
    this.r = { ...this.r, ...extra, state };
  }

  /** Working time the running segment of a clock has used until now. */
  private async segmentUsed(c: SlaClock, now: number): Promise<number> {
    if (c.runningSinceMs === null) return 0;
    return calendar.measureWorkingTime({ calendar: this.r.calendar, fromMs: c.runningSinceMs, toMs: now });
  }

  /** Due and warning instants for every running, regulated, unbreached clock. */
  private async planRunningClocks(): Promise<void> {
    for (let i = 0; i < this.r.clocks.length; i++) {
      const c = this.r.clocks[i]!;
      const budgets = planBudgets(c);
      if (!budgets) continue;
      const plan = await calendar.planClock({ calendar: this.r.calendar, fromMs: c.runningSinceMs!, ...budgets });
      this.setClock(i, applyPlan(c, plan));
    }
  }

  private async stop(kind: SlaClock['kind'], now: number): Promise<void> {
    const i = this.clockIndex(kind);
    const c = this.r.clocks[i]!;
    if (c.stoppedAtMs === null) this.setClock(i, stopClock(c, now, await this.segmentUsed(c, now)));
  }

  // ---- agent and customer actions (called from Update handlers, inside `exclusive`) --------

  async respond(visibility: 'public' | 'internal', author: string, body: string): Promise<void> {
    const now = Date.now();
    if (visibility === 'internal') {
      this.record('internal_note', author, { body });
      return;
    }
    await this.stop('first_response', now);
    if (this.r.state === 'registered') this.setState('in_progress');
    this.record('replied', author, { body });
  }

  async waitOnCustomer(author: string, note?: string): Promise<void> {
    const now = Date.now();
    const i = this.clockIndex('resolution');
    const c = this.r.clocks[i]!;
    this.setClock(i, pauseClock(c, now, await this.segmentUsed(c, now), 'waiting_on_customer'));
    this.setState('waiting_on_customer');
    this.record('waiting_on_customer', author, note ? { note } : undefined);
  }

  async customerReply(author: string, body: string): Promise<void> {
    if (this.r.state === 'resolved') {
      await this.reopen(author, 'customer replied');
      this.record('customer_replied', author, { body });
      return;
    }
    if (this.r.state === 'waiting_on_customer') {
      const i = this.clockIndex('resolution');
      this.setClock(i, resumeClock(this.r.clocks[i]!, Date.now()));
      await this.planRunningClocks();
      this.setState('in_progress');
    }
    this.record('customer_replied', author, { body });
  }

  async resolve(author: string, summary: string): Promise<void> {
    const now = Date.now();
    // The resolution is itself a public reply: it meets a still-running first-response clock.
    await this.stop('first_response', now);
    await this.stop('resolution', now);
    const autoCloseAtMs = await calendar.endOfWorkingDays({ calendar: this.r.calendar, fromMs: now, days: this.r.policy.autoCloseWorkingDays });
    this.setState('resolved', { resolvedAtMs: now, autoCloseAtMs });
    this.record('resolved', author, { summary, autoCloseAt: autoCloseAtMs });
  }

  close(author: string, automatic = false): void {
    const now = Date.now();
    this.setState('closed', { closedAtMs: now, autoCloseAtMs: null, reopenUntilMs: now + this.options.reopenWindowMs });
    this.record(automatic ? 'auto_closed' : 'closed', author);
  }

  async reopen(author: string, note?: string): Promise<void> {
    const now = Date.now();
    const i = this.clockIndex('resolution');
    this.setClock(i, reopenClock(this.r.clocks[i]!, now));
    await this.planRunningClocks();
    this.setState('in_progress', { resolvedAtMs: null, autoCloseAtMs: null, closedAtMs: null, reopenUntilMs: null });
    this.record('reopened', author, { reopenCount: this.r.clocks[i]!.reopenCount, ...(note ? { note } : {}) });
  }

  async cancel(author: string, reason: RequestSnapshot['cancelReason'], note?: string): Promise<void> {
    const now = Date.now();
    for (let i = 0; i < this.r.clocks.length; i++) {
      const c = this.r.clocks[i]!;
      this.setClock(i, cancelClock(c, now, await this.segmentUsed(c, now)));
    }
    this.setState('cancelled', { cancelReason: reason, deferredNotices: [] });
    this.record('cancelled', author, { reason, ...(note ? { note } : {}) });
  }

  assign(author: string, agent: string | null | undefined, group: string | null | undefined): void {
    const assignee = {
      agent: agent === undefined ? this.r.assignee.agent : agent,
      group: group === undefined ? this.r.assignee.group : group,
    };
    this.r = { ...this.r, assignee };
    this.record('assigned', author, assignee);
  }

  /**
   * A new priority. Where the pinned policy has per-priority targets, clocks that have not
   * stopped take the new targets and are re-planned; time already used stays used.
   */
  async setPriority(author: string, priority: Priority): Promise<void> {
    const from = this.r.priority;
    if (priority === from) return;
    const targets = this.r.policy.targetsByPriority?.[priority];
    if (targets) {
      const byKind = { first_response: targets.firstResponse, resolution: targets.resolution };
      for (let i = 0; i < this.r.clocks.length; i++) {
        const c = this.r.clocks[i]!;
        if (c.stoppedAtMs !== null || c.breachedAtMs !== null) continue;
        const targetMs = byKind[c.kind]?.workingMs ?? null;
        const warnings = targetMs === null ? [] : this.r.policy.warnings.map((fraction) => ({ fraction, atMs: null, firedAtMs: null }));
        this.setClock(i, { ...c, targetMs, dueAtMs: null, warnings });
      }
      await this.planRunningClocks();
    }
    this.r = { ...this.r, priority };
    this.record('priority_changed', author, { from, to: priority, retargeted: !!targets, dueAt: Object.fromEntries(this.r.clocks.map((c) => [c.kind, c.dueAtMs])) });
  }

  /** A calendar gained an exception: running clocks continue on the new version from now. */
  async replan(author: string, calendarVersionId: string): Promise<void> {
    if (calendarVersionId === this.r.calendar.versionId) return;
    const now = Date.now();
    const before = this.r.clocks.map((c) => c.dueAtMs);
    // Time already used stays measured on the old version; only the future is re-planned.
    for (let i = 0; i < this.r.clocks.length; i++) {
      const c = this.r.clocks[i]!;
      if (c.runningSinceMs === null) continue;
      const used = await this.segmentUsed(c, now);
      this.setClock(i, { ...c, usedBeforeMs: c.usedBeforeMs + used, runningSinceMs: now });
    }
    const from = this.r.calendar;
    this.r = { ...this.r, calendar: { id: from.id, versionId: calendarVersionId } };
    await this.planRunningClocks();
    this.record('deadlines_replanned', author, {
      fromVersion: from.versionId,
      toVersion: calendarVersionId,
      dueAt: Object.fromEntries(this.r.clocks.map((c, i) => [c.kind, { before: before[i], after: c.dueAtMs }])),
    });
  }

  // ---- alarms (called from the main loop, inside `exclusive`) ------------------------------

  async fire(alarm: Alarm): Promise<void> {
    const now = Date.now();
    switch (alarm.kind) {
      case 'warning': {
        this.setClock(alarm.clock, markWarningFired(this.r.clocks[alarm.clock]!, alarm.index, now));
        const c = this.r.clocks[alarm.clock]!;
        this.record('sla_warning', 'system', { clock: c.kind, fraction: c.warnings[alarm.index]!.fraction, dueAt: c.dueAtMs });
        await this.notifyRespectingQuietHours(warningNotice(this.r, alarm.clock, alarm.index, now));
        return;
      }
      case 'breach': {
        const c = this.r.clocks[alarm.clock]!;
        const ladder = this.r.policy.escalation;
        const escalationAt = await calendar.addWorkingTimes({ calendar: this.r.calendar, fromMs: c.dueAtMs!, budgetsMs: ladder.map((s) => s.afterBreachWorkingMs) });
        this.setClock(alarm.clock, markBreached(c, escalationAt));
        this.record('sla_breached', 'system', { clock: c.kind, dueAt: c.dueAtMs, firedAt: now });
        return;
      }
      case 'escalation': {
        this.setClock(alarm.clock, markEscalationFired(this.r.clocks[alarm.clock]!, alarm.step, now));
        const c = this.r.clocks[alarm.clock]!;
        this.record('escalated', 'system', { clock: c.kind, step: alarm.step, notify: this.r.policy.escalation[alarm.step]!.notify });
        this.notify(breachNotice(this.r, alarm.clock, alarm.step, now));
        return;
      }
      case 'auto_close':
        this.close('system', true);
        return;
      case 'reopen_window_end':
        this.r = { ...this.r, reopenUntilMs: null };
        this.record('reopen_window_ended', 'system');
        return;
      case 'deferred_notice': {
        // By key, not position: several may fall due at once and each firing shortens the list.
        const deferred = this.r.deferredNotices.find((d) => d.intent.idempotencyKey === alarm.key);
        if (!deferred) return;
        this.r = { ...this.r, deferredNotices: this.r.deferredNotices.filter((d) => d !== deferred) };
        this.notify(deferred.intent);
        return;
      }
    }
  }

  /** Warnings wait for each recipient's next working instant (breaches never wait). */
  private async notifyRespectingQuietHours(intent: NotificationIntent): Promise<void> {
    const recipients = await notifier.resolveRecipients({ roles: intent.roles ?? [], recipientIds: intent.recipientIds ?? [] });
    const now = Date.now();
    const immediate: string[] = [];
    const deferred: Array<{ atMs: number; intent: NotificationIntent }> = [];
    for (const recipient of recipients) {
      const atMs = recipient.quietCalendarId ? await calendar.nextWorkingInstant({ calendarId: recipient.quietCalendarId, atMs: now }) : now;
      if (atMs <= now) immediate.push(recipient.id);
      else deferred.push({ atMs, intent: { ...intent, idempotencyKey: `${intent.idempotencyKey}:quiet:${recipient.id}`, roles: [], recipientIds: [recipient.id], recipients: [] } });
    }
    if (deferred.length > 0) this.r = { ...this.r, deferredNotices: [...this.r.deferredNotices, ...deferred] };
    if (immediate.length > 0 || (intent.recipients ?? []).length > 0) this.notify({ ...intent, roles: [], recipientIds: immediate });
  }

  /**
   * Enqueues a notification in the outbox and delivers each row in the background, so the
   * request keeps moving while a webhook is down. A delivery that exhausts its retries is
   * recorded as failed (in the outbox and the timeline), never dropped silently.
   */
  private notify(intent: NotificationIntent): void {
    const run = (async () => {
      const ids = await notifier.enqueueNotifications([intent]);
      await Promise.all(
        ids.map(async (id) => {
          try {
            await delivery.deliverNotification(id);
          } catch (err) {
            const message = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
            await notifier.markNotificationFailed(id, message);
            await this.exclusive(async () => {
              this.record('notification_failed', 'system', { outboxId: id, subject: intent.subject, error: message });
              await this.persist();
            });
          }
        }),
      );
    })();
    this.deliveries.add(run);
    void run.finally(() => this.deliveries.delete(run));
  }
}
