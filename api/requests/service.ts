import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Actor, RequestSnapshot } from '../../domain/request/snapshot';
import type { RequestReceipt } from '../../workflows/messages';
import { findRequest, snapshotFromRow, type RequestRow } from '../../db/queries/requests';
import { ConflictProblem, NotFoundProblem } from '../problems';

/** The request's workflow completed: cancelled, or closed past its reopen window. */
export class FinishedRequestProblem extends ConflictProblem {
  constructor(readonly request: RequestSnapshot) {
    super(`request ${request.requestId} is ${request.state} for good and can no longer change`, { state: request.state });
  }
}

export interface RequestServiceDeps {
  client: Client;
  db: Knex;
}

/**
 * Request use cases after registration (`services/registration`): each is one Temporal call
 * (the workflow owns the request) or one read.
 */
export function createRequestService(deps: RequestServiceDeps) {
  const { client, db } = deps;

  async function rowOrNotFound(requestId: string): Promise<RequestRow> {
    const row = await findRequest(db, requestId);
    if (!row) throw new NotFoundProblem(`request ${requestId}`);
    return row;
  }

  return {
    async get(requestId: string): Promise<RequestSnapshot> {
      return snapshotFromRow(await rowOrNotFound(requestId));
    },

    /**
     * Sends an agent's or the customer's action, with the calling key (`by`) for the audit
     * trail; the workflow's validator may refuse it (409). The Update answers once the change
     * is written to PostgreSQL: the request is then read from there (at that revision or later).
     */
    async act<A extends object>(requestId: string, update: UpdateDefinition<RequestReceipt, [A]>, arg: A, by: Actor): Promise<RequestSnapshot> {
      const row = await rowOrNotFound(requestId);
      try {
        await client.workflow.getHandle(row.workflow_id).executeUpdate(update, { args: [{ ...arg, by }] });
        return snapshotFromRow(await rowOrNotFound(requestId));
      } catch (err) {
        // The workflow completed (cancelled, or closed past its reopen window): nothing can change it.
        if (err instanceof WorkflowNotFoundError) {
          const latest = (await findRequest(db, requestId)) ?? row;
          throw new FinishedRequestProblem(snapshotFromRow(latest));
        }
        throw err;
      }
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
