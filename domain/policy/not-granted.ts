/**
 * Why a level was not granted, in words a desk agent can repeat to the customer, in English and
 * Russian: "warranty ended on 2027-03-01", "product withdrawn from support on 2026-07-01".
 *
 * Admission explains every level stronger than the one granted (a fall-through) or every level
 * (a refusal) that could have served the request's category: levels held but passed over (the
 * category, the channel, the quota, the reporter) and levels the customer does not hold (an
 * ended warranty, an expired licence, a withdrawn product, an ended pilot or contract). Levels
 * that would not cover the category anyway are not mentioned: "your pilot ended" does not help a
 * customer asking for a demonstration.
 */
import type { Catalogue } from './catalogue';
import type { Customer, PolicyFacts, Product } from './facts';
import { isWithin, localDateAt, type LocalDate } from './local-date';
import { warrantyLastDay } from './warranty-term';
import type { EpochMs, LevelId, LocalizedText } from './vocabulary';

/** Stable ids of the explanations; the words may change, these do not. */
export const NOT_GRANTED_CODES = [
  'no-customer',
  'free-product',
  'no-licence',
  'licence-expired',
  'licence-not-started',
  'warranty-ended',
  'product-withdrawn',
  'pilot-ended',
  'pilot-not-started',
  'contract-ended',
  'contract-not-started',
  'category-not-in-terms',
  'channel-not-in-terms',
  'quota-exhausted',
  'reporter-not-representative',
] as const;
export type NotGrantedCode = (typeof NOT_GRANTED_CODES)[number];

export interface NotGranted {
  level: LevelId;
  contractId?: string;
  code: NotGrantedCode;
  /** A whole sentence for people, e.g. "Warranty support: warranty ended on 2027-03-01 (…)". */
  en: string;
  ru: string;
}

/** "2027-03-01" as Russian readers write it: "01.03.2027". */
export function ruDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** An explanation prefixed with the level's name in each language. */
export function explain(catalogue: Catalogue, level: LevelId, code: NotGrantedCode, text: LocalizedText, contractId?: string): NotGranted {
  const name = catalogue.levels[level].name;
  return { level, ...(contractId !== undefined && { contractId }), code, en: `${name.en}: ${text.en}`, ru: `${name.ru}: ${text.ru}` };
}

const nameOf = (entries: readonly { id: string; name: LocalizedText }[], id: string): LocalizedText => entries.find((e) => e.id === id)?.name ?? { en: id, ru: id };

/** A held level passed over because its terms lack the category or the channel. */
export function notInTerms(catalogue: Catalogue, level: LevelId, what: 'category' | 'channel', id: string, contractId?: string): NotGranted {
  const n = nameOf(what === 'category' ? catalogue.services : catalogue.channels, id);
  const scope = contractId === undefined ? { en: 'its terms do not include', ru: 'условия уровня не включают' } : { en: `contract ${contractId} does not include`, ru: `договор ${contractId} не включает` };
  return what === 'category'
    ? explain(catalogue, level, 'category-not-in-terms', { en: `${scope.en} “${n.en}”`, ru: `${scope.ru} «${n.ru}»` }, contractId)
    : explain(catalogue, level, 'channel-not-in-terms', { en: `${scope.en} requests through “${n.en}”`, ru: `${scope.ru} обращения через «${n.ru}»` }, contractId);
}

interface Query {
  customer: Customer | undefined;
  product: Product | undefined;
  at: EpochMs;
}

/** Why the customer does not hold the licence-based levels (basic, warranty) for the product today. */
function licenceProblem(catalogue: Catalogue, facts: PolicyFacts, level: 'basic' | 'warranty', customer: Customer, product: Product, d: LocalDate): NotGranted | undefined {
  if (product.kind === 'free')
    return explain(catalogue, level, 'free-product', { en: `${product.name} is a freely distributed product, supported at the initial level only`, ru: `${product.name} — свободно распространяемое ПО, для него действует только начальная поддержка` });
  const licences = facts.licenses.filter((l) => l.customerId === customer.id && l.productId === product.id);
  if (licences.length === 0) return explain(catalogue, level, 'no-licence', { en: `${customer.name} holds no licence of ${product.name}`, ru: `у ${customer.name} нет лицензии на ${product.name}` });
  if (licences.some((l) => isWithin(d, l.purchasedOn, l.validThrough ?? null))) return undefined;
  const future = licences.filter((l) => l.purchasedOn > d).sort((a, b) => (a.purchasedOn < b.purchasedOn ? -1 : 1))[0];
  if (future)
    return explain(catalogue, level, 'licence-not-started', { en: `licence ${future.id} of ${product.name} is valid from ${future.purchasedOn}`, ru: `лицензия ${future.id} на ${product.name} действует с ${ruDate(future.purchasedOn)}` });
  const last = licences.filter((l) => l.validThrough !== undefined).sort((a, b) => (a.validThrough! < b.validThrough! ? 1 : -1))[0]!;
  return explain(catalogue, level, 'licence-expired', { en: `licence ${last.id} of ${product.name} expired on ${last.validThrough}`, ru: `срок лицензии ${last.id} на ${product.name} истёк ${ruDate(last.validThrough!)}` });
}

function warrantyProblem(catalogue: Catalogue, facts: PolicyFacts, customer: Customer, product: Product, d: LocalDate): NotGranted | undefined {
  const licence = licenceProblem(catalogue, facts, 'warranty', customer, product, d);
  if (licence) return licence;
  const purchases = [
    ...facts.licenses.filter((l) => l.customerId === customer.id && l.productId === product.id).map((l) => ({ en: `the licence ${l.id}`, ru: `лицензии ${l.id}`, on: l.purchasedOn })),
    ...facts.updatePackages
      .filter((u) => u.customerId === customer.id && u.productId === product.id)
      .map((u) => ({ en: `the update package ${u.id}`, ru: `пакета обновлений ${u.id}`, on: u.purchasedOn })),
  ].filter((p) => p.on <= d);
  if (purchases.some((p) => isWithin(d, p.on, warrantyLastDay(p.on)))) return undefined;
  const latest = purchases.sort((a, b) => (a.on < b.on ? 1 : -1))[0];
  if (!latest) return undefined;
  const end = warrantyLastDay(latest.on);
  return explain(catalogue, 'warranty', 'warranty-ended', {
    en: `warranty ended on ${end} (one year after ${latest.en} for ${product.name} was bought on ${latest.on})`,
    ru: `гарантия закончилась ${ruDate(end)} (через год после покупки ${latest.ru} на ${product.name} ${ruDate(latest.on)})`,
  });
}

function basicProblem(catalogue: Catalogue, facts: PolicyFacts, customer: Customer, product: Product, d: LocalDate): NotGranted | undefined {
  const withdrawn = product.supportWithdrawnFrom;
  if (product.kind === 'commercial' && withdrawn !== undefined && d >= withdrawn)
    return explain(catalogue, 'basic', 'product-withdrawn', { en: `${product.name} was withdrawn from support on ${withdrawn}`, ru: `${product.name} снят с поддержки ${ruDate(withdrawn)}` });
  return licenceProblem(catalogue, facts, 'basic', customer, product, d);
}

function periodProblem(catalogue: Catalogue, level: 'pilot' | 'individual', periods: readonly { id: string; from: LocalDate; to: LocalDate }[], d: LocalDate): NotGranted | undefined {
  if (periods.some((p) => isWithin(d, p.from, p.to))) return undefined;
  const what = level === 'pilot' ? { en: 'pilot operation', ru: 'опытная эксплуатация' } : { en: 'contract', ru: 'договор' };
  const ended = periods.filter((p) => p.to < d).sort((a, b) => (a.to < b.to ? 1 : -1))[0];
  const contractId = level === 'individual' ? ended?.id : undefined;
  if (ended)
    return explain(
      catalogue,
      level,
      level === 'pilot' ? 'pilot-ended' : 'contract-ended',
      { en: `${what.en} ${ended.id} ended on ${ended.to}`, ru: `${what.ru} ${ended.id} ${level === 'pilot' ? 'закончилась' : 'закончился'} ${ruDate(ended.to)}` },
      contractId,
    );
  const next = periods.filter((p) => p.from > d).sort((a, b) => (a.from < b.from ? -1 : 1))[0];
  if (!next) return undefined;
  return explain(
    catalogue,
    level,
    level === 'pilot' ? 'pilot-not-started' : 'contract-not-started',
    { en: `${what.en} ${next.id} starts on ${next.from}`, ru: `${what.ru} ${next.id} ${level === 'pilot' ? 'начнётся' : 'вступает в силу'} ${ruDate(next.from)}` },
    level === 'individual' ? next.id : undefined,
  );
}

/**
 * Why the customer does not hold `level` for the product at the instant, or `undefined` when the
 * level is held, or when there is nothing useful to say (never had a pilot or a contract).
 *
 * @example
 * whyNotHeld(catalogue, facts, 'warranty', { customer, product, at: Date.UTC(2027, 5, 1) })
 * // { level: 'warranty', code: 'warranty-ended', en: 'Warranty support: warranty ended on 2027-03-01 (…)', ru: '…' }
 */
export function whyNotHeld(catalogue: Catalogue, facts: PolicyFacts, level: Exclude<LevelId, 'initial'>, query: Query, category?: string): NotGranted | undefined {
  const { customer, product } = query;
  const d = localDateAt(query.at);
  if (!customer)
    return level === 'basic'
      ? explain(catalogue, 'basic', 'no-customer', { en: 'the request names no customer: support beyond the initial level needs one', ru: 'в запросе не указан заказчик: поддержка сверх начальной требует его' })
      : undefined;
  if (!product) return undefined;
  const coversCategory = (services: readonly string[]) => category === undefined || services.includes(category);
  switch (level) {
    case 'warranty':
      return warrantyProblem(catalogue, facts, customer, product, d);
    case 'basic':
      return basicProblem(catalogue, facts, customer, product, d);
    case 'pilot':
      return periodProblem(catalogue, 'pilot', facts.pilots.filter((p) => p.customerId === customer.id && p.productIds.includes(product.id)), d);
    case 'individual':
      return periodProblem(
        catalogue,
        'individual',
        facts.contracts.filter((c) => c.customerId === customer.id && (c.productIds === undefined || c.productIds.includes(product.id)) && coversCategory(c.sla.services)),
        d,
      );
  }
}
