import type { Registration } from './registration';

/** Lifecycle states of a support request. */
export type RequestState = 'registered' | 'in_progress' | 'waiting_on_customer' | 'resolved' | 'closed' | 'cancelled';

export type ClockKind = 'first_response' | 'resolution';

/**
 * One SLA clock as the workflow sees it. Instants are epoch milliseconds; durations are working
 * milliseconds on the request's pinned calendar.
 */
export interface ClockView {
  kind: ClockKind;
  status: 'running' | 'paused' | 'met' | 'breached' | 'not_regulated';
  /** Working time allowed; null when the level does not regulate this clock. */
  targetMs: number | null;
  dueAtMs: number | null;
  usedMs: number;
  remainingMs: number | null;
  metAtMs: number | null;
  breachedAtMs: number | null;
}

/** One entry of the append-only timeline (seq is unique per request). */
export interface TimelineEvent {
  seq: number;
  type: string;
  atMs: number;
  actor?: string;
  data?: Record<string, unknown>;
}

/** The state a request's workflow reports and projects into PostgreSQL. */
export interface RequestSnapshot {
  requestId: string;
  requestKey: string;
  state: RequestState;
  registration: Registration;
  registeredAtMs: number;
  clocks: ClockView[];
  /** Increases with every change; the projection never goes backwards. */
  revision: number;
}
