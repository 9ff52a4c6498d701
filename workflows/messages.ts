/**
 * Names and payloads of the messages a support-request workflow accepts, defined once and
 * shared by the API, the tests and the workflow itself. Every agent action is an Update: the
 * caller gets the new state synchronously, and a validator refuses illegal transitions
 * before anything reaches history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorNote, Assignment, Cancellation, CustomerReply, PriorityChange, Replan, Reply, Resolution, ThirdPartyWait } from '../domain/request/actions';
import type { RequestSnapshot } from '../domain/request/snapshot';

// Payload types are inferred from the API's validating schemas (domain/request/actions.ts).
export type { ActorNote, Assignment, Cancellation, CustomerReply, PriorityChange, Replan, Reply, Resolution, ThirdPartyWait };

/** Returns once the request is written to PostgreSQL; used with update-with-start at intake. */
export const registeredUpdate = defineUpdate<RequestSnapshot>('registered');
export const respondUpdate = defineUpdate<RequestSnapshot, [Reply]>('respond');
export const waitOnCustomerUpdate = defineUpdate<RequestSnapshot, [ActorNote]>('waitOnCustomer');
export const waitOnThirdPartyUpdate = defineUpdate<RequestSnapshot, [ThirdPartyWait]>('waitOnThirdParty');
export const resumeUpdate = defineUpdate<RequestSnapshot, [ActorNote]>('resume');
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

/** ApplicationFailure type of an action whose `occurredAt` goes before the request's previous event. */
export const OCCURRED_OUT_OF_ORDER = 'OccurredOutOfOrder';
