/**
 * Safe retries of agent and customer actions (`POST /v1/requests/:id/<action>`) with an
 * `Idempotency-Key` header, as payment APIs do: a retry of the same action with the same body
 * answers like the first attempt (same status, the request as it is now) and records nothing
 * new, even while the first attempt is still in flight or after its API process died.
 *
 * - The key's namespace is the caller's, as for registration (its API key, or the intake source
 *   its keys share), so two callers' keys never meet; the request id scopes it further.
 * - The Temporal Update ID is derived from (namespace, request, key): within a workflow run,
 *   Temporal itself runs the Update once, and a duplicate sent while it runs waits for it.
 * - `request_action_keys` (PostgreSQL, claimed with insert … on conflict before the Update is
 *   sent) keeps the first action and body, so another action or body under the same key is
 *   refused (422 `idempotency-key-reused`) in every API process; and the outcome once known, so a
 *   retry after a refusal gets the same 409 instead of applying to a changed request, and a retry
 *   after the workflow continued as new (Update IDs are per run) is not sent again.
 * - A retry whose first attempt left no outcome (its process died) first reads the closed runs
 *   that started since the key was claimed (./update-outcome-in-history.ts).
 */
import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Knex } from 'knex';
import {
  claimActionKey,
  findActionKey,
  recordActionApplied,
  recordActionRefused,
  type ActionKeyRef,
  type ActionKeyRow,
  type StoredRefusal,
} from '../../db/queries/action-keys';
import { actionFingerprint, actionKeyDifferences, type ActionFingerprint } from '../../domain/request/action-key';
import { intakeNamespace } from '../../domain/request/intake';
import type { RequestSnapshot } from '../../domain/request/snapshot';
import { requestWorkflowId } from '../../domain/request/workflow-id';
import { toProblem } from '../error-middleware';
import { Problem } from '../problems';
import { parseWith } from '../validate';
import { idempotencyKeySchema } from './schemas';
import { FinishedRequestProblem } from './service';
import { updateFailedError, updateOutcomeInClosedRuns } from './update-outcome-in-history';

/** The header's value, or undefined without one; 400 naming `header:idempotency-key` when malformed. */
export function actionIdempotencyKey(header: string | undefined): string | undefined {
  return header === undefined ? undefined : parseWith(header, idempotencyKeySchema, 'header:idempotency-key');
}

/** The Temporal Update ID of a keyed action: the same in every API process and every retry. */
export function actionUpdateId(namespace: string, requestId: string, key: string): string {
  return `action-${createHash('sha256').update(JSON.stringify([namespace, requestId, key])).digest('base64url')}`;
}

/** What `request_action_keys` keeps of each body field: a digest, not the text. */
const fieldDigest = (canonicalValue: string) => createHash('sha256').update(canonicalValue).digest('base64url');

/** 422: the key was first used for another action or body on this request (the registration's problem shape). */
export class ActionKeyReusedProblem extends Problem {
  constructor(key: string, requestId: string, first: ActionFingerprint, fields: readonly string[]) {
    super(
      422,
      'Unprocessable request',
      `Idempotency-Key "${key}" was first used for ${first.action} on request ${requestId} with other values (${fields.join(', ')}); use a new key for a new action`,
      {
        rule: 'idempotency-key-reused',
        requestId,
        action: first.action,
        differingFields: fields,
        errors: [
          { field: 'header:idempotency-key', rule: 'idempotency-key-reused', message: `already used for ${first.action} on request ${requestId} with other values` },
          ...fields.map((f) => ({ field: f, rule: 'idempotency-key-reused', message: `differs from the first ${first.action} sent with this Idempotency-Key` })),
        ],
      },
    );
  }
}

/** What an action answers: its HTTP status and the request to show (this one, or a follow-up). */
export interface ActionAnswer {
  status: number;
  snapshot: RequestSnapshot;
}

export interface KeyedAction {
  caller: { keyId: string; intakeSource?: string | null };
  requestId: string;
  /** The Idempotency-Key header, undefined without one. */
  key: string | undefined;
  /** The route's last path segment, e.g. `responses`. */
  action: string;
  /** The parsed body. */
  body: object;
}

/**
 * A refusal is recorded (and replayed) only when the request's state refused the action: an
 * Update the workflow refused, or a workflow that has completed. Anything else (Temporal or the
 * database down, a follow-up registration that could not go ahead) may succeed on a retry.
 */
function refusalOf(err: unknown): StoredRefusal | undefined {
  const refused = err instanceof FinishedRequestProblem || (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure);
  if (!refused) return undefined;
  const p = toProblem(err);
  return { status: p.status, title: p.title, detail: p.message, extra: p.extra };
}

/** A key claimed this long before a run started may still have reached the run before it (clock skew between PostgreSQL and Temporal). */
const CLOCK_SKEW_MARGIN_MS = 5 * 60_000;

export function createIdempotentActions(deps: { db: Knex; client: Client; get: (requestId: string) => Promise<RequestSnapshot> }) {
  const { db, client } = deps;

  async function replay(row: ActionKeyRow): Promise<ActionAnswer> {
    if (row.outcome === 'refused' && row.refusal) throw new Problem(row.refusal.status, row.refusal.title, row.refusal.detail, row.refusal.extra);
    return { status: row.answer_status ?? 200, snapshot: await deps.get(row.answer_request_id ?? row.request_id) };
  }

  return {
    /**
     * Sends the action once per key. `firstAttemptChecks` run unless the outcome is already
     * known (e.g. the bounds of `occurredAt`, which a late retry of a recorded action need not
     * pass again); `send` sends the Update with the given ID (undefined without a key).
     */
    async perform(a: KeyedAction, firstAttemptChecks: () => void, send: (updateId: string | undefined) => Promise<ActionAnswer>): Promise<ActionAnswer> {
      if (a.key === undefined) {
        firstAttemptChecks();
        return send(undefined);
      }
      const ref: ActionKeyRef = { namespace: intakeNamespace(a.caller), requestId: a.requestId, key: a.key };
      const fingerprint = actionFingerprint(a.action, a.body, fieldDigest);
      const updateId = actionUpdateId(ref.namespace, ref.requestId, ref.key);
      const compare = (row: ActionKeyRow) => {
        const differing = actionKeyDifferences(row.fingerprint, fingerprint);
        if (differing.length > 0) throw new ActionKeyReusedProblem(ref.key, ref.requestId, row.fingerprint, differing);
      };

      const known = await findActionKey(db, ref);
      if (known) {
        compare(known);
        if (known.outcome) return replay(known);
      }
      firstAttemptChecks();
      const { row, claimed } = known ? { row: known, claimed: false } : await claimActionKey(db, { ...ref, fingerprint, updateId, byKeyId: a.caller.keyId });
      if (!claimed) {
        compare(row);
        if (row.outcome) return replay(row);
        // In flight elsewhere, or its process died. A run that closed since the claim may have run it.
        const earlier = await updateOutcomeInClosedRuns(client, requestWorkflowId(ref.requestId), updateId, row.claimed_at.getTime() - CLOCK_SKEW_MARGIN_MS);
        if (earlier?.ran === 'success') {
          await recordActionApplied(db, ref, { status: 200, requestId: ref.requestId });
          return replay((await findActionKey(db, ref)) ?? row);
        }
        const refusal = earlier?.ran === 'failure' ? refusalOf(updateFailedError(client, earlier.failure)) : undefined;
        if (refusal) {
          await recordActionRefused(db, ref, refusal);
          return replay((await findActionKey(db, ref)) ?? { ...row, outcome: 'refused', refusal });
        }
      }

      let answer: ActionAnswer;
      try {
        answer = await send(updateId);
      } catch (err) {
        const refusal = refusalOf(err);
        if (refusal) await recordActionRefused(db, ref, refusal);
        throw err;
      }
      await recordActionApplied(db, ref, { status: answer.status, requestId: answer.snapshot.requestId });
      return answer;
    },
  };
}

export type IdempotentActions = ReturnType<typeof createIdempotentActions>;
