import { ApplicationFailure } from '@temporalio/common';
import { addWorkingTime, endOfWorkingDays, nextWorkingInstant, type Calendar, type CalendarVersionRef } from '../domain/calendar';
import type { Answers, AskOf, BatchableAsk } from '../domain/request/asks';
import { calendarAskAnswers, type PlanAnswer, type PlanInput, type WorkingTimeInput } from '../services/calendar-answers';
import { UnknownCalendarError, type CalendarRegistry } from '../services/calendar-registry';

/** A missing calendar will not appear by retrying: non-retryable, and the workflow surfaces it. */
async function unknownIsFinal<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UnknownCalendarError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownCalendar');
    throw err;
  }
}

/**
 * Calendar arithmetic for workflows, run as LOCAL activities: their results are recorded in
 * workflow history as markers, so a replay never recomputes them and never changes when the
 * calendar data or the time-zone database change later.
 */
export function createCalendarActivities(registry: CalendarRegistry) {
  const answers = calendarAskAnswers(registry);
  const version = (ref: CalendarVersionRef): Promise<Calendar> => unknownIsFinal(() => registry.resolve(ref.id, { versionId: ref.versionId }));

  return {
    /** The version of a calendar in force at an instant (pinned at registration and re-plans). */
    async calendarVersionAt(input: { calendarId: string; atMs: number }): Promise<CalendarVersionRef> {
      const cal = await unknownIsFinal(() => registry.resolve(input.calendarId, { atMs: input.atMs }));
      return { id: input.calendarId, versionId: cal.versionId ?? '1' };
    },

    /** Due instant and warning instants of a clock running from `fromMs`. */
    planClock: (input: PlanInput): Promise<PlanAnswer> => unknownIsFinal(() => answers.plan(input)),

    /** Working ms in [fromMs, toMs). */
    measureWorkingTime: (input: WorkingTimeInput): Promise<number> => unknownIsFinal(() => answers.workingTime(input)),

    /** Running clocks measured on one calendar version and planned on another, in one activity. */
    moveClocks: (q: AskOf<'move_clocks'>): Promise<Answers['move_clocks']> => unknownIsFinal(() => answers.moveClocks(q)),

    /** Instants `fromMs + b` working ms, for each budget (escalation steps). */
    async addWorkingTimes(input: { calendar: CalendarVersionRef; fromMs: number; budgetsMs: number[] }): Promise<number[]> {
      const cal = await version(input.calendar);
      return input.budgetsMs.map((b) => addWorkingTime(cal, input.fromMs, b).dueMs);
    },

    /** When a request resolved at `fromMs` closes itself: the rule is domain/calendar/working-days.ts. */
    async endOfWorkingDays(input: { calendar: CalendarVersionRef; fromMs: number; days: number }): Promise<number> {
      const cal = await version(input.calendar);
      const end = endOfWorkingDays(cal, input.fromMs, input.days);
      if (end === null) throw ApplicationFailure.nonRetryable(`calendar ${cal.id} has no ${input.days} working days after ${new Date(input.fromMs).toISOString()}`, 'CalendarExhausted');
      return end;
    },

    /**
     * First working instant of a calendar at or after `atMs` (recipients' quiet hours). An
     * unknown calendar is a data error no retry mends: non-retryable, so the workflow sends the
     * warning at once and records why instead of retrying while it holds the request's lock.
     */
    async nextWorkingInstant(input: { calendarId: string; atMs: number }): Promise<number> {
      const cal = await unknownIsFinal(() => registry.resolve(input.calendarId, { atMs: input.atMs }));
      return nextWorkingInstant(cal, input.atMs);
    },

    /** Several of a transition's independent asks (domain/request/asks.ts `askAll`), answered in their order. */
    answerCalendarAsks: (asks: BatchableAsk[]): Promise<Answers['batch']> => unknownIsFinal(() => answers.batch(asks)),
  };
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
