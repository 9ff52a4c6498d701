import type { UpdateDefinition } from '@temporalio/common';
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PinnedPolicy } from '../domain/policy/pinned';
import { observer } from './observe';
import { pendingAlarms } from '../domain/request/alarms';
import type { Registration } from '../domain/request/registration';
import type { RequestSnapshot } from '../domain/request/snapshot';
import type { RequestAction } from '../domain/request/transitions';
import {
  assignUpdate,
  cancelUpdate,
  closeUpdate,
  customerReplyUpdate,
  priorityUpdate,
  registeredUpdate,
  reopenUpdate,
  replanUpdate,
  resolveUpdate,
  respondUpdate,
  snapshotQuery,
  waitOnCustomerUpdate,
} from './messages';
import { RequestLifecycle, type LifecycleOptions } from './request-lifecycle';

export interface SupportRequestInput {
  requestId: string;
  requestKey: string;
  registration: Registration;
  /** Terms pinned at registration; later catalogue or contract changes do not reach it. */
  policy: PinnedPolicy;
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
  let lifecycle: RequestLifecycle | undefined = input.carried ? new RequestLifecycle(input.carried, input.options) : undefined;
  // Started before any handler is set: setHandler runs buffered Updates (update-with-start) at once.
  const ready: Promise<RequestLifecycle> = (async () => {
    if (!lifecycle) {
      lifecycle = await RequestLifecycle.register(
        { requestId: input.requestId, requestKey: input.requestKey },
        input.registration,
        input.policy,
        input.options ?? {},
      );
    }
    await lifecycle.persist();
    return lifecycle;
  })();

  setHandler(snapshotQuery, () => {
    if (!lifecycle) throw new Error('request is still being registered');
    return lifecycle.r;
  });
  setHandler(registeredUpdate, async () => (await ready).r);

  /** An agent or customer action: its validator refuses an illegal transition at once. */
  function on<A extends unknown[]>(
    def: UpdateDefinition<RequestSnapshot, A>,
    action: RequestAction | ((...args: A) => RequestAction),
    apply: (l: RequestLifecycle, ...args: A) => Promise<void> | void,
  ): void {
    const actionOf = (args: A) => (typeof action === 'function' ? action(...args) : action);
    setHandler(
      def,
      async (...args: A) => {
        const l = await ready;
        return l.exclusive(async () => {
          // Re-checked inside the lock: an earlier update may have changed the state meanwhile.
          l.assertAllowed(actionOf(args));
          await apply(l, ...args);
          await l.persist();
          return l.r;
        });
      },
      { validator: (...args: A) => lifecycle?.assertAllowed(actionOf(args)) },
    );
  }

  on(respondUpdate, (reply) => (reply.visibility === 'internal' ? 'note' : 'reply'), (l, r) => l.respond(r.visibility, r.author, r.body));
  on(waitOnCustomerUpdate, 'wait_on_customer', (l, a) => l.waitOnCustomer(a.author, a.note));
  on(customerReplyUpdate, 'customer_reply', (l, a) => l.customerReply(a.author, a.body));
  on(resolveUpdate, 'resolve', (l, a) => l.resolve(a.author, a.summary));
  on(closeUpdate, 'close', (l, a) => l.close(a.author));
  on(reopenUpdate, 'reopen', (l, a) => l.reopen(a.author, a.note));
  on(cancelUpdate, 'cancel', (l, a) => l.cancel(a.author, a.reason, a.note));
  on(assignUpdate, 'assign', (l, a) => l.assign(a.author, a.agent, a.group));
  on(priorityUpdate, 'set_priority', (l, a) => l.setPriority(a.author, a.priority));
  // A deliberate re-plan after a calendar change; harmless in any state.
  setHandler(replanUpdate, async (a) => {
    const l = await ready;
    return l.exclusive(async () => {
      await l.replan(a.author, a.calendarVersionId);
      await l.persist();
      return l.r;
    });
  });

  const l = await ready;
  const historyLimit = input.options?.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT;
  const observed = observer(input.requestId, input.options?.searchAttributes === true);

  for (;;) {
    const finished = l.r.state === 'cancelled' || (l.r.state === 'closed' && l.r.reopenUntilMs === null);
    if (finished) break;
    if (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= historyLimit) {
      await settle(l);
      await continueAsNew<typeof supportRequest>({ ...input, carried: l.r });
    }
    const next = pendingAlarms(l.r)[0];
    observed.sync(l.r);
    l.changed = false;
    const waitMs = next ? next.atMs - Date.now() : undefined;
    if (waitMs === undefined || waitMs > 0) {
      // One timer for the earliest alarm; any change wakes the loop to plan again.
      const changed = await observed.wait(() => l.changed, waitMs, next, l.r);
      if (changed) continue;
    }
    await l.exclusive(async () => {
      for (const alarm of pendingAlarms(l.r)) {
        if (alarm.atMs > Date.now()) break;
        await l.fire(alarm);
      }
      await l.persist();
    });
  }

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
