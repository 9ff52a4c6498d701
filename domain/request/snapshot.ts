import type { NotificationIntent } from '../notification/intent';
import type { CalendarVersionRef } from '../calendar/versions';
import type { PinnedPolicy } from '../policy/pinned';
import type { Priority } from '../policy/vocabulary';
import type { CancelReason } from './actions';
import type { Registration } from './registration';
import type { SlaClock } from './sla-clock';

/** Lifecycle states of a support request. */
export const REQUEST_STATES = ['registered', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party', 'resolved', 'closed', 'cancelled'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export type { CancelReason } from './actions';

export type { Actor, TimelineEvent, TimelineEventType } from './timeline';

/** A warning held back by a recipient's quiet hours, sent at `atMs`. */
export interface DeferredNotice {
  atMs: number;
  intent: NotificationIntent;
}

/**
 * A request as its workflow keeps it: everything needed to show it, project it into
 * PostgreSQL, and carry it across continue-as-new. Plain JSON; instants are epoch ms.
 */
export interface RequestSnapshot {
  requestId: string;
  requestKey: string;
  registration: Registration;
  /** Terms frozen at registration (level, calendar, targets, alerting). */
  policy: PinnedPolicy;
  /** The calendar version the clocks currently run on (changes only by a deliberate re-plan). */
  calendar: CalendarVersionRef;
  state: RequestState;
  registeredAtMs: number;
  /**
   * When the request reached the desk (intake's `receivedAt`): every clock starts here. Equal
   * to `registeredAtMs` unless intake gave an earlier one; absent on snapshots of older runs
   * (read it with `receivedAtOf`).
   */
  receivedAtMs?: number;
  /**
   * The latest instant of the request's history: an action carrying `occurredAt` may not go
   * before it. Absent on snapshots of older runs (read it with `lastEventAtOf`).
   */
  lastEventAtMs?: number;
  priority: Priority;
  assignee: { agent: string | null; group: string | null };
  clocks: SlaClock[];
  resolvedAtMs: number | null;
  /** When a resolved request closes itself unless reopened. */
  autoCloseAtMs: number | null;
  closedAtMs: number | null;
  /**
   * While waiting on the customer: when the customer is reminded, and when the request resolves
   * itself without a reply (pinned terms; absent or null: never). Only read in that state.
   */
  remindCustomerAtMs?: number | null;
  autoResolveAtMs?: number | null;
  /** Until when a closed request can still be reopened (then its workflow completes). */
  reopenUntilMs: number | null;
  cancelReason: CancelReason | null;
  /** Warnings held back by a recipient's quiet hours, sent at `atMs`. */
  deferredNotices: DeferredNotice[];
  /** Increases with every change; the projection never goes backwards. */
  revision: number;
}

/** Where the request's clocks started (its registration, unless intake gave an earlier receipt). */
export function receivedAtOf(r: RequestSnapshot): number {
  return r.receivedAtMs ?? r.registeredAtMs;
}

/**
 * The latest instant the request's history holds. Snapshots carried from runs before
 * `lastEventAtMs` existed derive it from the instants they do keep.
 */
export function lastEventAtOf(r: RequestSnapshot): number {
  if (r.lastEventAtMs !== undefined) return r.lastEventAtMs;
  const instants = [r.registeredAtMs, r.resolvedAtMs, r.closedAtMs];
  for (const c of r.clocks) {
    instants.push(c.metAtMs, c.stoppedAtMs, c.runningSinceMs, c.breachedAtMs);
    for (const p of c.pauses) instants.push(p.fromMs, p.toMs);
    for (const w of c.warnings) instants.push(w.firedAtMs);
    for (const e of c.escalations) instants.push(e.firedAtMs);
  }
  return Math.max(...instants.filter((t): t is number => typeof t === 'number'));
}
