// A request's business timeline in words: what happened to the request (registered, replied,
// warned, breached, escalated, notified…), in the reader's language. The workflow's Temporal
// events (timers, updates, activities) are for whoever debugs the workflow: the page shows them
// only on request. Pure apart from i18n: unit tests import it.
import { formatInstant, t } from './i18n.js';

/** The translated word for a value, or the value itself when the screen has no word for it. */
export const word = (prefix, v) => {
  const key = `${prefix}.${v}`;
  const s = t(key);
  return s === key ? String(v) : s;
};
/** Instants in event data are epoch ms (the workflow's own values); shown in the calendar's zone. */
const instant = (ms, zone) => (typeof ms === 'number' ? formatInstant(new Date(ms).toISOString(), zone) : typeof ms === 'string' ? formatInstant(ms, zone) : null);
const clockName = (kind) => (typeof kind === 'string' ? word('clock', kind) : '');
const pct = (f) => (typeof f === 'number' ? `${Math.round(f * 100)} %` : '');
const text = (v) => (typeof v === 'string' && v.trim() !== '' ? v : null);
const list = (v) => [].concat(v ?? []).filter((x) => typeof x === 'string').join(', ');

const CLOCK_ORDER = ['first_response', 'next_reply', 'resolution'];

/** "First response due …; resolution due …" for a `dueAt` map of clock kind → instant. */
function dues(dueAt, zone) {
  if (!dueAt || typeof dueAt !== 'object') return null;
  const parts = Object.entries(dueAt)
    .filter(([, ms]) => typeof ms === 'number')
    .sort(([a], [b]) => CLOCK_ORDER.indexOf(a) - CLOCK_ORDER.indexOf(b))
    .map(([kind, ms]) => t('tl.due', { clock: clockName(kind), t: instant(ms, zone) }));
  return parts.length ? parts.join('; ') : null;
}

/**
 * A domain event as `{ title, detail, tone }`: the title says what happened, the detail the
 * words that go with it (the reply's text, the note, the deadlines). `tone` marks warnings and
 * breaches so they stand out (with words too, never colour alone).
 */
export function describeEvent(e, zone) {
  const d = e.data && typeof e.data === 'object' ? e.data : {};
  const lines = (...xs) => xs.filter((x) => x != null && x !== '').join(' · ') || null;
  switch (e.type) {
    case 'registered':
      return { title: t('tl.registered', { level: d.level ? word('level', d.level) : '' }), detail: lines(d.receivedAt ? t('tl.receivedAt', { t: instant(d.receivedAt, zone) }) : null, dues(d.dueAt, zone)) };
    case 'replied':
      return { title: t('tl.replied'), detail: text(d.body) };
    case 'internal_note':
      return { title: t('tl.internal_note'), detail: text(d.body) };
    case 'waiting_on_customer':
      return {
        title: t('tl.waiting_on_customer'),
        detail: lines(text(d.note), d.remindAt ? t('tl.remindAt', { t: instant(d.remindAt, zone) }) : null, d.autoResolveAt ? t('tl.autoResolveAt', { t: instant(d.autoResolveAt, zone) }) : null),
      };
    case 'waiting_on_third_party':
      return { title: text(d.party) ? t('tl.waiting_on_party', { party: d.party }) : t('tl.waiting_on_third_party'), detail: lines(text(d.note), Array.isArray(d.paused) && d.paused.length ? t('tl.paused', { clocks: d.paused.map(clockName).join(', ') }) : null) };
    case 'resumed':
      return { title: t('tl.resumed'), detail: text(d.note) };
    case 'customer_replied':
      return { title: d.afterResolution ? t('tl.customer_replied_after') : t('tl.customer_replied'), detail: text(d.body) };
    case 'resolved':
      return { title: d.automatic ? t('tl.resolved_auto') : t('tl.resolved'), detail: lines(text(d.summary), d.autoCloseAt ? t('tl.autoCloseAt', { t: instant(d.autoCloseAt, zone) }) : null) };
    case 'customer_reminded':
      return { title: t('tl.customer_reminded'), detail: d.waitingSince ? t('tl.waitingSince', { t: instant(d.waitingSince, zone) }) : null };
    case 'closed':
      return { title: t('tl.closed'), detail: null };
    case 'auto_closed':
      return { title: t('tl.auto_closed'), detail: null };
    case 'reopened':
      return { title: t('tl.reopened'), detail: lines(text(d.note), typeof d.reopenCount === 'number' ? t('tl.reopenCount', { n: d.reopenCount }) : null) };
    case 'reopen_window_ended':
      return { title: t('tl.reopen_window_ended'), detail: null };
    case 'cancelled':
      return { title: t('tl.cancelled', { reason: d.reason ? word('cancel', d.reason) : '' }), detail: text(d.note) };
    case 'assigned':
      return { title: t('tl.assigned', { who: [d.agent, d.group && t('tl.group', { group: d.group })].filter(Boolean).join(', ') || t('unassigned') }), detail: null };
    case 'priority_changed':
      return { title: t('tl.priority_changed', { from: d.from ? word('priority', d.from) : '', to: d.to ? word('priority', d.to) : '' }), detail: d.retargeted ? dues(d.dueAt, zone) : null };
    case 'deadlines_replanned': {
      const after = d.dueAt && typeof d.dueAt === 'object' ? Object.fromEntries(Object.entries(d.dueAt).map(([k, v]) => [k, v?.after])) : null;
      return { title: t('tl.deadlines_replanned'), detail: dues(after, zone) };
    }
    case 'sla_warning':
      return { title: t('tl.sla_warning', { clock: clockName(d.clock), pct: pct(d.fraction) }), detail: d.dueAt ? t('tl.dueAt', { t: instant(d.dueAt, zone) }) : null, tone: 'risk' };
    case 'sla_warning_missed':
      return { title: t('tl.sla_warning_missed', { clock: clockName(d.clock), pct: pct(d.fraction) }), detail: d.dueAt ? t('tl.dueAt', { t: instant(d.dueAt, zone) }) : null, tone: 'risk' };
    case 'sla_breached':
      return { title: t('tl.sla_breached', { clock: clockName(d.clock) }), detail: d.dueAt ? t('tl.wasDue', { t: instant(d.dueAt, zone) }) : null, tone: 'breached' };
    case 'escalated':
      return { title: t('tl.escalated', { clock: clockName(d.clock), step: typeof d.step === 'number' ? d.step + 1 : '' }), detail: list(d.notify) ? t('tl.notify', { who: list(d.notify) }) : null, tone: 'breached' };
    case 'notification_failed':
      return { title: t('tl.notification_failed'), detail: lines(text(d.subject), text(d.error)), tone: 'breached' };
    case 'quiet_hours_ignored':
      return { title: t('tl.quiet_hours_ignored', { recipient: d.recipient ?? '' }), detail: text(d.reason) };
    default:
      return { title: String(e.type), detail: null };
  }
}

/** A notification of the request (the outbox), as a timeline line: to whom, how, and whether it arrived. */
export function describeNotification(n) {
  return {
    title: t('tl.notified', { who: n.recipient ?? t('none'), channel: word('channel', n.channel) }),
    detail: [n.subject, word('delivery', n.status) + (n.lastError ? ` (${n.lastError})` : '')].filter(Boolean).join(' · '),
    tone: n.status === 'failed' ? 'breached' : undefined,
  };
}
