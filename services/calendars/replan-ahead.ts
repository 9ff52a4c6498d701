/**
 * A re-plan computed by its fan-out before it is sent: at the instant of sending, from the
 * request as its row last projected it, with the calendar answers (the clock move) its workflow
 * will ask for. The workflow re-plans at that instant and takes each answer only for the very
 * ask it was given to (domain/request/asks.ts `answeringFrom`, `sameAsk`); a request that moved
 * on since its row was written asks again by a local activity, as it always could.
 */
import { runAskingRecorded } from '../../domain/request/asks';
import { act } from '../../domain/request/lifecycle';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import type { Replan, ReplanMessage } from '../../workflows/messages';
import { calendarAnswers } from '../calendar-answers';
import type { CalendarRegistry } from '../calendar-registry';

export type ReplanAhead = (replan: Replan, atMs: number, row: RequestSnapshot | undefined) => Promise<ReplanMessage>;

export function replanAhead(calendars: CalendarRegistry): ReplanAhead {
  const answer = calendarAnswers(calendars);
  return async (replan, atMs, row) => {
    const message: ReplanMessage = { ...replan, occurredAt: new Date(atMs).toISOString() };
    if (!row) return message;
    try {
      const { answered } = await runAskingRecorded(act(row, { ...message, type: 'replan' }, atMs), answer);
      return { ...message, answered };
    } catch {
      // Nothing told ahead (e.g. the version is not loadable here): the workflow asks for itself.
      return message;
    }
  };
}
