/**
 * Names and payloads of the messages a support-request workflow accepts, defined once and
 * shared by the API, the tests and the workflow itself. Every agent action is an Update: the
 * caller learns synchronously that it was applied and written, and a validator refuses
 * illegal transitions before anything reaches history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActorNote, Assignment, Cancellation, CustomerReply, PriorityChange, Replan, Reply, Resolution, ThirdPartyWait } from '../domain/request/actions';
import type { RequestSnapshot, RequestState } from '../domain/request/snapshot';
import type { AnsweredAsk } from '../domain/request/asks';
import type { RequestWrite } from '../activities/request-writes';

// Payload types are inferred from the API's validating schemas (domain/request/actions.ts).
export type { ActorNote, Assignment, Cancellation, CustomerReply, PriorityChange, Replan, Reply, Resolution, ThirdPartyWait };

/**
 * What every Update answers once the change is applied and written to PostgreSQL: which
 * request, in which state, at which revision. Small on purpose: Temporal keeps every Update's
 * answer in the request's history (the whole request answered each time made up a third of
 * it); callers read the request itself from PostgreSQL (the API) or the snapshot query.
 * Histories recorded before 2026-12-02 hold whole snapshots as answers; nothing reads them.
 */
export interface RequestReceipt {
  requestId: string;
  state: RequestState;
  revision: number;
}

/**
 * A re-plan as its fan-out (activities/calendar-replan.ts) sends it: computed from the
 * request's row at `occurredAt`, with the calendar answers the workflow will ask for, and the
 * promise to commit the write the Update answers.
 */
export interface ReplanMessage extends Replan {
  answered?: AnsweredAsk[];
}

/**
 * A re-plan's receipt. `write`: the projection write the workflow handed over (REPLAN_AHEAD_PATCH)
 * instead of running it: the sender commits it (it moves the row forward by revision only, so a
 * late or repeated commit changes nothing). The workflow writes those events again with its
 * next own write, so nothing is lost if the sender never commits.
 */
export interface ReplanReceipt extends RequestReceipt {
  write?: RequestWrite;
}

/** What the API sends with `registered`: the digest of the registration write it planned (domain/request/planned-write.ts). */
export interface RegistrationOffer {
  plannedDigest?: string;
}

/**
 * `registered`'s receipt. `commitPlanned`: the run planned the very write its sender offered
 * and wrote nothing (REGISTRATION_HANDED_OVER_PATCH): the sender commits it. The run writes
 * those events again with its next own write, and at once when another sender registers the
 * same request, so a sender that dies before committing loses nothing.
 */
export interface RegistrationReceipt extends RequestReceipt {
  commitPlanned?: true;
}

/**
 * Returns once the request is written to PostgreSQL, or handed to its sender to write; used
 * with update-with-start at intake. Sent without an offer (older APIs, tests), the run writes.
 */
export const registeredUpdate = defineUpdate<RegistrationReceipt>('registered');
/** The same Update as the registration service sends it: with its offer. */
export const registeredWithOfferUpdate = defineUpdate<RegistrationReceipt, [RegistrationOffer]>('registered');
export const respondUpdate = defineUpdate<RequestReceipt, [Reply]>('respond');
export const waitOnCustomerUpdate = defineUpdate<RequestReceipt, [ActorNote]>('waitOnCustomer');
export const waitOnThirdPartyUpdate = defineUpdate<RequestReceipt, [ThirdPartyWait]>('waitOnThirdParty');
export const resumeUpdate = defineUpdate<RequestReceipt, [ActorNote]>('resume');
export const customerReplyUpdate = defineUpdate<RequestReceipt, [CustomerReply]>('customerReply');
export const resolveUpdate = defineUpdate<RequestReceipt, [Resolution]>('resolve');
export const closeUpdate = defineUpdate<RequestReceipt, [ActorNote]>('close');
export const reopenUpdate = defineUpdate<RequestReceipt, [ActorNote]>('reopen');
export const cancelUpdate = defineUpdate<RequestReceipt, [Cancellation]>('cancel');
export const assignUpdate = defineUpdate<RequestReceipt, [Assignment]>('assign');
export const priorityUpdate = defineUpdate<RequestReceipt, [PriorityChange]>('setPriority');
export const replanUpdate = defineUpdate<ReplanReceipt, [ReplanMessage]>('replan');
export const snapshotQuery = defineQuery<RequestSnapshot>('snapshot');

/** ApplicationFailure type of a refused action; details[0] is `{ state }`. */
export const ILLEGAL_TRANSITION = 'IllegalTransition';

/** ApplicationFailure type of an action whose `occurredAt` goes before the request's previous event. */
export const OCCURRED_OUT_OF_ORDER = 'OccurredOutOfOrder';
