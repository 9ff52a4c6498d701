/**
 * Registration's calendar asks, answered by the API process that admits the request, and told
 * to its workflow in its start input: the workflow's first task then writes the request without
 * waiting for a local activity first. The answers come from the very functions the worker runs
 * as local activities (activities/calendar.ts), on the calendar version pinned at admission.
 * The workflow takes an answer only for the ask it was given to (domain/request/asks.ts
 * `answeringFrom`): a run whose clock is behind the API's, or a worker on other code, asks again.
 */
import { runAskingRecorded, type AnsweredAsk } from '../../domain/request/asks';
import { register } from '../../domain/request/lifecycle';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import type { Registration } from '../../domain/request/registration';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { calendarAnswers } from '../calendar-answers';
import type { CalendarRegistry } from '../calendar-registry';

export interface RegistrationAhead {
  ids: { requestId: string; requestKey: string };
  registration: Registration;
  policy: PinnedPolicy;
  /** The registration instant the workflow will take (the API's, when it starts the workflow). */
  atMs: number;
  receivedAtMs?: number;
}

/** The asks with their answers, and the request as its workflow will register it if it takes them all. */
export interface RegistrationPlanned {
  answered: AnsweredAsk[];
  snapshot?: RequestSnapshot;
}

export function registrationAnswers(calendars: CalendarRegistry): (r: RegistrationAhead) => Promise<RegistrationPlanned> {
  const answer = calendarAnswers(calendars);
  return async (r) => {
    try {
      const { result, answered } = await runAskingRecorded(register(r.ids, r.registration, r.policy, r.atMs, r.receivedAtMs), answer);
      return { answered, snapshot: result.snapshot };
    } catch {
      // Nothing told ahead: the workflow asks for itself, as it always could.
      return { answered: [] };
    }
  };
}
