/**
 * Answers the state machine's asks (domain/request/asks.ts), each with one activity: calendar
 * arithmetic as local activities (results recorded as markers), the directory as an activity,
 * a batch of calendar asks, or the two steps of moving clocks to another calendar version, as
 * one local activity. One ask, one command: running requests replay only while this mapping
 * and the order of the asks stay as they are.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { runAsking, type Answers, type AskKind, type AskOf } from '../domain/request/asks';
import { moveClocks } from '../domain/request/move-clocks';
import { calendar, localDirectory, notifier } from './activity-proxies';
import { BATCHED_CALENDAR_ASKS_PATCH, LOCAL_DIRECTORY_PATCH, ONE_ACTIVITY_CLOCK_MOVE_PATCH, type Patches } from './patches';


const answers: { [K in AskKind]: (q: AskOf<K>, patched: Patches) => Promise<Answers[K]> } = {
  calendar_version: (q) => calendar.calendarVersionAt({ calendarId: q.calendarId, atMs: q.atMs }),
  working_time: (q) => calendar.measureWorkingTime({ calendar: q.calendar, fromMs: q.fromMs, toMs: q.toMs }),
  plan: (q) => calendar.planClock({ calendar: q.calendar, fromMs: q.fromMs, dueBudgetMs: q.dueBudgetMs, warningBudgetsMs: q.warningBudgetsMs }),
  working_instants: (q) => calendar.addWorkingTimes({ calendar: q.calendar, fromMs: q.fromMs, budgetsMs: q.budgetsMs }),
  auto_close: (q) => calendar.endOfWorkingDays({ calendar: q.calendar, fromMs: q.fromMs, days: q.days }),
  // The instant the directory was read: quiet hours are judged from then.
  recipients: async (q, patched) => {
    const query = { roles: q.roles, recipientIds: q.recipientIds };
    const recipients = await (patched(LOCAL_DIRECTORY_PATCH) ? localDirectory.resolveRecipients(query) : notifier.resolveRecipients(query));
    return { recipients, atMs: Date.now() };
  },
  // One local activity for the batch; runs recorded before batches answered each ask in turn.
  batch: async (q, patched) => {
    if (patched(BATCHED_CALENDAR_ASKS_PATCH)) return calendar.answerCalendarAsks(q.asks);
    const answers: Answers['batch'] = [];
    for (const one of q.asks) answers.push(await answerAsk(one, patched));
    return answers;
  },
  // One local activity runs both steps; runs recorded before answered each step in turn.
  move_clocks: (q, patched) => (patched(ONE_ACTIVITY_CLOCK_MOVE_PATCH) ? calendar.moveClocks(q) : runAsking(moveClocks(q), (one) => answerAsk(one, patched))),
  next_working_instant: async (q) => {
    try {
      return { atMs: await calendar.nextWorkingInstant({ calendarId: q.calendarId, atMs: q.atMs }) };
    } catch (err) {
      const failure = err instanceof ActivityFailure ? err.cause : err;
      if (failure instanceof ApplicationFailure && failure.type === 'UnknownCalendar') return { unknownCalendar: failure.message };
      throw err;
    }
  },
};

export function answerAsk<K extends AskKind>(question: AskOf<K>, patched: Patches): Promise<Answers[K]> {
  return (answers[question.kind] as (q: AskOf<K>, patched: Patches) => Promise<Answers[K]>)(question, patched);
}
