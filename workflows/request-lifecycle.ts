import { ApplicationFailure, patched, workflowInfo } from '@temporalio/workflow';
import type { NotificationIntent } from '../domain/notification/intent';
import { runAsking, type Asking } from '../domain/request/asks';
import { DEFAULT_RULES, notificationFailed, refusalOf, register, type LifecycleRules, type RequestCommand, type Transition } from '../domain/request/lifecycle';
import type { PinnedPolicy } from '../domain/policy/pinned';
import type { Registration } from '../domain/request/registration';
import type { Actor, RequestSnapshot, TimelineEvent } from '../domain/request/snapshot';
import { delivery, localTickets, notifier, tickets } from './activity-proxies';
import { answerAsk } from './answer-asks';
import { orderViolation } from '../domain/request/occurred-at';
import { ILLEGAL_TRANSITION, OCCURRED_OUT_OF_ORDER } from './messages';

/** Projection writes became local activities (2026-11-25); see `persist`. */
export const LOCAL_PROJECTION_PATCH = 'projection-via-local-activity';

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
  private writes: Promise<void> = Promise.resolve();
  private lock: Promise<unknown> = Promise.resolve();
  private readonly deliveries = new Set<Promise<void>>();
  readonly rules: LifecycleRules;

  constructor(
    public r: RequestSnapshot,
    options: LifecycleOptions = {},
  ) {
    this.rules = { ...DEFAULT_RULES, ...options };
  }

  /** A new request: registered, its clocks planned, its first event pending. */
  static async register(
    ids: { requestId: string; requestKey: string },
    registration: Registration,
    policy: PinnedPolicy,
    options: LifecycleOptions,
    receivedAtMs?: number,
  ): Promise<RequestLifecycle> {
    const registered = await runAsking(register(ids, registration, policy, Date.now(), receivedAtMs), answerAsk);
    const lifecycle = new RequestLifecycle(registered.snapshot, options);
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

  /** Answers a transition's asks, then takes its snapshot, keeps its events and sends its notices. */
  async apply(transition: Asking<Transition>): Promise<void> {
    this.take(await runAsking(transition, answerAsk));
  }

  private take({ snapshot, events, notices }: Transition): void {
    this.r = snapshot;
    this.pending.push(...events);
    if (events.length > 0) this.changed = true;
    for (const intent of notices) this.notify(intent);
  }

  /** Stamps the events recorded since the last persist with the API key that caused them (audit). */
  attribute(by: Actor | undefined): void {
    if (by) this.pending = this.pending.map((e) => (e.by ? e : { ...e, by }));
  }

  /** Projects the request and its new events to PostgreSQL, in order, and waits for it. */
  persist(): Promise<void> {
    const events = this.pending;
    this.pending = [];
    const update = { workflowId: workflowInfo().workflowId, snapshot: this.r, events };
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

  /**
   * Enqueues a notification in the outbox and delivers each row in the background, so the
   * request keeps moving while a webhook is down. A delivery that exhausts its retries is
   * recorded as failed (in the outbox and the timeline), never dropped silently.
   */
  private notify(intent: NotificationIntent): void {
    const run = (async () => {
      const ids = await notifier.enqueueNotifications([intent]);
      await Promise.all(ids.map((id) => this.deliver(id, intent.subject)));
    })();
    this.deliveries.add(run);
    void run.finally(() => this.deliveries.delete(run));
  }

  private async deliver(id: number, subject: string): Promise<void> {
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
