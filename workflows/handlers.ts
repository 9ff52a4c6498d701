import type { UpdateDefinition } from '@temporalio/common';
import { setHandler } from '@temporalio/workflow';
import type { Attributed } from '../domain/request/actions';
import { act, type RequestCommand } from '../domain/request/lifecycle';
import type { RequestSnapshot } from '../domain/request/snapshot';
import {
  assignUpdate,
  cancelUpdate,
  closeUpdate,
  customerReplyUpdate,
  priorityUpdate,
  registeredWithOfferUpdate,
  type RegistrationOffer,
  type RegistrationReceipt,
  reopenUpdate,
  type RequestReceipt,
  replanUpdate,
  type ReplanMessage,
  type ReplanReceipt,
  resolveUpdate,
  respondUpdate,
  resumeUpdate,
  snapshotQuery,
  waitOnCustomerUpdate,
  waitOnThirdPartyUpdate,
} from './messages';
import type { RequestLifecycle } from './request-lifecycle';
import { orderViolation } from '../domain/request/occurred-at';
import { REGISTRATION_HANDED_OVER_PATCH, REPLAN_AHEAD_PATCH } from './patches';

/**
 * Every message a request accepts. `current` is the lifecycle once it exists (queries and
 * validators run synchronously); `ready` resolves when the request is registered and written.
 */
export function setRequestHandlers(current: () => RequestLifecycle | undefined, ready: Promise<RequestLifecycle>): void {
  setHandler(snapshotQuery, () => {
    const l = current();
    if (!l) throw new Error('request is still being registered');
    return l.r;
  });
  setHandler(registeredWithOfferUpdate, async (offer?: RegistrationOffer): Promise<RegistrationReceipt> => {
    const l = await ready;
    if (l.takePlannedHandOver(offer?.plannedDigest)) return { ...receiptOf(l.r), commitPlanned: true };
    // Another sender (a retry): the first may have died before committing its write, so it is written here.
    if (l.patched(REGISTRATION_HANDED_OVER_PATCH)) await l.exclusive(() => l.writeHandedNow());
    return receiptOf(l.r);
  });

  /** A command: its validator refuses an illegal transition before it reaches history. */
  function on<P extends Attributed>(def: UpdateDefinition<RequestReceipt, [P]>, command: (payload: P) => RequestCommand): void {
    const handler = async (payload: P) => {
      const l = await ready;
      return l.exclusive(async () => {
        // Re-checked inside the lock: an earlier update may have changed the state meanwhile.
        l.assertAllowed(command(payload));
        await l.apply(act(l.r, command(payload), Date.now(), l.rules));
        l.attribute(payload.by);
        await l.persist();
        return receiptOf(l.r);
      });
    };
    setHandler(def, handler, { validator: (payload: P) => current()?.assertAllowed(command(payload)) });
  }

  on(respondUpdate, (p) => ({ ...p, type: 'respond' }));
  on(waitOnCustomerUpdate, (p) => ({ ...p, type: 'wait_on_customer' }));
  on(waitOnThirdPartyUpdate, (p) => ({ ...p, type: 'wait_on_third_party' }));
  on(resumeUpdate, (p) => ({ ...p, type: 'resume' }));
  on(customerReplyUpdate, (p) => ({ ...p, type: 'customer_reply' }));
  on(resolveUpdate, (p) => ({ ...p, type: 'resolve' }));
  on(closeUpdate, (p) => ({ ...p, type: 'close' }));
  on(reopenUpdate, (p) => ({ ...p, type: 'reopen' }));
  on(cancelUpdate, (p) => ({ ...p, type: 'cancel' }));
  on(assignUpdate, (p) => ({ ...p, type: 'assign' }));
  on(priorityUpdate, (p) => ({ ...p, type: 'set_priority' }));

  // A deliberate re-plan after a calendar change; allowed in any state. Its fan-out computed it
  // ahead at `occurredAt` and commits its write (REPLAN_AHEAD_PATCH): a re-plan of every open
  // request costs each workflow one task, no local activity.
  setHandler(
    replanUpdate,
    async (message) => {
      const l = await ready;
      return l.exclusive(async (): Promise<ReplanReceipt> => {
        l.assertAllowed(replanAt(message, undefined));
        const ahead = takesAhead(l, message);
        await l.apply(act(l.r, replanAt(message, ahead ? message.occurredAt : undefined), Date.now(), l.rules), ahead ? message.answered : []);
        l.attribute(message.by);
        const write = ahead ? l.handOver() : undefined;
        if (write) return { ...receiptOf(l.r), write };
        await l.persist();
        return receiptOf(l.r);
      });
    },
    { validator: (message) => current()?.assertAllowed(replanAt(message, undefined)) },
  );
}

/** The re-plan command, at `occurredAt` (absent: when the workflow applies it). */
const replanAt = ({ answered: _answered, occurredAt: _at, ...replan }: ReplanMessage, occurredAt: string | undefined): RequestCommand => ({
  ...replan,
  type: 'replan',
  ...(occurredAt !== undefined && { occurredAt }),
});

/**
 * Whether this run re-plans at the sender's instant, with its answers, and hands it the write:
 * a sender that computed ahead, on code that takes it, and no event recorded since that instant
 * (the timeline stays in order). Older senders, and histories recorded before, re-plan now.
 */
function takesAhead(l: RequestLifecycle, message: ReplanMessage): boolean {
  if (message.occurredAt === undefined || !l.patched(REPLAN_AHEAD_PATCH)) return false;
  return orderViolation(l.r, replanAt(message, message.occurredAt)) === null;
}

const receiptOf = (r: RequestSnapshot): RequestReceipt => ({ requestId: r.requestId, state: r.state, revision: r.revision });
