/**
 * Names and payloads of the messages a support-request workflow accepts, defined once and
 * shared by the API, the tests and the workflow itself. Every agent action is an Update: the
 * caller gets the new state synchronously, and a validator refuses illegal transitions
 * before anything reaches history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, CancelReason, RequestSnapshot } from '../domain/request/snapshot';

/** Every action carries the API key that sent it (audit); `author` is the human name given. */
export interface Attributed {
  by?: Actor;
}

export interface Reply extends Attributed {
  /** Only a public reply to the customer counts as the first response. */
  visibility: 'public' | 'internal';
  author: string;
  body: string;
}
export interface ActorNote extends Attributed {
  author: string;
  note?: string;
}
export interface CustomerReply extends Attributed {
  author: string;
  body: string;
}
export interface Resolution extends Attributed {
  author: string;
  summary: string;
}
export interface Cancellation extends Attributed {
  author: string;
  reason: CancelReason;
  note?: string;
}
export interface Assignment extends Attributed {
  author: string;
  agent?: string | null;
  group?: string | null;
}
export interface PriorityChange extends Attributed {
  author: string;
  priority: 'critical' | 'high' | 'normal' | 'low';
}
export interface Replan extends Attributed {
  author: string;
  /** The calendar version the clocks switch to from now on. */
  calendarVersionId: string;
}

/** Returns once the request is written to PostgreSQL; used with update-with-start at intake. */
export const registeredUpdate = defineUpdate<RequestSnapshot>('registered');
export const respondUpdate = defineUpdate<RequestSnapshot, [Reply]>('respond');
export const waitOnCustomerUpdate = defineUpdate<RequestSnapshot, [ActorNote]>('waitOnCustomer');
export const customerReplyUpdate = defineUpdate<RequestSnapshot, [CustomerReply]>('customerReply');
export const resolveUpdate = defineUpdate<RequestSnapshot, [Resolution]>('resolve');
export const closeUpdate = defineUpdate<RequestSnapshot, [ActorNote]>('close');
export const reopenUpdate = defineUpdate<RequestSnapshot, [ActorNote]>('reopen');
export const cancelUpdate = defineUpdate<RequestSnapshot, [Cancellation]>('cancel');
export const assignUpdate = defineUpdate<RequestSnapshot, [Assignment]>('assign');
export const priorityUpdate = defineUpdate<RequestSnapshot, [PriorityChange]>('setPriority');
export const replanUpdate = defineUpdate<RequestSnapshot, [Replan]>('replan');
export const snapshotQuery = defineQuery<RequestSnapshot>('snapshot');

/** ApplicationFailure type of a refused action; details[0] is `{ state }`. */
export const ILLEGAL_TRANSITION = 'IllegalTransition';
