/**
 * Request admission: the level a new request is served under, or a refusal.
 *
 * The request is served under the strongest level the customer holds (for the product, if one
 * is named) whose services include the category AND whose channels include the channel. So a
 * licensed customer asking about a promotion is served under initial terms, and a contract
 * customer reporting a defect falls back to warranty when the contract does not cover defects.
 *
 * Decisions where the source is silent:
 * - Initial-level requests need a sales office (its calendar runs the clocks): `officeId`, or
 *   else the customer's own office from the facts; with neither, refusal `office-required`.
 * - A contract whose quota is used up is passed over, and the request falls through to the next
 *   level that fits (the customer keeps the free levels they hold); only when nothing else fits
 *   is it refused with `quota-exhausted`. Warranty and the other catalogue levels are unlimited.
 * - A request naming no product is matched only against levels not bound to a product
 *   (initial, contracts without a product list).
 */
import { z } from 'zod';
import { isKnownChannel, isKnownService, type Catalogue } from './catalogue';
import { entitlementsAt, type Entitlement } from './entitlement';
import { PolicyInputError } from './errors';
import type { PolicyFacts, SalesOffice } from './facts';
import { pinPolicy, type PinnedPolicy } from './pinned';
import { quotaPeriodAt, quotaState } from './quota';
import type { AdmissionRefusal, AllowedTerms, RefusalRule } from './refusal';
import { termsFor, type ServiceTerms } from './terms';
import { EpochMsSchema, PrioritySchema, RecordIdSchema, type LevelId } from './vocabulary';

export const AdmissionRequestSchema = z.strictObject({
  customerId: RecordIdSchema.optional().describe('Absent for an anonymous person (initial support only).'),
  productId: RecordIdSchema.optional().describe('The product the request is about; needed for basic, warranty and pilot.'),
  channel: z.string().min(1).describe('Catalogue channel id, e.g. "supplier-phone".'),
  category: z.string().min(1).describe('Catalogue service id, e.g. "defect-report".'),
  priority: PrioritySchema,
  at: EpochMsSchema.describe('The registration instant, epoch ms.'),
  officeId: RecordIdSchema.optional().describe("The sales office for initial-level requests; defaults to the customer's office."),
  quotaUsage: z
    .record(RecordIdSchema, z.number().int().min(0))
    .optional()
    .describe('Per contract id: requests already registered under it in its current quota period (see quotaPeriodAt).'),
});
export type AdmissionRequest = z.infer<typeof AdmissionRequestSchema>;

export type AdmissionResult =
  | { ok: true; level: LevelId; entitlement: Entitlement; pinned: PinnedPolicy }
  | { ok: false; refusal: AdmissionRefusal };

interface Candidate {
  entitlement: Entitlement;
  terms: ServiceTerms;
}

function allowedTerms(candidates: readonly Candidate[]): AllowedTerms[] {
  const seen = new Set<string>();
  const out: AllowedTerms[] = [];
  for (const { entitlement: e, terms } of candidates) {
    const entry: AllowedTerms = {
      level: e.level,
      ...(terms.contract && { contractId: terms.contract.id }),
      products: e.products === 'all' ? 'all' : [...e.products],
      channels: [...terms.channels],
      services: [...terms.services],
    };
    const key = JSON.stringify(entry);
    if (!seen.has(key)) out.push(entry);
    seen.add(key);
  }
  return out;
}

/**
 * Chooses the level a request is served under and pins its terms.
 * Throws {@link PolicyInputError} when a fitting contract has a quota and `quotaUsage` lacks
 * its count: only the caller can count, and guessing 0 would hand out paid service.
 *
 * @example
 * admitRequest(catalogue, facts, {
 *   customerId: 'c1', productId: 'kompas', channel: 'supplier-phone', category: 'defect-report',
 *   priority: 'normal', at: Date.UTC(2026, 5, 1, 9),
 * })
 * // { ok: true, level: 'warranty', pinned: { calendar: { id: 'supplier' },
 * //   targets: { firstResponse: { workingMs: 28_800_000 }, resolution: { workingMs: 144_000_000 } }, ... } }
 */
export function admitRequest(catalogue: Catalogue, facts: PolicyFacts, request: AdmissionRequest): AdmissionResult {
  const { customerId, productId, channel, category, officeId, at } = request;
  const customer = customerId === undefined ? undefined : facts.customers.find((c) => c.id === customerId);
  const withTerms = (list: readonly Entitlement[]): Candidate[] => list.map((e) => ({ entitlement: e, terms: termsFor(catalogue, facts, e) }));
  // Every level held, for any product: the "allowed" list of refusals and the product-required check.
  const everything = withTerms(entitlementsAt(facts, { ...(customer && { customerId: customer.id }), at }));
  const refuse = (rule: RefusalRule, message: string, field?: AdmissionRefusal['field'], shown = everything): AdmissionResult => ({
    ok: false,
    refusal: { rule, message, ...(field && { field }), allowed: allowedTerms(shown) },
  });

  if (customerId !== undefined && !customer) return refuse('unknown-customer', `customer "${customerId}" is not known`, 'customerId');
  if (productId !== undefined && !facts.products.some((p) => p.id === productId))
    return refuse('unknown-product', `product "${productId}" is not known`, 'productId');
  let office: SalesOffice | undefined;
  if (officeId !== undefined) {
    office = facts.salesOffices.find((o) => o.id === officeId);
    if (!office) return refuse('unknown-office', `sales office "${officeId}" is not known`, 'officeId');
  }
  if (!isKnownChannel(catalogue, channel)) return refuse('unknown-channel', `channel "${channel}" is not in catalogue ${catalogue.catalogueVersion}`, 'channel');
  if (!isKnownService(catalogue, category))
    return refuse('unknown-category', `category "${category}" is not in catalogue ${catalogue.catalogueVersion}`, 'category');

  const candidates =
    productId === undefined
      ? everything.filter((c) => c.entitlement.products === 'all')
      : withTerms(entitlementsAt(facts, { ...(customer && { customerId: customer.id }), productId, at }));
  const fits = ({ terms }: Candidate) => terms.services.includes(category) && terms.channels.includes(channel);

  const passedOver: string[] = [];
  let quotaExhausted: string | undefined;
  for (const candidate of candidates) {
    const { entitlement, terms } = candidate;
    const label = terms.contract ? `${entitlement.level} (contract ${terms.contract.id})` : entitlement.level;
    if (!terms.services.includes(category)) {
      passedOver.push(`${label} passed over: "${category}" is not among its services`);
      continue;
    }
    if (!terms.channels.includes(channel)) {
      passedOver.push(`${label} passed over: channel "${channel}" is not among its channels`);
      continue;
    }
    const notes: string[] = [];
    if (terms.contract && terms.quota) {
      const contractId = terms.contract.id;
      const used = request.quotaUsage?.[contractId];
      if (used === undefined) throw new PolicyInputError(`quotaUsage.${contractId}`, 'contract has a request quota; pass the count of requests already registered in its quota period');
      const period = quotaPeriodAt(terms.contract, at)!;
      const state = quotaState(terms.quota, used);
      if (state.kind === 'exhausted') {
        quotaExhausted = `contract ${contractId}: ${state.used} of ${state.maxRequests} requests used in ${period.from}..${period.through}`;
        passedOver.push(`${label} passed over: quota exhausted, ${state.used} of ${state.maxRequests} requests in ${period.from}..${period.through}`);
        continue;
      }
      notes.push(`quota: request ${used + 1} of ${terms.quota.maxRequests} in ${period.from}..${period.through}`);
    }
    if (terms.calendar.kind === 'office') {
      const defaultOffice = customer?.officeId === undefined ? undefined : facts.salesOffices.find((o) => o.id === customer.officeId);
      office ??= defaultOffice;
      if (!office)
        return refuse('office-required', `${entitlement.level}-level requests run on a sales office's schedule: name the office in officeId`, 'officeId', candidates);
      notes.push(`served by sales office ${office.id} "${office.name}" on calendar ${office.calendarId}${officeId === undefined ? " (the customer's office)" : ''}`);
    }
    const pinned = pinPolicy({
      catalogue,
      terms,
      priority: request.priority,
      ...(terms.calendar.kind === 'office' && office && { office }),
      reasons: [entitlement.reason, ...notes, ...passedOver],
      at,
      ...(customer && { customerId: customer.id }),
      ...(productId !== undefined && { productId }),
    });
    return { ok: true, level: entitlement.level, entitlement, pinned };
  }

  if (quotaExhausted) return refuse('quota-exhausted', `request quota exhausted (${quotaExhausted}) and no other level held fits`, undefined, candidates);
  if (productId === undefined && everything.some((c) => c.entitlement.products !== 'all' && fits(c)))
    return refuse('product-required', `"${category}" via "${channel}" is offered only for a specific product: name it in productId`, 'productId');
  const covering = candidates.filter((c) => c.terms.services.includes(category));
  if (covering.length > 0) {
    const channels = [...new Set(covering.flatMap((c) => c.terms.channels))];
    return refuse('channel-not-allowed', `"${category}" is offered through ${channels.join(', ')}, not through "${channel}"`, 'channel', candidates);
  }
  const scope = productId === undefined ? '' : ` for product "${productId}"`;
  return refuse('category-not-covered', `no support level held${scope} covers "${category}"`, 'category', candidates);
}
