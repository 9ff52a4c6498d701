/**
 * The state machine's calendar asks (domain/request/asks.ts) answered outside a workflow, by
 * the very functions the worker runs as local activities (activities/calendar.ts): what a
 * sender computes ahead and tells the workflow, which takes an answer only for the ask it was
 * given to (`answeringFrom`). Asks that are not pure calendar arithmetic are refused: the
 * workflow answers those itself.
 */
import type { Answers, AskKind, AskOf } from '../domain/request/asks';
import { createCalendarActivities } from '../activities/calendar';
import type { CalendarRegistry } from './calendar-registry';

export type AskAnswerer = <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]>;

export function calendarAnswers(calendars: CalendarRegistry): AskAnswerer {
  const calendar = createCalendarActivities(calendars);
  const answer = (ask: AskOf<AskKind>): Promise<unknown> => {
    switch (ask.kind) {
      case 'batch':
        return calendar.answerCalendarAsks(ask.asks);
      case 'plan':
        return calendar.planClock(ask);
      case 'working_time':
        return calendar.measureWorkingTime(ask);
      case 'move_clocks':
        return calendar.moveClocks(ask);
      default:
        return Promise.reject(new Error(`${ask.kind} is not answered ahead: the workflow answers it`));
    }
  };
  return answer as AskAnswerer;
}
