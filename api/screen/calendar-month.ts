/** A month of a calendar as the month view draws it: each day's kind and working intervals. */
import { DateTime } from 'luxon';
import type { Calendar, DayKind } from '../../domain/calendar';
import { DAY_MS } from '../../domain/calendar';

export interface MonthDay {
  date: string;
  weekday: number;
  kind: DayKind;
  workingMinutes: number;
  intervals: [string, string][];
  extrapolated: boolean;
  versionId: string | null;
}

/** `calendarOn(startMs)` picks the calendar version in force on a day (by its local noon). */
export function monthOf(month: string, zone: string, calendarOn: (ms: number) => Calendar): MonthDay[] {
  const first = DateTime.fromISO(`${month}-01`, { zone });
  const days: MonthDay[] = [];
  for (let d = first; d.month === first.month; d = d.plus({ days: 1 })) {
    const cal = calendarOn(d.set({ hour: 12 }).toMillis());
    const dayNumber = Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;
    const plan = cal.days.plan(dayNumber);
    const hhmm = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
    days.push({
      date: d.toISODate()!,
      weekday: d.weekday,
      kind: plan.kind,
      workingMinutes: Math.round(plan.workingMs / 60_000),
      intervals: plan.starts.map((s, i) => [hhmm(s), plan.ends[i] === plan.endMs ? '24:00' : hhmm(plan.ends[i] as number)]),
      extrapolated: plan.extrapolated,
      versionId: cal.versionId ?? null,
    });
  }
  return days;
}
