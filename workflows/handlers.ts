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
  registeredUpdate,
  reopenUpdate,
  type RequestReceipt,
  replanUpdate,
  resolveUpdate,
  respondUpdate,
  resumeUpdate,
  snapshotQuery,
  waitOnCustomerUpdate,
  waitOnThirdPartyUpdate,
} from './messages';
import type { RequestLifecycle } from './request-lifecycle';

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
  setHandler(registeredUpdate, async () => receiptOf((await ready).r));

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
  // A deliberate re-plan after a calendar change; allowed in any state.
  on(replanUpdate, (p) => ({ ...p, type: 'replan' }));
}

const receiptOf = (r: RequestSnapshot): RequestReceipt => ({ requestId: r.requestId, state: r.state, revision: r.revision });
