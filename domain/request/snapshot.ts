import type { NotificationIntent } from '../notification/intent';
import type { CalendarVersionRef } from '../calendar/versions';
import type { PinnedPolicy } from '../policy/pinned';
import type { Priority } from '../policy/vocabulary';
import type { CancelReason } from './actions';
import type { Registration } from './registration';
import type { SlaClock } from './sla-clock';

/** Lifecycle states of a support request. */
export const REQUEST_STATES = ['registered', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'cancelled'] as const;
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
  priority: Priority;
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
  deferredNotices: DeferredNotice[];
  /** Increases with every change; the projection never goes backwards. */
  revision: number;
}
