/**
 * The state machine's calendar asks (domain/request/asks.ts) answered on the calendar versions
 * they name: by the worker's local activities (activities/calendar.ts), and ahead of a workflow
 * by the API (registration) and a re-plan's fan-out, which tell it the answers; the workflow
 * takes an answer only for the ask it was given to (`answeringFrom`). An unknown calendar
 * rejects with the registry's UnknownCalendarError.
 */
import { addWorkingTime, workingTimeBetween, type Calendar, type CalendarVersionRef } from '../domain/calendar';
import { runAskingSync, type Answers, type Ask, type AskKind, type AskOf, type BatchableAsk } from '../domain/request/asks';
import { moveClocks } from '../domain/request/move-clocks';
import type { CalendarRegistry } from './calendar-registry';

/** A plan ask without its kind (the activity's input): due and warning instants from `fromMs`. */
export type PlanInput = Omit<AskOf<'plan'>, 'kind'>;

export type PlanAnswer = Answers['plan'] & { extrapolated: boolean };

/** A working-time ask without its kind: working ms in [fromMs, toMs). */
export type WorkingTimeInput = Omit<AskOf<'working_time'>, 'kind'>;

function plan(cal: Calendar, input: Omit<PlanInput, 'calendar'>): PlanAnswer {
  const due = addWorkingTime(cal, input.fromMs, input.dueBudgetMs);
  const warnAtMs = input.warningBudgetsMs.map((b) => (b === null ? null : addWorkingTime(cal, input.fromMs, b).dueMs));
  return { dueAtMs: due.dueMs, warnAtMs, extrapolated: due.extrapolated };
}

/** Each ask the state machine puts to a calendar, answered on the version it names. */
export function calendarAskAnswers(registry: CalendarRegistry) {
  const version = (ref: CalendarVersionRef): Promise<Calendar> => registry.resolve(ref.id, { versionId: ref.versionId });
  const answers = {
    /** Due instant and warning instants of a clock running from `fromMs`. */
    async plan(input: PlanInput): Promise<PlanAnswer> {
      return plan(await version(input.calendar), input);
    },
    /** Working ms in [fromMs, toMs). */
    async workingTime(input: WorkingTimeInput): Promise<number> {
      return workingTimeBetween(await version(input.calendar), input.fromMs, input.toMs).workingMs;
    },
    /** Running clocks measured on one calendar version and planned on another (domain/request/move-clocks.ts). */
    async moveClocks(q: AskOf<'move_clocks'>): Promise<Answers['move_clocks']> {
      const [from, to] = await Promise.all([version(q.from), version(q.to)]);
      const answerStep = (step: Ask): unknown => {
        if (step.kind === 'working_time') return workingTimeBetween(from, step.fromMs, step.toMs).workingMs;
        if (step.kind === 'plan') return plan(to, step);
        throw new Error(`moving clocks asked ${step.kind}`);
      };
      return runAskingSync(moveClocks(q), answerStep as <K extends AskKind>(step: AskOf<K>) => Answers[K]);
    },
    /** Several of a transition's independent asks (domain/request/asks.ts `askAll`), answered in their order. */
    async batch(asks: BatchableAsk[]): Promise<Answers['batch']> {
      return Promise.all(asks.map((q) => (q.kind === 'plan' ? answers.plan(q) : answers.workingTime(q))));
    },
  };
  return answers;
}

export type AskAnswerer = <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]>;

/** The asks answered outside a workflow; those that are not pure calendar arithmetic are refused (the workflow answers them). */
export function calendarAnswers(calendars: CalendarRegistry): AskAnswerer {
  const answers = calendarAskAnswers(calendars);
  const answer = (ask: AskOf<AskKind>): Promise<unknown> => {
    switch (ask.kind) {
      case 'batch':
        return answers.batch(ask.asks);
      case 'plan':
        return answers.plan(ask);
      case 'working_time':
        return answers.workingTime(ask);
      case 'move_clocks':
        return answers.moveClocks(ask);
      default:
        return Promise.reject(new Error(`${ask.kind} is not answered ahead: the workflow answers it`));
    }
  };
  return answer as AskAnswerer;
}
