import type { NotificationIntent } from '../notification/intent';
import type { DeferredNotice } from './snapshot';

/** When each directory recipient of a warning may be told: now, or the end of its quiet hours. */
export interface RecipientWindow {
  id: string;
  /** First working instant of the recipient's quiet-hours calendar; the warning's instant when none. */
  atMs: number;
}

/**
 * Splits a warning by its recipients' quiet hours: those who may be told now get one intent
 * (with the explicit contacts, who have no quiet hours), each of the others a deferred copy
 * keyed by recipient, sent when their quiet hours end. Breaches and escalations never wait.
 *
 * @example splitByQuietHours(warning, [{ id: 'duty', atMs: tomorrow9 }], now)
 * // { now: null, deferred: [{ atMs: tomorrow9, intent: { ...warning, idempotencyKey: '…:quiet:duty', recipientIds: ['duty'] } }] }
 */
export function splitByQuietHours(intent: NotificationIntent, windows: readonly RecipientWindow[], nowMs: number): { now: NotificationIntent | null; deferred: DeferredNotice[] } {
  const immediate: string[] = [];
  const deferred: DeferredNotice[] = [];
  for (const w of windows) {
    if (w.atMs <= nowMs) immediate.push(w.id);
    else deferred.push({ atMs: w.atMs, intent: { ...intent, idempotencyKey: `${intent.idempotencyKey}:quiet:${w.id}`, roles: [], recipientIds: [w.id], recipients: [] } });
  }
  const sendNow = immediate.length > 0 || (intent.recipients ?? []).length > 0;
  return { now: sendNow ? { ...intent, roles: [], recipientIds: immediate } : null, deferred };
}
