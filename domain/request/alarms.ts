import type { RequestSnapshot } from './snapshot';
import { isRunning } from './sla-clock';

/**
 * Everything a request waits for in time. The workflow sleeps on one Temporal timer until the
 * earliest alarm (or until something changes), fires every alarm that is due, and repeats.
 */
export type Alarm =
  | { kind: 'warning'; atMs: number; clock: number; index: number }
  | { kind: 'breach'; atMs: number; clock: number }
  | { kind: 'escalation'; atMs: number; clock: number; step: number }
  | { kind: 'auto_close'; atMs: number }
  | { kind: 'customer_reminder'; atMs: number }
  | { kind: 'auto_resolve'; atMs: number }
  | { kind: 'reopen_window_end'; atMs: number }
  | { kind: 'deferred_notice'; atMs: number; key: string };

/** All pending alarms, earliest first (ties in a stable order: warnings before breaches). */
export function pendingAlarms(r: RequestSnapshot): Alarm[] {
  const alarms: Alarm[] = [];
  r.clocks.forEach((c, clock) => {
    if (c.targetMs === null || c.cancelled) return;
    if (isRunning(c) && c.breachedAtMs === null) {
      c.warnings.forEach((w, index) => {
        if (w.atMs !== null && w.firedAtMs === null && w.missedAtMs === undefined && c.dueAtMs !== null && w.atMs < c.dueAtMs) {
          alarms.push({ kind: 'warning', atMs: w.atMs, clock, index });
        }
      });
      if (c.dueAtMs !== null) alarms.push({ kind: 'breach', atMs: c.dueAtMs, clock });
    }
    // Escalation continues while the target event has not happened.
    if (c.breachedAtMs !== null && c.stoppedAtMs === null) {
      for (const e of c.escalations) if (e.firedAtMs === null) alarms.push({ kind: 'escalation', atMs: e.atMs, clock, step: e.step });
    }
  });
  if (r.state === 'waiting_on_customer') {
    if (r.remindCustomerAtMs != null) alarms.push({ kind: 'customer_reminder', atMs: r.remindCustomerAtMs });
    if (r.autoResolveAtMs != null) alarms.push({ kind: 'auto_resolve', atMs: r.autoResolveAtMs });
  }
  if (r.state === 'resolved' && r.autoCloseAtMs !== null) alarms.push({ kind: 'auto_close', atMs: r.autoCloseAtMs });
  if (r.state === 'closed' && r.reopenUntilMs !== null) alarms.push({ kind: 'reopen_window_end', atMs: r.reopenUntilMs });
  for (const d of r.deferredNotices) alarms.push({ kind: 'deferred_notice', atMs: d.atMs, key: d.intent.idempotencyKey });
  const order: Record<Alarm['kind'], number> = { warning: 0, breach: 1, escalation: 2, deferred_notice: 3, customer_reminder: 4, auto_resolve: 5, auto_close: 6, reopen_window_end: 7 };
  return alarms.sort((a, b) => a.atMs - b.atMs || order[a.kind] - order[b.kind]);
}
