import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Registration } from '../../domain/request/registration';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { findRequest } from '../../db/queries/requests';
import { registeredUpdate, respondUpdate, type Reply } from '../../workflows/messages';
import type { supportRequest } from '../../workflows/support-request';
import { requestIdentity } from '../request-identity';
import { NotFoundProblem } from '../problems';

export interface RequestServiceDeps {
  client: Client;
  db: Knex;
  taskQueue: string;
  /** Wall-clock first-response target until the calendar-based clocks land. */
  firstResponseTargetMs: number;
}

export type Registered = { created: boolean; snapshot: RequestSnapshot } | { created: false; requestId: string };

/** Request use cases: each is one Temporal call (the workflow owns the request) or one read. */
export function createRequestService(deps: RequestServiceDeps) {
  const { client, db, taskQueue } = deps;

  return {
    /**
     * Update-with-start: starts the request's workflow unless it already runs, and returns
     * once the workflow has written the request. A retry lands on the same workflow id; a
     * request whose workflow already finished is never started again (REJECT_DUPLICATE).
     */
    async register(scope: string, key: string, registration: Registration): Promise<Registered> {
      const { requestKey, requestId, workflowId } = requestIdentity(scope, key);
      const existing = await findRequest(db, requestId);
      const start = new WithStartWorkflowOperation<typeof supportRequest>('supportRequest', {
        workflowId,
        taskQueue,
        args: [{ requestId, requestKey, registration, firstResponseTargetMs: deps.firstResponseTargetMs }],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      try {
        const snapshot = await client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: start });
        return { created: !existing, snapshot };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { created: false, requestId };
        throw err;
      }
    },

    async respond(requestId: string, reply: Reply): Promise<RequestSnapshot> {
      const row = await findRequest(db, requestId);
      if (!row) throw new NotFoundProblem(`request ${requestId}`);
      return client.workflow.getHandle(row.workflow_id).executeUpdate(respondUpdate, { args: [reply] });
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
