import type { Calendar } from '../../domain/calendar';
import { allowedActions } from '../../domain/request/allowed-actions';
import { viewClock, type ClockView } from '../../domain/request/clock-view';
import { receivedAtOf, type RequestSnapshot } from '../../domain/request/snapshot';
import { lifecycleTermsOf } from '../../domain/policy/pinned-lifecycle';
import type { EventRow } from '../../db/queries/requests';
import { hours as hoursOf } from '../../domain/time-units';
import { isoIn as isoAt } from '../../services/calendars/format';


/** Instants as ISO-8601 with the calendar's offset: what the people on that schedule read. */
export const isoIn = (zone: string) => (ms: number | null | undefined) => (ms == null ? null : isoAt(ms, zone));

const hours = (ms: number | null) => (ms === null ? null : hoursOf(ms));

export function presentClock(v: ClockView, iso: ReturnType<typeof isoIn>) {
  return {
    kind: v.kind,
    status: v.status,
    running: v.running,
    targetHours: hours(v.targetMs),
    dueAt: iso(v.dueAtMs),
    usedHours: hours(v.usedMs),
    remainingHours: hours(v.remainingMs),
    overdueHours: hours(v.overdueMs),
    metAt: iso(v.metAtMs),
    breachedAt: iso(v.breachedAtMs),
    warnings: v.warnings.map((w) => ({ fraction: w.fraction, at: iso(w.atMs), firedAt: iso(w.firedAtMs), missedAt: iso(w.missedAtMs ?? null) })),
    escalations: v.escalations.map((e) => ({ step: e.step, at: iso(e.atMs), firedAt: iso(e.firedAtMs) })),
    pauses: v.pauses.map((p) => ({ from: iso(p.fromMs), to: iso(p.toMs), reason: p.reason })),
    reopenCount: v.reopenCount,
    extrapolated: v.extrapolated,
  };
}

/** A request with every clock measured at `nowMs` on its pinned calendar. */
export function presentRequest(s: RequestSnapshot, cal: Calendar, nowMs: number, links: { temporalUi?: string } = {}) {
  const iso = isoIn(cal.timezone);
  const p = s.policy;
  return {
    id: s.requestId,
    state: s.state,
    level: p.level,
    levelName: p.levelName,
    ...s.registration,
    priority: s.priority,
    registeredAt: iso(s.registeredAtMs),
    receivedAt: iso(receivedAtOf(s)),
    assignee: s.assignee,
    clocks: s.clocks.map((c) => presentClock(viewClock(c, cal, nowMs), iso)),
    resolvedAt: iso(s.resolvedAtMs),
    autoCloseAt: iso(s.autoCloseAtMs),
    // While waiting on the customer: when they are reminded, and when the request resolves itself.
    remindCustomerAt: s.state === 'waiting_on_customer' ? iso(s.remindCustomerAtMs ?? null) : null,
    autoResolveAt: s.state === 'waiting_on_customer' ? iso(s.autoResolveAtMs ?? null) : null,
    closedAt: iso(s.closedAtMs),
    reopenUntil: iso(s.reopenUntilMs),
    cancelReason: s.cancelReason,
    // What the request accepts now (the state machine's answer): offer only these.
    allowedActions: allowedActions(s, nowMs),
    policy: {
      level: p.level,
      catalogueVersion: p.catalogueVersion,
      contractId: p.contractId ?? null,
      officeId: p.officeId ?? null,
      calendar: { id: s.calendar.id, versionId: s.calendar.versionId, timezone: cal.timezone },
      targets: { firstResponseHours: hours(p.targets.firstResponse?.workingMs ?? null), resolutionHours: hours(p.targets.resolution?.workingMs ?? null) },
      warnings: p.warnings,
      escalation: p.escalation.map((e) => ({ afterBreachHours: hours(e.afterBreachWorkingMs), notify: e.notify })),
      autoCloseWorkingDays: p.autoCloseWorkingDays,
      lifecycle: lifecycleTermsOf(p),
      channels: p.channels,
      services: p.services,
      reasons: p.reasons,
      whoMayAsk: p.whoMayAsk ?? 'anyone',
      reporter: p.reporter ?? null,
      notGranted: p.notGranted ?? [],
    },
    links: {
      self: `/v1/requests/${s.requestId}`,
      events: `/v1/requests/${s.requestId}/events`,
      ...(links.temporalUi ? { temporalUi: links.temporalUi } : {}),
    },
    revision: s.revision,
  };
}

/** The API key that made a recorded action (absent for the workflow's own events and older rows). */
export function eventBy(e: EventRow): { keyId: string; role: string | null } | undefined {
  return e.actor_key_id ? { keyId: e.actor_key_id, role: e.actor_role ?? null } : undefined;
}

export function presentEvent(e: EventRow, iso: ReturnType<typeof isoIn>) {
  return { seq: e.seq, type: e.type, at: iso(e.occurred_at.getTime()), actor: e.actor ?? undefined, by: eventBy(e), data: e.data };
}
