import { ApplicationFailure } from '@temporalio/common';
import { DateTime } from 'luxon';
import { addWorkingTime, explainWorkingTime, nextWorkingInstant, workingTimeBetween, type Calendar, type CalendarVersionRef } from '../domain/calendar';
import { UnknownCalendarError, type CalendarRegistry } from '../services/calendar-registry';


export interface PlanInput {
  calendar: CalendarVersionRef;
  /** Start of the running segment. */
  fromMs: number;
  /** Working budget to the due instant, and to each warning (null: nothing to plan). */
  dueBudgetMs: number;
  warningBudgetsMs: Array<number | null>;
}

/**
 * Calendar arithmetic for workflows, run as LOCAL activities: their results are recorded in
 * workflow history as markers, so a replay never recomputes them and never changes when the
 * calendar data or the time-zone database change later.
 */
export function createCalendarActivities(registry: CalendarRegistry) {
  async function calendar(ref: CalendarVersionRef): Promise<Calendar> {
    try {
      return await registry.resolve(ref.id, { versionId: ref.versionId });
    } catch (err) {
      // A missing calendar will not appear by retrying; the workflow surfaces it.
      if (err instanceof UnknownCalendarError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownCalendar');
      throw err;
    }
  }

  return {
    /** The version of a calendar in force at an instant (pinned at registration and re-plans). */
    async calendarVersionAt(input: { calendarId: string; atMs: number }): Promise<CalendarVersionRef> {
      try {
        const cal = await registry.resolve(input.calendarId, { atMs: input.atMs });
        return { id: input.calendarId, versionId: cal.versionId ?? '1' };
      } catch (err) {
        if (err instanceof UnknownCalendarError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownCalendar');
        throw err;
      }
    },

    /** Due instant and warning instants of a clock running from `fromMs`. */
    async planClock(input: PlanInput): Promise<{ dueAtMs: number; warnAtMs: Array<number | null>; extrapolated: boolean }> {
      const cal = await calendar(input.calendar);
      const due = addWorkingTime(cal, input.fromMs, input.dueBudgetMs);
      const warnAtMs = input.warningBudgetsMs.map((b) => (b === null ? null : addWorkingTime(cal, input.fromMs, b).dueMs));
      return { dueAtMs: due.dueMs, warnAtMs, extrapolated: due.extrapolated };
    },

    /** Working ms in [fromMs, toMs). */
    async measureWorkingTime(input: { calendar: CalendarVersionRef; fromMs: number; toMs: number }): Promise<number> {
      return workingTimeBetween(await calendar(input.calendar), input.fromMs, input.toMs).workingMs;
    },

    /** Instants `fromMs + b` working ms, for each budget (escalation steps). */
    async addWorkingTimes(input: { calendar: CalendarVersionRef; fromMs: number; budgetsMs: number[] }): Promise<number[]> {
      const cal = await calendar(input.calendar);
      return input.budgetsMs.map((b) => addWorkingTime(cal, input.fromMs, b).dueMs);
    },

    /**
     * The end of the `days`-th working day after the day containing `fromMs`: a request
     * resolved on a Monday with 5 days closes at the end of the next Monday's working hours.
     */
    async endOfWorkingDays(input: { calendar: CalendarVersionRef; fromMs: number; days: number }): Promise<number> {
      const cal = await calendar(input.calendar);
      const today = DateTime.fromMillis(input.fromMs, { zone: cal.timezone }).toISODate();
      // A working day has at most 24 working hours, so this budget spans days + 1 working days.
      const { intervals } = explainWorkingTime(cal, input.fromMs, (input.days + 1) * 24 * 3_600_000);
      const later = intervals.filter((i) => i.date !== today);
      const dates = [...new Set(later.map((i) => i.date))];
      const target = dates[input.days - 1];
      const last = later.filter((i) => i.date === target).at(-1);
      if (!last) throw ApplicationFailure.nonRetryable(`calendar ${cal.id} has no ${input.days} working days after ${today}`, 'CalendarExhausted');
      return last.endMs;
    },

    /** First working instant of a calendar at or after `atMs` (recipients' quiet hours). */
    async nextWorkingInstant(input: { calendarId: string; atMs: number }): Promise<number> {
      const cal = await registry.resolve(input.calendarId, { atMs: input.atMs });
      return nextWorkingInstant(cal, input.atMs);
    },
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
