/**
 * Registration's calendar asks, answered by the API process that admits the request, and told
 * to its workflow in its start input: the workflow's first task then writes the request without
 * waiting for a local activity first. The answers come from the very functions the worker runs
 * as local activities (activities/calendar.ts), on the calendar version pinned at admission.
 * The workflow takes an answer only for the ask it was given to (domain/request/asks.ts
 * `answeringFrom`): a run whose clock is behind the API's, or a worker on other code, asks again.
 * The API also plans the first write itself: if the workflow plans the same, the API commits
 * it (services/registration/service.ts), so the workflow's first task runs no activity at all.
 */
import { runAskingRecorded, type AnsweredAsk } from '../../domain/request/asks';
import { register } from '../../domain/request/lifecycle';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import type { Registration } from '../../domain/request/registration';
import { plannedWriteDigest } from '../../domain/request/planned-write';
import type { Actor, RequestSnapshot, TimelineEvent } from '../../domain/request/snapshot';
import { attributedTo } from '../../domain/request/timeline';
import { calendarAnswers } from '../calendar-answers';
import type { CalendarRegistry } from '../calendar-registry';

export interface RegistrationAhead {
  ids: { requestId: string; requestKey: string };
  registration: Registration;
  policy: PinnedPolicy;
  /** The registration instant the workflow will take (the API's, when it starts the workflow). */
  atMs: number;
  receivedAtMs?: number;
  /** The API key registering it: the workflow stamps its first events with it. */
  by?: Actor;
}

/** The asks with their answers, and the write its workflow will plan if it takes them all (none if the plan failed). */
export interface RegistrationPlanned {
  answered: AnsweredAsk[];
  write?: PlannedWrite;
}

/** Registration's first write as planned here: the API commits it if its workflow plans the same (`digest`). */
export interface PlannedWrite {
  snapshot: RequestSnapshot;
  events: TimelineEvent[];
  digest: string;
}

export function registrationAnswers(calendars: CalendarRegistry): (r: RegistrationAhead) => Promise<RegistrationPlanned> {
  const answer = calendarAnswers(calendars);
  return async (r) => {
    try {
      const { result, answered } = await runAskingRecorded(register(r.ids, r.registration, r.policy, r.atMs, r.receivedAtMs), answer);
      // Stamped as the workflow stamps them (`attribute` in request-lifecycle.ts).
      const events = attributedTo(result.events, r.by);
      return { answered, write: { snapshot: result.snapshot, events, digest: plannedWriteDigest(result.snapshot, events) } };
    } catch {
      // Nothing told ahead: the workflow asks for itself, as it always could.
      return { answered: [] };
    }
  };
}
