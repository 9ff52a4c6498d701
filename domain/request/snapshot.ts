import type { NotificationIntent } from '../../notifications/types';
import type { PinnedPolicy } from '../policy/pinned';
import type { Registration } from './registration';
import type { SlaClock } from './sla-clock';

/** Lifecycle states of a support request. */
export const REQUEST_STATES = ['registered', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'cancelled'] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export type CancelReason = 'duplicate' | 'spam' | 'withdrawn';

/** The API key that made an action, and its role then (audit; `actor` stays the human name given). */
export interface Actor {
  keyId: string;
  role: string;
}

/** One entry of the append-only timeline (seq is unique per request). */
export interface TimelineEvent {
  seq: number;
  type: string;
  atMs: number;
  actor?: string;
  /** The calling API key; absent for the workflow's own events (alarms, auto-close). */
  by?: Actor;
  data?: Record<string, unknown>;
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
  calendar: { id: string; versionId: string };
  state: RequestState;
  registeredAtMs: number;
  priority: string;
  assignee: { agent: string | null; group: string | null };
  clocks: SlaClock[];
  resolvedAtMs: number | null;
  /** When a resolved request closes itself unless reopened. */
  autoCloseAtMs: number | null;
  closedAtMs: number | null;
  /** Until when a closed request can still be reopened (then its workflow completes). */
  reopenUntilMs: number | null;
  cancelReason: CancelReason | null;
  /** Warnings held back by a recipient's quiet hours, sent at `atMs`. */
  deferredNotices: Array<{ atMs: number; intent: NotificationIntent }>;
  /** Increases with every change; the projection never goes backwards. */
  revision: number;
}
