/**
 * What the board and the request page show of a request's clocks: every clock measured now on
 * its pinned calendar, and where "now" sits in the calendar's working time. The browser ticks
 * the working time remaining down only while `window.working`, and only until
 * `window.untilMs`, then asks again: a working-hours countdown must not move at night.
 */
import { workingWindowAt, type Calendar } from '../../domain/calendar';
import { viewClock } from '../../domain/request/clock-view';
import { isSettled } from '../../domain/request/sla-clock';
import type { BoardRow } from '../../db/queries/board';
import type { CalendarRegistry } from '../../services/calendar-registry';
import { isoIn } from '../requests/present';

export function presentBoardItem(r: BoardRow, cal: Calendar | undefined, nowMs: number) {
  const zone = cal?.timezone ?? 'UTC';
  const at = isoIn(zone);
  const window = cal ? workingWindowAt(cal, nowMs) : null;
  return {
    id: r.id,
    state: r.state,
    level: r.level,
    customerId: r.customer_id,
    officeId: r.office_id,
    subject: r.subject,
    priority: r.priority,
    assignee: { agent: r.assignee, group: r.assignee_group },
    externalRef: r.external_ref,
    registeredAt: at(r.registered_at.getTime()),
    nextDueAt: at(r.next_due_at?.getTime()),
    breached: r.breached,
    atRisk: r.at_risk,
    calendar: { id: r.calendar_id, versionId: r.calendar_version_id, timezone: zone },
    /** Working time now? Until when (end of this working interval, or when work resumes). */
    window: window ? { working: window.working, until: at(window.untilMs), untilMs: window.untilMs } : null,
    clocks: cal
      ? r.clocks.map((c) => {
          const v = viewClock(c, cal, nowMs);
          // Sent or missed (its instant passed before the request was registered): at risk either
          // way, as the request's own at_risk column says.
          const firstWarning = v.warnings.find(isSettled);
          return {
            kind: v.kind,
            status: v.status,
            running: v.running,
            targetMs: v.targetMs,
            dueAt: at(v.dueAtMs),
            dueAtMs: v.dueAtMs,
            usedMs: v.usedMs,
            remainingMs: v.remainingMs,
            overdueMs: v.overdueMs,
            breachedAt: at(v.breachedAtMs),
            metAt: at(v.metAtMs),
            atRisk: v.status === 'running' && firstWarning !== undefined,
          };
        })
      : [],
  };
}

/** Board items with their calendars resolved once per calendar version. */
export async function presentBoard(rows: readonly BoardRow[], calendars: CalendarRegistry, nowMs: number) {
  const cals = new Map<string, Calendar | undefined>();
  await Promise.all(
    [...new Set(rows.map((r) => `${r.calendar_id}\u0000${r.calendar_version_id}`))].map(async (key) => {
      const [id, versionId] = key.split('\u0000') as [string, string];
      cals.set(key, await calendars.resolve(id, { versionId }).catch(() => undefined));
    }),
  );
  return rows.map((r) => presentBoardItem(r, cals.get(`${r.calendar_id}\u0000${r.calendar_version_id}`), nowMs));
}
