/**
 * A customer's reply, relayed by intake: sent to the request's workflow, or, when the request
 * was closed past its reopen window (its workflow completed), registered as a new request that
 * follows it up (`followUpOf`), on the terms in force now, through the registration service.
 */
import { createHash } from 'node:crypto';
import type { CustomerReply } from '../../domain/request/actions';
import type { Actor, RequestSnapshot } from '../../domain/request/snapshot';
import type { RegistrationInput } from '../../services/registration/input';
import type { Caller, RegistrationService } from '../../services/registration/service';
import { customerReplyUpdate } from '../../workflows/messages';
import { FinishedRequestProblem, type RequestService } from './service';

export interface CustomerReplyOutcome {
  /** The request the reply landed on: the same one, or the follow-up registered for it. */
  snapshot: RequestSnapshot;
  followUp: null | { created: boolean };
}

const SUBJECT_MAX = 500;
const DESCRIPTION_MAX = 20_000;

/** What a follow-up is registered with: the old request's customer, product, channel, category and priority. */
export function followUpInput(old: RequestSnapshot, reply: CustomerReply): RegistrationInput {
  const r = old.registration;
  if (!r.channel || !r.category) throw new Error(`request ${old.requestId} has no channel or category to follow up`);
  const subject = /^re:/i.test(r.subject) ? r.subject : `Re: ${r.subject}`;
  // One reply, one follow-up: a retry of the same reply names the same request.
  const digest = createHash('sha256').update(JSON.stringify([reply.author, reply.body, reply.occurredAt ?? null])).digest('hex').slice(0, 24);
  return {
    subject: subject.slice(0, SUBJECT_MAX),
    description: reply.body.slice(0, DESCRIPTION_MAX),
    ...(r.customerId !== undefined && { customerId: r.customerId }),
    ...(r.productId !== undefined && { productId: r.productId }),
    channel: r.channel,
    category: r.category,
    priority: old.priority,
    ...(old.policy.officeId !== undefined && { officeId: old.policy.officeId }),
    reporter: reply.author,
    externalRef: `follow-up:${old.requestId}:${digest}`,
    followUpOf: old.requestId,
    ...(reply.occurredAt !== undefined && { receivedAt: reply.occurredAt }),
  };
}

export function createCustomerReplyService(deps: { requests: RequestService; registration: RegistrationService }) {
  return {
    async reply(requestId: string, reply: CustomerReply, by: Actor, caller: Caller, opts: { updateId?: string } = {}): Promise<CustomerReplyOutcome> {
      try {
        return { snapshot: await deps.requests.act(requestId, customerReplyUpdate, reply, by, opts), followUp: null };
      } catch (err) {
        // Cancelled stays final (409); closed past its window: the reply starts a new request.
        if (!(err instanceof FinishedRequestProblem) || err.request.state !== 'closed') throw err;
        const { created, snapshot } = await deps.registration.register(caller, followUpInput(err.request, reply));
        return { snapshot, followUp: { created } };
      }
    },
  };
}

export type CustomerReplyService = ReturnType<typeof createCustomerReplyService>;
