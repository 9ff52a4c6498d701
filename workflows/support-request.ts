import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import type { PinnedPolicy } from '../domain/policy/pinned';
import { AlarmTimer } from './alarm-timer';
import { observer } from './observe';
import { KEPT_TIMER_PATCH, REGISTRATION_FROM_START_PATCH, REGISTRATION_HANDED_OVER_PATCH, requestPatches } from './patches';
import { pendingAlarms } from '../domain/request/alarms';
import { fire } from '../domain/request/lifecycle';
import type { Registration } from '../domain/request/registration';
import type { Actor, RequestSnapshot } from '../domain/request/snapshot';
import type { AnsweredAsk } from '../domain/request/asks';
import { setRequestHandlers } from './handlers';
import { RequestLifecycle, type LifecycleOptions } from './request-lifecycle';

export interface SupportRequestInput {
  requestId: string;
  requestKey: string;
  registration: Registration;
  /** Terms pinned at registration; later catalogue or contract changes do not reach it. */
  policy: PinnedPolicy;
  /** When the request reached the desk, if earlier than its registration: its clocks start there. */
  receivedAtMs?: number;
  /**
   * When the API registered the request (started this workflow): its registration instant,
   * unless this run's clock is behind it. Absent: the run's start.
   */
  registeredAtMs?: number;
  /** Registration's calendar asks as the API answered them for `registeredAtMs`; used while they match (asks.ts `answeringFrom`). */
  answered?: AnsweredAsk[];
  /**
   * The digest of registration's first write as the API planned it (domain/request/planned-write.ts):
   * when this run plans the same, the API commits it and the run writes nothing at
   * registration (REGISTRATION_HANDED_OVER_PATCH). Absent: the run writes it.
   */
  plannedDigest?: string;
  /** The API key that registered the request (audit). */
  by?: Actor;
  options?: LifecycleOptions & {
    /** Continue-as-new once history has this many events (Temporal also suggests it). */
    historyEventLimit?: number;
    /** Keep the SLA search attributes and timer summaries current (observe.ts); they must be registered. */
    searchAttributes?: boolean;
  };
  /** Set only by continue-as-new: the request as it was, clocks, alarms and all. */
  carried?: RequestSnapshot;
}

const DEFAULT_HISTORY_EVENT_LIMIT = 4_000;

/**
 * One support request, from registration to closure (days or months). Its SLA clocks run on
 * the pinned calendar; the workflow sleeps on a single timer until the next warning, breach,
 * escalation or auto-close, and wakes early when an agent or the customer acts.
 */
export async function supportRequest(input: SupportRequestInput): Promise<RequestSnapshot> {
  const patches = requestPatches();
  let lifecycle: RequestLifecycle | undefined = input.carried ? new RequestLifecycle(input.carried, patches, input.options) : undefined;
  // Started before any handler is set: setHandler runs buffered Updates (update-with-start) at once.
  const ready: Promise<RequestLifecycle> = (async () => {
    if (!lifecycle) {
      const ids = { requestId: input.requestId, requestKey: input.requestKey };
      // The API's instant and answers, unless this run's clock is behind it (or it predates them).
      const fromStart = patches(REGISTRATION_FROM_START_PATCH) && input.registeredAtMs !== undefined;
      const atMs = fromStart ? Math.min(input.registeredAtMs!, Date.now()) : Date.now();
      lifecycle = await RequestLifecycle.register(ids, input.registration, input.policy, patches, input.options ?? {}, { atMs, receivedAtMs: input.receivedAtMs, answered: fromStart ? input.answered : undefined });
      lifecycle.attribute(input.by);
      // The API planned this very write: it commits it once answered, no local activity here.
      if (input.plannedDigest !== undefined && patches(REGISTRATION_HANDED_OVER_PATCH) && lifecycle.handOverPlanned(input.plannedDigest)) return lifecycle;
    }
    await lifecycle.persist();
    return lifecycle;
  })();
  setRequestHandlers(() => lifecycle, ready);

  const l = await ready;
  const historyLimit = input.options?.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT;
  const observed = observer(input.requestId, input.options?.searchAttributes === true, patches, !input.carried && patches(REGISTRATION_FROM_START_PATCH));

  const timer = new AlarmTimer();
  for (;;) {
    const finished = l.r.state === 'cancelled' || (l.r.state === 'closed' && l.r.reopenUntilMs === null);
    if (finished) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit) {
      timer.stop();
      await settle(l);
      await continueAsNew<typeof supportRequest>({ ...input, carried: l.r });
    }
    const next = pendingAlarms(l.r)[0];
    observed.sync(l.r);
    l.changed = false;
    const waitMs = next ? next.atMs - Date.now() : undefined;
    if (waitMs === undefined || waitMs > 0) {
      // One timer for the earliest alarm; any change wakes the loop to plan again.
      if (patches(KEPT_TIMER_PATCH)) {
        const due = await timer.wait(next && { atMs: next.atMs, summary: observed.timerSummary(next, l.r) }, () => l.changed);
        if (!due) continue;
      } else {
        const changed = await observed.wait(() => l.changed, waitMs, next, l.r);
        if (changed) continue;
      }
    } else {
      timer.stop();
    }
    await l.exclusive(async () => {
      for (const alarm of pendingAlarms(l.r)) {
        if (alarm.atMs > Date.now()) break;
        await l.apply(fire(l.r, alarm, Date.now(), l.rules));
      }
      await l.persist();
    });
  }

  timer.stop();
  await settle(l);
  observed.sync(l.r);
  return l.r;
}

/**
 * Waits until no Update is running and everything is written and delivered. Loops because an
 * Update may arrive while the last writes are in flight; its caller must get its answer from
 * this run, not an error from a completed one.
 */
async function settle(l: RequestLifecycle): Promise<void> {
  do {
    await condition(allHandlersFinished);
    await l.exclusive(() => l.drain());
  } while (!allHandlersFinished());
}
