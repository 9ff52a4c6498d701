import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import type { NotificationIntent } from '../domain/notification/intent';
import { answeringFrom, runAsking, sameAsk, type AnsweredAsk, type AskKind, type AskOf, type Asking } from '../domain/request/asks';
import type { RequestWrite } from '../activities/request-writes';
import { DEFAULT_RULES, notificationFailed, refusalOf, register, type LifecycleRules, type RequestCommand, type Transition } from '../domain/request/lifecycle';
import type { PinnedPolicy } from '../domain/policy/pinned';
import type { Registration } from '../domain/request/registration';
import type { Actor, RequestSnapshot, TimelineEvent } from '../domain/request/snapshot';
import { attributedTo } from '../domain/request/timeline';
import { delivery, firstDelivery, localTickets, notifier, tickets } from './activity-proxies';
import { answerAsk } from './answer-asks';
import { FIRST_DELIVERY_LOCAL_PATCH, LEAN_PROJECTION_PATCH, LOCAL_PROJECTION_PATCH, OUTBOX_WRITE_PATCH, type Patches } from './patches';
import { orderViolation } from '../domain/request/occurred-at';
import { plannedWriteDigest } from '../domain/request/planned-write';
import { ILLEGAL_TRANSITION, OCCURRED_OUT_OF_ORDER } from './messages';

export type LifecycleOptions = Partial<LifecycleRules>;

/**
 * A running request: its snapshot, and the plumbing around the state machine
 * (domain/request/lifecycle.ts): answer its asks, keep its events for the projection, deliver
 * its notifications. Changes are serialised (`exclusive`) because Update handlers and timers
 * interleave at every await.
 */
export class RequestLifecycle {
  /** Something changed since the main loop last planned its timer. */
  changed = false;
  private pending: TimelineEvent[] = [];
  /** Notifications of the pending events, enqueued by their write (OUTBOX_WRITE_PATCH). */
  private notices: NotificationIntent[] = [];
  /** The snapshot of this run's last projection write (its base for the next one). */
  private persisted: RequestSnapshot | undefined;
  /** Events of writes handed over (`handOver`), written again with the next own write. */
  private handed: TimelineEvent[] = [];
  /** The digest of the registration write handed to the API that planned it, until its `registered` Update takes it. */
  private plannedHandedOver: string | undefined;
  private writes: Promise<void> = Promise.resolve();
  private lock: Promise<unknown> = Promise.resolve();
  private readonly deliveries = new Set<Promise<void>>();
  readonly rules: LifecycleRules;

  constructor(
    public r: RequestSnapshot,
    /** Which behaviour changes this run takes (patches.ts). */
    readonly patched: Patches,
    options: LifecycleOptions = {},
  ) {
    this.rules = { ...DEFAULT_RULES, ...options };
  }

  /**
   * A new request registered at `at.atMs`: its clocks planned (with the answers given ahead
   * while they fit, else by activities), its first event pending.
   */
  static async register(
    ids: { requestId: string; requestKey: string },
    registration: Registration,
    policy: PinnedPolicy,
    patches: Patches,
    options: LifecycleOptions,
    at: { atMs: number; receivedAtMs?: number; answered?: AnsweredAsk[] },
  ): Promise<RequestLifecycle> {
    const answer = answeringFrom(at.answered ?? [], (q) => answerAsk(q, patches));
    const registered = await runAsking(register(ids, registration, policy, at.atMs, at.receivedAtMs), answer);
    const lifecycle = new RequestLifecycle(registered.snapshot, patches, options);
    lifecycle.take(registered);
    return lifecycle;
  }

  /** Runs `fn` after every change started before it; Updates and alarms never interleave. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.lock.then(fn);
    this.lock = run.catch(() => undefined);
    return run;
  }

  assertAllowed(command: RequestCommand): void {
    const refusal = refusalOf(this.r.state, command);
    if (refusal) throw ApplicationFailure.create({ message: refusal.reason, type: ILLEGAL_TRANSITION, nonRetryable: true, details: [{ state: this.r.state }] });
    const order = orderViolation(this.r, command);
    if (order) {
      throw ApplicationFailure.create({
        message: `occurredAt ${order.message}`,
        type: OCCURRED_OUT_OF_ORDER,
        nonRetryable: true,
        details: [{ state: this.r.state, previousEventAt: new Date(order.previousEventAtMs).toISOString(), errors: [{ field: 'occurredAt', rule: order.rule, message: order.message }] }],
      });
    }
  }

  /**
   * Answers a transition's asks, then takes its snapshot, keeps its events and sends its
   * notices. `answered`: asks answered ahead by the sender, taken while they match (a re-plan's).
   */
  async apply(transition: Asking<Transition>, answered: readonly AnsweredAsk[] = []): Promise<void> {
    const ask = <K extends AskKind>(q: AskOf<K>) => answerAsk(q, this.patched);
    // Without answers, no wrapper: every promise a workflow creates costs the SDK a stack trace.
    this.take(await runAsking(transition, answered.length > 0 ? answeringFrom(answered, ask, sameAsk) : ask));
  }

  /**
   * The write of what changed since the last one, handed to the Update's sender to commit
   * instead of run here (a re-plan's, REPLAN_AHEAD_PATCH): no local activity, no second
   * workflow task. Undefined when it must run here: notifications to enqueue and deliver, or a
   * run on older code. The handed events go again with this run's next own write (keyed: a no-op once
   * committed), so a sender that never commits delays them, never loses them.
   */
  handOver(): RequestWrite | undefined {
    if (!this.patched(OUTBOX_WRITE_PATCH) || this.notices.length > 0) return undefined;
    const { base, events } = this.unwritten();
    this.handed.push(...events);
    return this.writeOf(base, events, []);
  }

  /**
   * Registration's first write handed over to the API that planned it (REGISTRATION_HANDED_OVER_PATCH):
   * true when `plannedDigest` is the digest of the write this run would make now, and nothing
   * but the API may commit it (no notification to enqueue). Like {@link handOver}, its events
   * go again with the run's next own write.
   */
  handOverPlanned(plannedDigest: string): boolean {
    if (plannedWriteDigest(this.r, this.pending) !== plannedDigest || this.handOver() === undefined) return false;
    this.plannedHandedOver = plannedDigest;
    return true;
  }

  /** Whether the registration write was handed to the sender of `plannedDigest`: true once, for the API that planned it. */
  takePlannedHandOver(plannedDigest: string | undefined): boolean {
    const taken = plannedDigest !== undefined && plannedDigest === this.plannedHandedOver;
    if (taken) this.plannedHandedOver = undefined;
    return taken;
  }

  /**
   * Writes the request whole now if writes handed over may not be committed: a registration
   * retried by another sender, whose first sender may have died before committing.
   */
  writeHandedNow(): Promise<void> {
    if (this.handed.length === 0) return this.writes;
    this.persisted = undefined;
    return this.persist();
  }

  /** The last write's snapshot and the events since it, taken: the current snapshot is the next write's base. */
  private unwritten(): { base: RequestSnapshot | undefined; events: TimelineEvent[] } {
    const taken = { base: this.persisted, events: this.pending };
    this.pending = [];
    this.persisted = this.r;
    return taken;
  }

  private take({ snapshot, events, notices }: Transition): void {
    this.r = snapshot;
    this.pending.push(...events);
    if (events.length > 0) this.changed = true;
    for (const intent of notices) this.notify(intent);
  }

  /** Stamps the events recorded since the last persist with the API key that caused them (audit). */
  attribute(by: Actor | undefined): void {
    this.pending = attributedTo(this.pending, by);
  }

  /** Projects the request, its new events and their notifications to PostgreSQL, in order, and waits for it. */
  persist(): Promise<void> {
    const { base, events } = this.unwritten();
    if (this.patched(OUTBOX_WRITE_PATCH)) return this.write(base, events);
    const update = { workflowId: workflowInfo().workflowId, snapshot: this.r, events };
    // Requests started before this change wrote through the task queue; their histories must replay.
    if (!this.patched(LOCAL_PROJECTION_PATCH)) {
      this.writes = this.writes.then(() => tickets.recordTicketUpdate(update));
      return this.writes;
    }
    // After the first write of a run, only what changed (histories recorded before wrote the
    // whole snapshot every time, and still replay so). A run's first write (registration, or
    // the first after continue-as-new) is whole: it has no base.
    if (base && this.patched(LEAN_PROJECTION_PATCH)) {
      const changes = changedFields(base, this.r);
      // Nothing to write (e.g. a drain after the last write): no activity, no history.
      if (Object.keys(changes).length === 0 && events.length === 0) return this.writes;
      const change = { workflowId: update.workflowId, requestId: this.r.requestId, baseRevision: base.revision, revision: this.r.revision, changes, events };
      this.writes = this.writes.then(async () => {
        // The row is behind the base only if it was lost meanwhile: then write it whole.
        if (!(await localTickets.recordTicketChanges(change))) await localTickets.recordTicketUpdate(update);
      });
      return this.writes;
    }
    this.writes = this.writes.then(() => localTickets.recordTicketUpdate(update));
    return this.writes;
  }

  /**
   * The write of the request's current state: whole for a run's first write (it has no base),
   * else the fields changed since the last write. Deliveries of the notifications it enqueued
   * start once it is committed, in the background.
   */
  private write(base: RequestSnapshot | undefined, newEvents: TimelineEvent[]): Promise<void> {
    const notifications = this.notices;
    this.notices = [];
    // Events handed over before (handOver) go again: their sender may not have committed them.
    const events = [...this.handed, ...newEvents];
    this.handed = [];
    const write = this.writeOf(base, events, notifications);
    // Nothing to write (e.g. a drain after the last write): no activity, no history.
    if ('changes' in write.projection && Object.keys(write.projection.changes.changes).length === 0 && events.length === 0 && notifications.length === 0) return this.writes;
    const whole: RequestWrite = { ...write, projection: { whole: this.r } };
    this.writes = this.writes.then(async () => {
      let written = await localTickets.writeRequest(write);
      // The row is behind the base only if it was lost meanwhile (or a handed write is not committed yet): then write it whole.
      if (!written.applied) written = await localTickets.writeRequest(whole);
      const subjects = new Map(notifications.map((n) => [n.idempotencyKey, n.subject]));
      for (const row of written.outbox) this.track(this.deliver(row.id, subjects.get(row.intentKey) ?? row.intentKey));
    });
    return this.writes;
  }

  /** The write of the current snapshot: whole for a run's first write (it has no base), else the fields changed since `base`. */
  private writeOf(base: RequestSnapshot | undefined, events: TimelineEvent[], notifications: NotificationIntent[]): RequestWrite {
    const r = this.r;
    const workflowId = workflowInfo().workflowId;
    if (!base) return { workflowId, projection: { whole: r }, events, notifications };
    const changes = { requestId: r.requestId, baseRevision: base.revision, revision: r.revision, changes: changedFields(base, r) };
    return { workflowId, projection: { changes }, events, notifications };
  }

  /** Everything written and delivered: safe to complete or continue-as-new. */
  async drain(): Promise<void> {
    // A write may start deliveries (OUTBOX_WRITE_PATCH): wait for those too.
    do {
      while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
      await this.persist();
    } while (this.deliveries.size > 0);
  }

  /**
   * Enqueues a notification in the outbox (with the next write) and delivers each row in the
   * background, so the request keeps moving while a webhook is down. A delivery that exhausts
   * its retries is recorded as failed (in the outbox and the timeline), never dropped silently.
   */
  private notify(intent: NotificationIntent): void {
    if (this.patched(OUTBOX_WRITE_PATCH)) {
      this.notices.push(intent);
      return;
    }
    // Before OUTBOX_WRITE_PATCH: a scheduled activity of its own. (Not a separate local one: a
    // local enqueue completing in the same workflow task as the projection write resolved in
    // another order on replay than live. The patched write is one local activity instead.)
    const run = (async () => {
      const ids = await notifier.enqueueNotifications([intent]);
      await Promise.all(ids.map((id) => this.deliver(id, intent.subject)));
    })();
    this.track(run);
  }

  /** A delivery in the background: drained before the run completes or continues as new. */
  private track(run: Promise<void>): void {
    this.deliveries.add(run);
    void run.finally(() => this.deliveries.delete(run));
  }

  private async deliver(id: number, subject: string): Promise<void> {
    if (this.patched(FIRST_DELIVERY_LOCAL_PATCH)) {
      try {
        await firstDelivery.deliverNotification(id);
        return;
      } catch {
        // Down, slow, refused or leased elsewhere: the scheduled activity below retries (it
        // waits out this attempt's lease) or records a permanent refusal.
      }
    }
    try {
      await delivery.deliverNotification(id);
    } catch (err) {
      const error = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
      await notifier.markNotificationFailed(id, error);
      await this.exclusive(async () => {
        this.take(notificationFailed(this.r, { outboxId: id, subject, error }, Date.now()));
        await this.persist();
      });
    }
  }
}

/** The top-level fields of `next` that differ from `base` (compared as JSON, as they travel). */
export function changedFields(base: RequestSnapshot, next: RequestSnapshot): Partial<RequestSnapshot> {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(next) as Array<keyof RequestSnapshot>) {
    if (base[key] !== next[key] && JSON.stringify(base[key]) !== JSON.stringify(next[key])) changes[key] = next[key];
  }
  return changes as Partial<RequestSnapshot>;
}
