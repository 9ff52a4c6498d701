/**
 * Instants given by intake and agents for what happened before they told us: a request's
 * receipt (`receivedAt`) and an action's `occurredAt`. Pure: the API checks the bounds against
 * its clock, the workflow checks the order against the request's history.
 */
import { DAY_MS, MINUTE_MS } from '../time-units';
import type { RequestCommand } from './lifecycle';
import { lastEventAtOf, type RequestSnapshot } from './snapshot';

export interface InstantBounds {
  /** How far ahead of the server clock an instant may be (the sender's clock runs fast). */
  maxSkewMs: number;
  /** How far back an instant may be (older history is migrated, not registered). */
  maxAgeMs: number;
}

export const DEFAULT_INSTANT_BOUNDS: InstantBounds = { maxSkewMs: 2 * MINUTE_MS, maxAgeMs: 30 * DAY_MS };

export interface InstantViolation {
  rule: 'in-the-future' | 'too-old' | 'before-previous-event';
  message: string;
}

/** Null when `atMs` is within the bounds around `nowMs`, else the rule it breaks. */
export function instantBoundsViolation(atMs: number, nowMs: number, bounds: InstantBounds): InstantViolation | null {
  if (atMs > nowMs + bounds.maxSkewMs) {
    return { rule: 'in-the-future', message: `must not be more than ${Math.round(bounds.maxSkewMs / 1000)} s ahead of the server clock (${new Date(nowMs).toISOString()})` };
  }
  if (atMs < nowMs - bounds.maxAgeMs) {
    return { rule: 'too-old', message: `must not be more than ${Math.round(bounds.maxAgeMs / DAY_MS)} days in the past` };
  }
  return null;
}

/** The instant a command says it happened, if it says one. */
export function occurredAtOf(command: RequestCommand): number | undefined {
  const given = (command as { occurredAt?: unknown }).occurredAt;
  return typeof given === 'string' ? Date.parse(given) : undefined;
}

/**
 * When a command takes effect: its `occurredAt`, never later than now (an instant within the
 * allowed clock skew ahead is taken as now: clocks never start in the future).
 */
export function effectiveAt(command: RequestCommand, nowMs: number): number {
  return Math.min(occurredAtOf(command) ?? nowMs, nowMs);
}

/** Null when the command's `occurredAt` (if any) is not before the request's previous event. */
export function orderViolation(r: RequestSnapshot, command: RequestCommand): (InstantViolation & { previousEventAtMs: number }) | null {
  const at = occurredAtOf(command);
  if (at === undefined) return null;
  const previous = lastEventAtOf(r);
  if (at >= previous) return null;
  return {
    rule: 'before-previous-event',
    message: `must not be before the request's previous event (${new Date(previous).toISOString()})`,
    previousEventAtMs: previous,
  };
}
