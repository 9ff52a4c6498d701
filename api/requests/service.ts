import { workflowSummary } from '../../workflows/search-attributes';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { Knex } from 'knex';
import type { Registration } from '../../domain/request/registration';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { contractHasQuota, LockTimeoutError, withAdvisoryLock } from '../../db/queries/locks';
import { findRequest, snapshotFromRow, type RequestRow } from '../../db/queries/requests';
import type { PinnedPolicy } from '../../domain/policy/pinned';
import type { Priority } from '../../domain/policy/vocabulary';
import { registeredUpdate } from '../../workflows/messages';
import type { supportRequest, SupportRequestInput } from '../../workflows/support-request';
import { admitRegistration, refusalProblem } from '../policy';
import { ConflictProblem, NotFoundProblem, UnavailableProblem } from '../problems';
import { requestIdentity } from '../request-identity';

export interface RequestServiceDeps {
  client: Client;
  db: Knex;
  taskQueue: string;
  workflowOptions?: SupportRequestInput['options'];
}

export interface IntakeFields extends Registration {
  channel: string;
  category: string;
  priority?: Priority;
  officeId?: string;
}

export interface Registered {
  created: boolean;
  snapshot: RequestSnapshot;
}

/** Request use cases: each is one Temporal call (the workflow owns the request) or one read. */
export function createRequestService(deps: RequestServiceDeps) {
  const { client, db, taskQueue } = deps;

  async function rowOrNotFound(requestId: string): Promise<RequestRow> {
    const row = await findRequest(db, requestId);
    if (!row) throw new NotFoundProblem(`request ${requestId}`);
    return row;
  }

  return {
    /**
     * Admission decides the level and pins the policy; then update-with-start starts the
     * request's workflow unless it already runs and returns once the workflow has written
     * the request. A retry (same key, any API process) lands on the same workflow; a request
     * whose workflow already finished is never started again (REJECT_DUPLICATE).
     */
    async register(scope: string, key: string, fields: IntakeFields): Promise<Registered> {
      const { requestKey, requestId, workflowId } = requestIdentity(scope, key);
      const existing = await findRequest(db, requestId);
      if (existing) return { created: false, snapshot: snapshotFromRow(existing) };

      const { officeId, ...registration } = fields;
      const admit = async () => {
        const admission = await admitRegistration(db, {
          customerId: fields.customerId,
          productId: fields.productId,
          channel: fields.channel,
          category: fields.category,
          priority: fields.priority,
          officeId,
          at: Date.now(),
        });
        if (!admission.ok) throw refusalProblem(admission.refusal);
        return admission.pinned;
      };
      const start = async (policy: PinnedPolicy): Promise<Registered> => {
        const operation = new WithStartWorkflowOperation<typeof supportRequest>('supportRequest', {
          workflowId,
          taskQueue,
          args: [{ requestId, requestKey, registration, policy, options: deps.workflowOptions }],
          // Temporal user metadata: what the Web UI and `temporal workflow describe` show as its summary.
          staticSummary: workflowSummary(requestId, registration.subject, policy.level),
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
        try {
          const snapshot = await client.workflow.executeUpdateWithStart(registeredUpdate, { startWorkflowOperation: operation });
          // Two first attempts racing with the same key both land here: both answer 201, one request.
          return { created: true, snapshot };
        } catch (err) {
          if (err instanceof WorkflowExecutionAlreadyStartedError) return { created: false, snapshot: snapshotFromRow(await rowOrNotFound(requestId)) };
          throw err;
        }
      };

      const policy = await admit();
      if (!policy.contractId || !(await contractHasQuota(db, policy.contractId))) return start(policy);
      // A quota is counted from committed requests: admit again and register while holding the
      // contract's lock, so two registrations can never both take the last slot.
      try {
        return await withAdvisoryLock(db, `contract-quota:${policy.contractId}`, async () => start(await admit()));
      } catch (err) {
        if (err instanceof LockTimeoutError) throw new UnavailableProblem(`too many concurrent registrations under contract ${policy.contractId}; retry`);
        throw err;
      }
    },

    async get(requestId: string): Promise<RequestSnapshot> {
      return snapshotFromRow(await rowOrNotFound(requestId));
    },

    /** Sends an agent's or the customer's action; the workflow's validator may refuse it (409). */
    async act<A>(requestId: string, update: UpdateDefinition<RequestSnapshot, [A]>, arg: A): Promise<RequestSnapshot> {
      const row = await rowOrNotFound(requestId);
      try {
        return await client.workflow.getHandle(row.workflow_id).executeUpdate(update, { args: [arg] });
      } catch (err) {
        // The workflow completed (cancelled, or closed past its reopen window): nothing can change it.
        if (err instanceof WorkflowNotFoundError) {
          const latest = (await findRequest(db, requestId)) ?? row;
          throw new ConflictProblem(`request ${requestId} is ${latest.state} for good and can no longer change`, { state: latest.state });
        }
        throw err;
      }
    },
  };
}

export type RequestService = ReturnType<typeof createRequestService>;
