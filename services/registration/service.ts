import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { startSearchAttributes, workflowSummary } from '../../workflows/search-attributes';
import type { Knex } from 'knex';
import { contractHasQuota, LockTimeoutError, withAdvisoryLock } from '../../db/queries/locks';
import { findIntakeByKey, findIntakeByRequestId, hasIntakeTrace, insertIntake, releaseIntake, type IntakeRow, type NewIntake } from '../../db/queries/request-intake';
import { findRequest, snapshotFromRow, type RequestRow } from '../../db/queries/requests';
import { snapshotAsWritten, writeWholeRequest } from '../../db/queries/request-projection';
import { withCalendarVersion, type PinnedPolicy } from '../../domain/policy/pinned';
import { fingerprintDifferences, intakeFingerprint, intakeNamespace, type Fingerprint, type IntakeKey } from '../../domain/request/intake';
import { intakeIdentity, legacyIdentity, type RequestIdentity } from './identity';
import type { Actor, RequestSnapshot } from '../../domain/request/snapshot';
import { registeredWithOfferUpdate, type RegistrationReceipt } from '../../workflows/messages';
import type { supportRequest, SupportRequestInput } from '../../workflows/support-request';
import { UnknownCalendarError, type CalendarRegistry } from '../calendar-registry';
import { admitRegistration } from './admission';
import { cachedFactsLoader, type FactsLoader } from './facts-cache';
import { registrationAnswers } from './answers-ahead';
import {
  AdmissionRefusedError,
  CustomerScopeError,
  IdempotencyKeyReusedError,
  MissingCalendarError,
  MissingIntakeKeyError,
  RegistrationBusyError,
} from './errors';
import type { RegistrationInput } from './input';

/** Who registers: the calling API key. */
export interface Caller extends Actor {
  /** A customer's own integration registers for that customer only. */
  customerScope: string | null;
  /** Keys of one intake integration share its idempotency namespace. */
  intakeSource?: string | null;
}

export interface RegistrationServiceDeps {
  client: Client;
  db: Knex;
  calendars: CalendarRegistry;
  taskQueue: string;
  workflowOptions?: SupportRequestInput['options'];
  /** How long a registration waits for its contract's quota lock before answering 503. */
  lockTimeoutMs?: number;
  /** The office serving anonymous requests from the support-site form; absent: they must name one. */
  siteFormOfficeId?: string;
}

export interface Registered {
  created: boolean;
  snapshot: RequestSnapshot;
}

const ATTEMPTS = 3;

/** A request received earlier is admitted on the facts, catalogue and calendar in force at its receipt. */
function admissionInstant(input: RegistrationInput): number {
  return Math.min(input.receivedAt === undefined ? Date.now() : Date.parse(input.receivedAt), Date.now());
}

/** What the projection kept of a registration (priority and office are not kept: not compared). */
function rowFingerprint(row: RequestRow): Fingerprint {
  return {
    subject: row.subject,
    description: row.description,
    customerId: row.customer_id,
    productId: row.product_id,
    channel: row.channel,
    category: row.category,
    reporter: row.reporter,
    externalRef: row.external_ref,
  };
}

/**
 * Registration, all or nothing: admission (policy and calendar) first, then a claim of the
 * intake key in `request_intake` (for a quota contract: admitted again and claimed under the
 * contract's lock, in one short transaction; for a new key of a customer whose facts this
 * process keeps: the key's lookups and the claim in one statement), then update-with-start,
 * which returns once the workflow has registered the request. The start carries registration's calendar answers, the
 * request's search attributes and the digest of its first write, all planned here
 * (answers-ahead.ts); when the workflow planned the same write, this commits it, else the
 * workflow wrote it. A start that fails gives the claim back, and a failed workflow run does
 * not block its id (ALLOW_DUPLICATE_FAILED_ONLY): a retry starts afresh. A replay of the key
 * answers the same request if its content is the same, else 422; if the first attempt died
 * before committing its write, the replay's `registered` Update makes the workflow write it.
 */
export function createRegistrationService(deps: RegistrationServiceDeps) {
  const { client, db, calendars, taskQueue } = deps;
  const loadFacts = cachedFactsLoader();
  const answersAhead = registrationAnswers(calendars);

  /** The policy the request is admitted under, with the calendar version in force pinned. */
  async function admit(q: Knex, input: RegistrationInput, atMs: number, facts: FactsLoader = loadFacts): Promise<PinnedPolicy> {
    const admission = await admitRegistration(q, {
      ...(input.customerId !== undefined && { customerId: input.customerId }),
      ...(input.productId !== undefined && { productId: input.productId }),
      ...(input.officeId !== undefined && { officeId: input.officeId }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.reporter !== undefined && { reporter: input.reporter }),
      ...(deps.siteFormOfficeId !== undefined && { siteFormOfficeId: deps.siteFormOfficeId }),
      channel: input.channel,
      category: input.category,
      at: atMs,
    }, facts);
    if (!admission.ok) throw new AdmissionRefusedError(admission.refusal);
    return admission.pinned;
  }

  async function pinCalendar(policy: PinnedPolicy, atMs: number): Promise<PinnedPolicy> {
    try {
      const cal = await calendars.resolve(policy.calendar.id, { atMs });
      return withCalendarVersion(policy, cal.versionId ?? '1');
    } catch (err) {
      if (!(err instanceof UnknownCalendarError)) throw err;
      if (policy.officeId) throw new MissingCalendarError(policy.calendar.id, 'officeId', `sales office "${policy.officeId}"`);
      if (policy.contractId) throw new MissingCalendarError(policy.calendar.id, 'customerId', `contract "${policy.contractId}"`);
      throw new MissingCalendarError(policy.calendar.id, 'channel', `support level "${policy.level}"`);
    }
  }

  /**
   * The common case in one statement before the start: a new key, admitted on the facts this
   * process keeps for its customer, claimed only if nothing is on record for the key and those
   * facts are still current. Anything else (no facts kept, a refusal, a quota contract, whose
   * claim takes its lock, a replay, facts changed since) answers undefined having written
   * nothing, and registration takes the full path.
   */
  async function claimOnKeptFacts(input: RegistrationInput, claim: Omit<NewIntake, 'policy' | 'atMs'>, requestIds: string[]): Promise<PinnedPolicy | undefined> {
    const kept = loadFacts.kept(input.customerId, { productIds: input.productId === undefined ? [] : [input.productId] });
    if (!kept || kept.facts.contracts.some((c) => c.sla.quota)) return undefined;
    const atMs = admissionInstant(input);
    let policy: PinnedPolicy;
    try {
      policy = await pinCalendar(await admit(db, input, atMs, async () => kept.facts), atMs);
    } catch (err) {
      if (err instanceof AdmissionRefusedError || err instanceof MissingCalendarError) return undefined;
      throw err;
    }
    const claimed = await insertIntake(db, { ...claim, policy, atMs }, { requestIds, factsVersion: kept.version });
    return claimed ? policy : undefined;
  }

  /** The claim of this key: scoped by caller and customer, or a request registered before keys were scoped. */
  async function findClaim(key: IntakeKey, legacyId: RequestIdentity): Promise<IntakeRow | undefined> {
    const claim = await findIntakeByKey(db, key);
    if (claim) return claim;
    // An old unscoped key named one request for every customer; it is this caller's only if the customer matches.
    const legacy = await findIntakeByRequestId(db, legacyId.requestId);
    if (legacy) return legacy.namespace.startsWith('legacy:') && legacy.customer_key === key.customerKey ? legacy : undefined;
    // Registered by an API process of the previous release after the migration's backfill ran (a rolling upgrade).
    const row = await findRequest(db, legacyId.requestId);
    if (!row || row.request_key !== legacyId.requestKey || (row.customer_id ?? '') !== key.customerKey) return undefined;
    return {
      request_id: row.id,
      request_key: row.request_key,
      namespace: 'legacy:',
      customer_key: key.customerKey,
      key_kind: key.kind,
      intake_key: key.key,
      fingerprint: rowFingerprint(row),
      policy: row.policy,
      contract_id: row.policy.contractId ?? null,
      claimed_at: row.registered_at,
      claimed_by_key_id: null,
      claimed_by_role: null,
    };
  }

  /**
   * Starts the request's workflow (or joins the one started), registered now. When the workflow
   * planned the very write planned here, it wrote nothing and this commits it; else the workflow
   * wrote the request and it is read back.
   */
  async function start(identity: RequestIdentity, policy: PinnedPolicy, input: RegistrationInput, by: Actor): Promise<Registered> {
    const { officeId: _office, receivedAt, ...registration } = input;
    const receivedAtMs = receivedAt === undefined ? undefined : Date.parse(receivedAt);
    const ids = { requestId: identity.requestId, requestKey: identity.requestKey };
    const registeredAtMs = Date.now();
    const { answered, write } = await answersAhead({ ids, registration, policy, by, atMs: registeredAtMs, ...(receivedAtMs !== undefined && { receivedAtMs }) });
    const operation = new WithStartWorkflowOperation<typeof supportRequest>('supportRequest', {
      workflowId: identity.workflowId,
      taskQueue,
      args: [{ ...ids, registration, policy, by, options: deps.workflowOptions, registeredAtMs, answered, ...(receivedAtMs !== undefined && { receivedAtMs }), ...(write && { plannedDigest: write.digest }) }],
      // Temporal user metadata: what the Web UI and `temporal workflow describe` show as its summary.
      staticSummary: workflowSummary(identity.requestId, registration.subject, policy.level),
      // Its SLA search attributes from the start: the workflow upserts them only once they change.
      ...(deps.workflowOptions?.searchAttributes && write && { typedSearchAttributes: startSearchAttributes(write.snapshot) }),
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A failed, terminated or timed-out run must not block the retry; a completed one still dedupes.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    });
    let receipt: RegistrationReceipt;
    try {
      receipt = await client.workflow.executeUpdateWithStart(registeredWithOfferUpdate, { startWorkflowOperation: operation, args: [{ plannedDigest: write?.digest }] });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        const row = await findRequest(db, identity.requestId);
        if (row) return { created: false, snapshot: snapshotFromRow(row) };
      }
      // Nothing started (or it failed): give the key and its quota slot back.
      await releaseIntake(db, identity.requestId).catch(() => undefined);
      throw err;
    }
    // Two first attempts racing with the same key both land here: both answer 201, one request.
    if (receipt.commitPlanned && write) {
      // Moves the row forward by revision only: a commit after the workflow's own later write changes nothing.
      await writeWholeRequest(db, identity.workflowId, write.snapshot, write.events);
      return { created: true, snapshot: snapshotAsWritten(identity.workflowId, write.snapshot) };
    }
    const row = await findRequest(db, identity.requestId);
    if (!row) throw new Error(`request ${identity.requestId} answered registered but has no row`);
    return { created: true, snapshot: snapshotFromRow(row) };
  }

  async function replay(claim: IntakeRow, fingerprint: Fingerprint, key: IntakeKey, input: RegistrationInput, by: Actor): Promise<Registered> {
    const differing = fingerprintDifferences(claim.fingerprint, fingerprint);
    if (differing.length > 0) throw new IdempotencyKeyReusedError(key.kind, key.key, differing, claim.request_id);
    const row = await findRequest(db, claim.request_id);
    if (row) return { created: false, snapshot: snapshotFromRow(row) };
    if (!claim.policy) throw new RegistrationBusyError(`request ${claim.request_id} is still being registered; retry`);
    // The first attempt is still starting, or its process died before it could: start or join it.
    const identity = { requestId: claim.request_id, requestKey: claim.request_key, workflowId: `support-request-${claim.request_id}` };
    return start(identity, claim.policy, input, by);
  }

  return {
    async register(caller: Caller, input: RegistrationInput, idempotencyKey?: string): Promise<Registered> {
      if (caller.customerScope !== null && input.customerId !== caller.customerScope) throw new CustomerScopeError(caller.customerScope);
      const kind = idempotencyKey !== undefined ? 'idempotency-key' : 'external-ref';
      const keyValue = idempotencyKey ?? input.externalRef;
      if (!keyValue) throw new MissingIntakeKeyError();
      const key: IntakeKey = { namespace: intakeNamespace(caller), customerKey: input.customerId ?? '', kind, key: keyValue };
      const identity = intakeIdentity(key);
      const legacyId = legacyIdentity(caller.customerScope, key.kind, key.key);
      const fingerprint = intakeFingerprint(input);
      const by: Actor = { keyId: caller.keyId, role: caller.role };
      const claim = { key, requestId: identity.requestId, requestKey: identity.requestKey, fingerprint, by };
      const traceIds = [identity.requestId, legacyId.requestId];

      const onKeptFacts = await claimOnKeptFacts(input, claim, traceIds);
      if (onKeptFacts) return start(identity, onKeptFacts, input, by);

      for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (await hasIntakeTrace(db, key, traceIds)) {
          const held = await findClaim(key, legacyId);
          if (held) return replay(held, fingerprint, key, input, by);
          // Written but its claim given back (a start whose answer was lost): it is this key's request.
          const orphan = await findRequest(db, identity.requestId);
          if (orphan) return { created: false, snapshot: snapshotFromRow(orphan) };
        }

        const atMs = admissionInstant(input);
        const policy = await pinCalendar(await admit(db, input, atMs), atMs);
        const claimWith = (q: Knex, p: PinnedPolicy) => insertIntake(q, { ...claim, policy: p, atMs });

        let claimed: boolean;
        let pinned = policy;
        if (policy.contractId && (await contractHasQuota(db, policy.contractId))) {
          // A quota counts committed claims: admit again and claim under the contract's lock, on
          // the lock's own connection, so two registrations never both take the last slot. The
          // Temporal call comes after the commit: no transaction waits on it.
          const contractId = policy.contractId;
          try {
            const locked = await withAdvisoryLock(
              db,
              `contract-quota:${contractId}`,
              async (trx) => {
                const again = await admit(trx, input, atMs);
                // The level changed meanwhile (e.g. the quota ran out): its calendar may differ, start over.
                if (again.calendar.id !== policy.calendar.id) return { claimed: false as const, changed: true };
                const p = withCalendarVersion(again, policy.calendarVersionId!);
                return { claimed: await claimWith(trx, p), changed: false, p };
              },
              { timeoutMs: deps.lockTimeoutMs ?? 5_000 },
            );
            if (locked.changed) continue;
            claimed = locked.claimed;
            if (locked.p) pinned = locked.p;
          } catch (err) {
            if (err instanceof LockTimeoutError) throw new RegistrationBusyError(`too many concurrent registrations under contract ${contractId}; retry`);
            throw err;
          }
        } else {
          claimed = await claimWith(db, policy);
        }
        // Another attempt with the same key claimed it first: answer as its replay.
        if (!claimed) continue;
        return start(identity, pinned, input, by);
      }
      throw new RegistrationBusyError(`${kind} "${keyValue}" is being registered concurrently; retry`);
    },
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
