/**
 * Admission against the stored facts: what registration calls to choose the level a new
 * request is served under (or to refuse it), and what the entitlement preview shows.
 */
import type { Knex } from 'knex';
import {
  admitRequest,
  catalogueEffectiveAt,
  isWithin,
  localDateAt,
  PUBLISHED_CATALOGUES,
  quotaPeriodAt,
  type AdmissionResult,
  type Catalogue,
  type EpochMs,
  type PolicyFacts,
  type Priority,
  type QuotaPeriod,
} from '../../domain/policy';
import { countRequestsUnderContract, loadPolicyFacts } from '../../db/queries/policy';
import type { FactsLoader } from './facts-cache';

export interface RegistrationAdmissionInput {
  /** Absent: an anonymous person (initial support only). */
  customerId?: string;
  productId?: string;
  /** Catalogue channel id, e.g. "supplier-phone". */
  channel: string;
  /** Catalogue service id, e.g. "defect-report". */
  category: string;
  /** Default `normal`. */
  priority?: Priority;
  /** Sales office for an initial-level request; default the customer's office. */
  officeId?: string;
  /** The registration instant, epoch ms. */
  at: EpochMs;
  /** Who raises the request (checked when the level lets only registered representatives ask). */
  reporter?: string;
  /** The default office of anonymous requests from the support-site form (SITE_FORM_DEFAULT_OFFICE_ID). */
  siteFormOfficeId?: string;
}

export interface ContractQuotaUsage {
  period: QuotaPeriod;
  used: number;
}

/**
 * For every contract of the facts that is in force at `at` and has a request quota: its
 * current quota period and the requests already registered under it in that period.
 */
export async function contractQuotaUsage(db: Knex, facts: PolicyFacts, at: EpochMs): Promise<Record<string, ContractQuotaUsage>> {
  const today = localDateAt(at);
  const entries = await Promise.all(
    facts.contracts
      .filter((c) => c.sla.quota && isWithin(today, c.from, c.to))
      .map(async (c) => {
        const period = quotaPeriodAt(c, at)!;
        return [c.id, { period, used: await countRequestsUnderContract(db, c.id, period.from, period.through) }] as const;
      }),
  );
  return Object.fromEntries(entries);
}

/** Admission with facts, catalogue and quota usage already loaded (pure). */
export function admitWithFacts(catalogue: Catalogue, facts: PolicyFacts, usage: Record<string, ContractQuotaUsage>, input: RegistrationAdmissionInput): AdmissionResult {
  return admitRequest(catalogue, facts, {
    ...(input.customerId !== undefined && { customerId: input.customerId }),
    ...(input.productId !== undefined && { productId: input.productId }),
    ...(input.officeId !== undefined && { officeId: input.officeId }),
    channel: input.channel,
    category: input.category,
    priority: input.priority ?? 'normal',
    at: input.at,
    ...(input.reporter !== undefined && { reporter: input.reporter }),
    ...(input.siteFormOfficeId !== undefined && { siteFormOfficeId: input.siteFormOfficeId }),
    quotaUsage: Object.fromEntries(Object.entries(usage).map(([id, u]) => [id, u.used])),
  });
}

/**
 * Chooses the level a new request is served under, from the facts stored for its customer,
 * the catalogue in force at `at` and the contract quotas used so far; or refuses it. The pinned policy still lacks
 * `calendarVersionId`, which the caller adds once the calendar is resolved.
 *
 * Quotas count registered requests and the registrations in flight (`request_intake`); the
 * registration service admits again under the contract's lock before it claims a slot. The
 * facts come from `loadFacts` (the registration service passes its process's cache).
 *
 * @example
 * const result = await admitRegistration(db, { customerId: 'acme', productId: 'kompas', channel: 'supplier-phone', category: 'defect-report', at: Date.now() });
 * if (!result.ok) throw refusalProblem(result.refusal);
 * result.pinned.level // 'warranty'
 */
export async function admitRegistration(db: Knex, input: RegistrationAdmissionInput, loadFacts: FactsLoader = loadPolicyFacts): Promise<AdmissionResult> {
  const catalogue = catalogueEffectiveAt(PUBLISHED_CATALOGUES, input.at);
  const facts = await loadFacts(db, input.customerId, { productIds: input.productId === undefined ? [] : [input.productId] });
  return admitWithFacts(catalogue, facts, await contractQuotaUsage(db, facts, input.at), input);
}
