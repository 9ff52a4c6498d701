/**
 * The request's append-only timeline: what happened, when and by whom. The workflow records
 * these events, the projection stores them in `request_events.type`, and the API and metrics
 * read them back; every one of them names the types through this union.
 */
export const TIMELINE_EVENT_TYPES = [
  'registered',
  'replied',
  'internal_note',
  'waiting_on_customer',
  /** Handed to a third party (the developers, a vendor); pauses what the pinned terms say. */
  'waiting_on_third_party',
  /** An agent stopped waiting (on the customer or a third party): paused clocks run again. */
  'resumed',
  'customer_replied',
  'resolved',
  /** Waiting on the customer too long: the customer was reminded. */
  'customer_reminded',
  'closed',
  'auto_closed',
  'reopened',
  'reopen_window_ended',
  'cancelled',
  'assigned',
  'priority_changed',
  'deadlines_replanned',
  'sla_warning',
  /** A warning whose instant had passed before the request was registered (or the action recorded): never sent late. */
  'sla_warning_missed',
  'sla_breached',
  'escalated',
  'notification_failed',
  /** A warning went out at once because the recipient's quiet-hours calendar is unknown. */
  'quiet_hours_ignored',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

/** The API key that made an action, and its role then (audit; `actor` stays the human name given). */
export interface Actor {
  keyId: string;
  role: string;
}

/** One entry of the append-only timeline (seq is unique per request). */
export interface TimelineEvent {
  seq: number;
  type: TimelineEventType;
  atMs: number;
  actor?: string;
  /** The calling API key; absent for the workflow's own events (alarms, auto-close). */
  by?: Actor;
  data?: Record<string, unknown>;
}

/** The events, each stamped with the API key that caused it unless it names one already (audit). */
export function attributedTo(events: TimelineEvent[], by: Actor | undefined): TimelineEvent[] {
  return by ? events.map((e) => (e.by ? e : { ...e, by })) : events;
}
