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
 * - Anonymous requests from the support-site form (channel `support-site-form`, no customer, no
 *   office) go to the deployment's default office for them (`siteFormOfficeId`) when one is
 *   configured, instead of `office-required`.
 * - A level whose terms let only registered representatives ask is passed over for any other
 *   reporter, like an exhausted quota (see who-may-ask.ts).
 * - A fall-through or a refusal says, in English and Russian, why each stronger level that could
 *   have served the category was not granted (`notGranted`, see not-granted.ts).
 */
import { z } from 'zod';
import { isKnownChannel, isKnownService, type Catalogue } from './catalogue';
import { entitlementsAt, type Entitlement } from './entitlement';
import { PolicyInputError } from './errors';
import type { PolicyFacts, SalesOffice } from './facts';
import { pinPolicy, type PinnedPolicy } from './pinned';
import { quotaPeriodAt, quotaState } from './quota';
import { explain, notInTerms, ruDate, whyNotHeld, type NotGranted } from './not-granted';
import type { AdmissionRefusal, AllowedTerms, RefusalRule } from './refusal';
import { termsFor, type ServiceTerms } from './terms';
import { EpochMsSchema, LEVEL_PRECEDENCE, precedenceRank, PrioritySchema, RecordIdSchema, type LevelId } from './vocabulary';
import { pinReporter, reporterRefusal } from './who-may-ask';

/** Refusals of a request the policy understood: these say why each level was not granted. */
const EXPLAINED_REFUSALS: ReadonlySet<RefusalRule> = new Set(['office-required', 'quota-exhausted', 'reporter-not-representative', 'channel-not-allowed', 'category-not-covered']);

/** The channel of the support website's request form, whose anonymous requests may go to a default office. */
export const SITE_FORM_CHANNEL = 'support-site-form';

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
  reporter: z.string().optional().describe("Who raises the request: a representative's id or e-mail, or any text."),
  siteFormOfficeId: RecordIdSchema.optional().describe('The office serving anonymous requests from the support-site form (a deployment setting).'),
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
  const product = productId === undefined ? undefined : facts.products.find((p) => p.id === productId);
  const notGranted: NotGranted[] = [];
  const refuse = (rule: RefusalRule, message: string, field?: AdmissionRefusal['field'], shown = everything): AdmissionResult => ({
    ok: false,
    refusal: { rule, message, ...(field && { field }), allowed: allowedTerms(shown), notGranted: EXPLAINED_REFUSALS.has(rule) ? [...notGranted, ...notHeld(undefined)] : [] },
  });
  /** Levels stronger than `granted` (all, for a refusal) that could have served the category but are not held. */
  const notHeld = (granted: LevelId | undefined): NotGranted[] => {
    const held = new Set(candidates.map((c) => c.entitlement.level));
    return LEVEL_PRECEDENCE.filter((l): l is Exclude<LevelId, 'initial'> => l !== 'initial' && !held.has(l))
      .filter((l) => granted === undefined || precedenceRank(l) < precedenceRank(granted))
      .filter((l) => {
        const services = catalogue.levels[l].services;
        return services.kind === 'contract' || services.ids.includes(category);
      })
      .flatMap((l) => whyNotHeld(catalogue, facts, l, { customer, product, at }, category) ?? []);
  };
  let candidates: Candidate[] = [];

  if (customerId !== undefined && !customer) return refuse('unknown-customer', `customer "${customerId}" is not known`, 'customerId');
  if (productId !== undefined && !product) return refuse('unknown-product', `product "${productId}" is not known`, 'productId');
  let office: SalesOffice | undefined;
  if (officeId !== undefined) {
    office = facts.salesOffices.find((o) => o.id === officeId);
    if (!office) return refuse('unknown-office', `sales office "${officeId}" is not known`, 'officeId');
  }
  if (!isKnownChannel(catalogue, channel)) return refuse('unknown-channel', `channel "${channel}" is not in catalogue ${catalogue.catalogueVersion}`, 'channel');
  if (!isKnownService(catalogue, category))
    return refuse('unknown-category', `category "${category}" is not in catalogue ${catalogue.catalogueVersion}`, 'category');

  candidates =
    productId === undefined
      ? everything.filter((c) => c.entitlement.products === 'all')
      : withTerms(entitlementsAt(facts, { ...(customer && { customerId: customer.id }), productId, at }));
  const fits = ({ terms }: Candidate) => terms.services.includes(category) && terms.channels.includes(channel);

  const passedOver: string[] = [];
  let quotaExhausted: string | undefined;
  let notRepresentative: string | undefined;
  for (const candidate of candidates) {
    const { entitlement, terms } = candidate;
    const contractId = terms.contract?.id;
    const label = contractId !== undefined ? `${entitlement.level} (contract ${contractId})` : entitlement.level;
    if (!terms.services.includes(category)) {
      passedOver.push(`${label} passed over: "${category}" is not among its services`);
      // Initial support is open to everyone for its few topics: saying it lacks the category helps nobody.
      if (entitlement.level !== 'initial') notGranted.push(notInTerms(catalogue, entitlement.level, 'category', category, contractId));
      continue;
    }
    if (!terms.channels.includes(channel)) {
      passedOver.push(`${label} passed over: channel "${channel}" is not among its channels`);
      if (entitlement.level !== 'initial') notGranted.push(notInTerms(catalogue, entitlement.level, 'channel', channel, contractId));
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
        notGranted.push(
          explain(
            catalogue,
            entitlement.level,
            'quota-exhausted',
            {
              en: `all ${state.maxRequests} requests of contract ${contractId} for ${period.from} to ${period.through} are used`,
              ru: `исчерпаны все ${state.maxRequests} обращений по договору ${contractId} за период с ${ruDate(period.from)} по ${ruDate(period.through)}`,
            },
            contractId,
          ),
        );
        continue;
      }
      notes.push(`quota: request ${used + 1} of ${terms.quota.maxRequests} in ${period.from}..${period.through}`);
    }
    const notAllowed = reporterRefusal(terms.whoMayAsk, customer, request.reporter);
    if (notAllowed !== undefined) {
      notRepresentative = notAllowed;
      passedOver.push(`${label} passed over: ${notAllowed}`);
      const who = request.reporter?.trim() ? request.reporter.trim() : undefined;
      notGranted.push(
        explain(
          catalogue,
          entitlement.level,
          'reporter-not-representative',
          who === undefined
            ? { en: 'only registered representatives of the customer may ask, and no reporter is named', ru: 'обращаться могут только зарегистрированные представители заказчика, а заявитель не указан' }
            : { en: `only registered representatives of the customer may ask, and ${who} is not one`, ru: `обращаться могут только зарегистрированные представители заказчика, а ${who} к ним не относится` },
          contractId,
        ),
      );
      continue;
    }
    if (terms.calendar.kind === 'office') {
      const defaultOffice = customer?.officeId === undefined ? undefined : facts.salesOffices.find((o) => o.id === customer.officeId);
      const siteFormOffice =
        customer === undefined && channel === SITE_FORM_CHANNEL && request.siteFormOfficeId !== undefined
          ? facts.salesOffices.find((o) => o.id === request.siteFormOfficeId)
          : undefined;
      const chosen = office ? 'named' : defaultOffice ? 'customer' : siteFormOffice ? 'site-form' : undefined;
      office ??= defaultOffice ?? siteFormOffice;
      if (!office)
        return refuse('office-required', `${entitlement.level}-level requests run on a sales office's schedule: name the office in officeId`, 'officeId', candidates);
      const how = chosen === 'customer' ? " (the customer's office)" : chosen === 'site-form' ? ' (the default office for anonymous requests from the support-site form)' : '';
      notes.push(`served by sales office ${office.id} "${office.name}" on calendar ${office.calendarId}${how}`);
    }
    const explained = [...notGranted, ...notHeld(entitlement.level)];
    const reporter = pinReporter(customer, request.reporter);
    const pinned = pinPolicy({
      catalogue,
      terms,
      priority: request.priority,
      ...(terms.calendar.kind === 'office' && office && { office }),
      reasons: [entitlement.reason, ...notes, ...passedOver, ...explained.filter((n) => !n.code.endsWith('-in-terms') && n.code !== 'quota-exhausted' && n.code !== 'reporter-not-representative').map((n) => n.en)],
      at,
      ...(reporter && { reporter }),
      ...(explained.length > 0 && { notGranted: explained }),
      ...(customer && { customerId: customer.id }),
      ...(productId !== undefined && { productId }),
    });
    return { ok: true, level: entitlement.level, entitlement, pinned };
  }

  if (quotaExhausted) return refuse('quota-exhausted', `request quota exhausted (${quotaExhausted}) and no other level held fits`, undefined, candidates);
  if (notRepresentative) return refuse('reporter-not-representative', `${notRepresentative}, and no other level held lets anyone ask`, 'reporter', candidates);
  if (productId === undefined && everything.some((c) => c.entitlement.products !== 'all' && fits(c)))
    return refuse('product-required', `"${category}" via "${channel}" is offered only for a specific product: name it in productId`, 'productId');
  const covering = candidates.filter((c) => c.terms.services.includes(category));
  if (covering.length > 0) {
    const channels = [...new Set(covering.flatMap((c) => c.terms.channels))];
    return refuse('channel-not-allowed', `"${category}" is offered through ${channels.join(', ')}, not through "${channel}"`, 'channel', candidates);
  }
  const scope = productId === undefined ? '' : ` for product "${productId}"`;
  const why = notHeld(undefined).map((n) => n.en);
  return refuse('category-not-covered', `no support level held${scope} covers "${category}"${why.length > 0 ? `: ${why.join('; ')}` : ''}`, 'category', candidates);
}
