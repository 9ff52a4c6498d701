import { ApplicationFailure } from '@temporalio/common';
import { addWorkingTime, endOfWorkingDays, nextWorkingInstant, workingTimeBetween, type Calendar, type CalendarVersionRef } from '../domain/calendar';
import { runAskingSync, type Answers, type Ask, type AskKind, type AskOf, type BatchableAsk } from '../domain/request/asks';
import { moveClocks } from '../domain/request/move-clocks';
import { UnknownCalendarError, type CalendarRegistry } from '../services/calendar-registry';


export interface PlanInput {
  calendar: CalendarVersionRef;
  /** Start of the running segment. */
  fromMs: number;
  /** Working budget to the due instant, and to each warning (null: nothing to plan). */
  dueBudgetMs: number;
  warningBudgetsMs: Array<number | null>;
}

type PlanAnswer = Answers['plan'] & { extrapolated: boolean };

function plan(cal: Calendar, input: Omit<PlanInput, 'calendar'>): PlanAnswer {
  const due = addWorkingTime(cal, input.fromMs, input.dueBudgetMs);
  const warnAtMs = input.warningBudgetsMs.map((b) => (b === null ? null : addWorkingTime(cal, input.fromMs, b).dueMs));
  return { dueAtMs: due.dueMs, warnAtMs, extrapolated: due.extrapolated };
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

  const activities = {
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
    async planClock(input: PlanInput): Promise<PlanAnswer> {
      return plan(await calendar(input.calendar), input);
    },

    /** Working ms in [fromMs, toMs). */
    async measureWorkingTime(input: { calendar: CalendarVersionRef; fromMs: number; toMs: number }): Promise<number> {
      return workingTimeBetween(await calendar(input.calendar), input.fromMs, input.toMs).workingMs;
    },

    /** Running clocks measured on one calendar version and planned on another (domain/request/move-clocks.ts), in one activity. */
    async moveClocks(q: AskOf<'move_clocks'>): Promise<Answers['move_clocks']> {
      const [from, to] = await Promise.all([calendar(q.from), calendar(q.to)]);
      const answerStep = (step: Ask): unknown => {
        if (step.kind === 'working_time') return workingTimeBetween(from, step.fromMs, step.toMs).workingMs;
        if (step.kind === 'plan') return plan(to, step);
        throw new Error(`moving clocks asked ${step.kind}`);
      };
      return runAskingSync(moveClocks(q), answerStep as <K extends AskKind>(step: AskOf<K>) => Answers[K]);
    },

    /** Instants `fromMs + b` working ms, for each budget (escalation steps). */
    async addWorkingTimes(input: { calendar: CalendarVersionRef; fromMs: number; budgetsMs: number[] }): Promise<number[]> {
      const cal = await calendar(input.calendar);
      return input.budgetsMs.map((b) => addWorkingTime(cal, input.fromMs, b).dueMs);
    },

    /** When a request resolved at `fromMs` closes itself: the rule is domain/calendar/working-days.ts. */
    async endOfWorkingDays(input: { calendar: CalendarVersionRef; fromMs: number; days: number }): Promise<number> {
      const cal = await calendar(input.calendar);
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
      try {
        return nextWorkingInstant(await registry.resolve(input.calendarId, { atMs: input.atMs }), input.atMs);
      } catch (err) {
        if (err instanceof UnknownCalendarError) throw ApplicationFailure.nonRetryable(err.message, 'UnknownCalendar');
        throw err;
      }
    },

    /** Several of a transition's independent asks (domain/request/asks.ts `askAll`), answered in their order. */
    async answerCalendarAsks(asks: BatchableAsk[]): Promise<Answers['batch']> {
      return Promise.all(asks.map((q) => (q.kind === 'plan' ? activities.planClock(q) : activities.measureWorkingTime(q))));
    },
  };
  return activities;
}

export type CalendarActivities = ReturnType<typeof createCalendarActivities>;
