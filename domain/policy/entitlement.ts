/**
 * Entitlement: which support levels a customer holds at an instant, and why.
 *
 * The rules, on the Moscow date `d` of the instant (all date intervals inclusive):
 * - individual: a contract of the customer with `from <= d <= to`; covers its `productIds`, or
 *   every product (and requests naming none) when it lists none. An expired or future contract
 *   grants nothing.
 * - pilot: a pilot period of the customer with `from <= d <= to`, for its products.
 * - warranty: for a commercial product, from the day of buying a licence or an update package
 *   through the same date a year later (see `warranty-term.ts`), while the customer holds a
 *   valid licence of that product. Withdrawal of the product from support does NOT cut a
 *   warranty short: the source ties warranty only to the purchase, and the purchase was made.
 * - basic: a valid licence of a commercial product whose support is not withdrawn on `d`.
 * - initial: always, for anyone, including customers unknown to the facts.
 * Free products give nothing beyond initial, even if "licensed". Pilots and contracts are
 * honoured as written, whatever the product.
 */
import type { IndividualContract, License, PolicyFacts, Product } from './facts';
import { addDays, earlierEnd, isWithin, laterEnd, localDateAt, type LocalDate } from './local-date';
import { warrantyLastDay } from './warranty-term';
import { precedenceRank, type EpochMs, type LevelId } from './vocabulary';

/** Why a level is held: the record that grants it. */
export type EntitlementSource =
  | { kind: 'anyone' }
  | { kind: 'contract'; contractId: string }
  | { kind: 'pilot'; pilotId: string }
  | { kind: 'license-purchase'; licenseId: string; purchasedOn: LocalDate }
  | { kind: 'update-package'; purchaseId: string; purchasedOn: LocalDate }
  | { kind: 'license'; licenseId: string };

/** Inclusive Moscow dates; `null` = open-ended. */
export interface Validity {
  from: LocalDate | null;
  through: LocalDate | null;
}

export interface Entitlement {
  level: LevelId;
  /** `'all'`: not bound to a product (initial; a contract that lists no products). */
  products: 'all' | readonly string[];
  source: EntitlementSource;
  /** For people and the audit trail, e.g. "warranty: update package bought 2026-03-01, valid to 2027-03-01". */
  reason: string;
  validity: Validity;
}

export interface EntitlementQuery {
  /** Absent: an anonymous person, who holds initial support only. */
  customerId?: string;
  /** Absent: every level the customer holds, for any product. */
  productId?: string;
  at: EpochMs;
}

/** True when the entitlement applies to requests about `productId` (or naming no product). */
export function coversProduct(e: Entitlement, productId: string | undefined): boolean {
  if (e.products === 'all') return true;
  return productId !== undefined && e.products.includes(productId);
}

function productName(facts: PolicyFacts, id: string): string {
  return facts.products.find((p) => p.id === id)?.name ?? id;
}

function licencesValidOn(facts: PolicyFacts, customerId: string, productId: string, d: LocalDate): License[] {
  return facts.licenses.filter(
    (l) => l.customerId === customerId && l.productId === productId && isWithin(d, l.purchasedOn, l.validThrough ?? null),
  );
}

/** The last day the customer stays licensed for the product, judged from the licences valid on `d`. */
function licensedThrough(licences: readonly [License, ...License[]]): LocalDate | null {
  return licences.reduce<LocalDate | null>((acc, l) => laterEnd(acc, l.validThrough ?? null), licences[0].validThrough ?? null);
}

function isNonEmpty<T>(xs: readonly T[]): xs is readonly [T, ...T[]] {
  return xs.length > 0;
}

function contractEntitlement(facts: PolicyFacts, c: IndividualContract): Entitlement {
  const scope = c.productIds ? ` for ${c.productIds.map((p) => productName(facts, p)).join(', ')}` : '';
  return {
    level: 'individual',
    products: c.productIds ? [...c.productIds] : 'all',
    source: { kind: 'contract', contractId: c.id },
    reason: `individual: contract ${c.id} with ${c.counterparty.kind} "${c.counterparty.name}"${scope}, valid ${c.from} to ${c.to}`,
    validity: { from: c.from, through: c.to },
  };
}

function warrantyEntitlements(facts: PolicyFacts, customerId: string, product: Product, d: LocalDate): Entitlement[] {
  const licences = licencesValidOn(facts, customerId, product.id, d);
  // Warranty is for licensed users: an update package alone, without a valid licence, grants nothing.
  if (product.kind === 'free' || !isNonEmpty(licences)) return [];
  const stillLicensed = licensedThrough(licences);
  const purchases = [
    ...facts.licenses
      .filter((l) => l.customerId === customerId && l.productId === product.id)
      .map((l) => ({ what: 'licence', on: l.purchasedOn, source: { kind: 'license-purchase', licenseId: l.id, purchasedOn: l.purchasedOn } as const })),
    ...facts.updatePackages
      .filter((u) => u.customerId === customerId && u.productId === product.id)
      .map((u) => ({ what: 'update package', on: u.purchasedOn, source: { kind: 'update-package', purchaseId: u.id, purchasedOn: u.purchasedOn } as const })),
  ];
  return purchases
    .filter((p) => isWithin(d, p.on, warrantyLastDay(p.on)))
    .map((p) => {
      const through = earlierEnd(warrantyLastDay(p.on), stillLicensed);
      return {
        level: 'warranty',
        products: [product.id],
        source: p.source,
        reason: `warranty: ${p.what} for ${product.name} bought ${p.on}, valid to ${through}`,
        validity: { from: p.on, through },
      };
    });
}

function basicEntitlements(facts: PolicyFacts, customerId: string, product: Product, d: LocalDate): Entitlement[] {
  if (product.kind === 'free') return [];
  const withdrawn = product.supportWithdrawnFrom;
  if (withdrawn !== undefined && d >= withdrawn) return [];
  const lastSupportedDay = withdrawn === undefined ? null : addDays(withdrawn, -1);
  return licencesValidOn(facts, customerId, product.id, d).map((l) => {
    const through = earlierEnd(l.validThrough ?? null, lastSupportedDay);
    const until = through === null ? 'open-ended' : `valid to ${through}`;
    const why = withdrawn === undefined ? 'product supported' : `support withdrawn from ${withdrawn}`;
    return {
      level: 'basic',
      products: [product.id],
      source: { kind: 'license', licenseId: l.id },
      reason: `basic: licence ${l.id} for ${product.name} bought ${l.purchasedOn}, ${why}, ${until}`,
      validity: { from: l.purchasedOn, through },
    };
  });
}

function initialEntitlement(facts: PolicyFacts, productId: string | undefined): Entitlement {
  const product = productId === undefined ? undefined : facts.products.find((p) => p.id === productId);
  const reason =
    product?.kind === 'free'
      ? `initial: ${product.name} is a freely distributed product`
      : 'initial: open to anyone interested';
  return { level: 'initial', products: 'all', source: { kind: 'anyone' }, reason, validity: { from: null, through: null } };
}

/** Strongest first: level precedence, then product-specific before all-products, then the longest-lasting, then id. */
export function compareEntitlements(a: Entitlement, b: Entitlement): number {
  const rank = precedenceRank(a.level) - precedenceRank(b.level);
  if (rank !== 0) return rank;
  const specific = Number(a.products === 'all') - Number(b.products === 'all');
  if (specific !== 0) return specific;
  const end = (e: Entitlement) => e.validity.through ?? '9999-12-31';
  if (end(a) !== end(b)) return end(a) < end(b) ? 1 : -1;
  const key = (e: Entitlement) => JSON.stringify(e.source);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}

/**
 * Every level the customer holds at the instant, strongest first; initial is always last.
 * Pure: reads the facts, never changes them.
 *
 * @example
 * // licence L1 of "KOMPAS" bought 2026-03-01, asked on 2026-06-01
 * entitlementsAt(facts, { customerId: 'c1', productId: 'kompas', at })
 * // [ { level: 'warranty', reason: 'warranty: licence for KOMPAS bought 2026-03-01, valid to 2027-03-01', ... },
 * //   { level: 'basic', ... }, { level: 'initial', ... } ]
 */
export function entitlementsAt(facts: PolicyFacts, query: EntitlementQuery): Entitlement[] {
  const d = localDateAt(query.at);
  const { customerId, productId } = query;
  const held: Entitlement[] = [];
  if (customerId !== undefined) {
    held.push(...facts.contracts.filter((c) => c.customerId === customerId && isWithin(d, c.from, c.to)).map((c) => contractEntitlement(facts, c)));
    for (const p of facts.pilots.filter((p) => p.customerId === customerId && isWithin(d, p.from, p.to))) {
      held.push({
        level: 'pilot',
        products: [...p.productIds],
        source: { kind: 'pilot', pilotId: p.id },
        reason: `pilot: pilot operation ${p.id} of ${p.productIds.map((id) => productName(facts, id)).join(', ')} from ${p.from} to ${p.to}, on warranty terms`,
        validity: { from: p.from, through: p.to },
      });
    }
    const products = facts.products.filter((p) => productId === undefined || p.id === productId);
    for (const product of products) {
      held.push(...warrantyEntitlements(facts, customerId, product, d), ...basicEntitlements(facts, customerId, product, d));
    }
  }
  held.push(initialEntitlement(facts, productId));
  return held.filter((e) => productId === undefined || coversProduct(e, productId)).sort(compareEntitlements);
}

/**
 * The strongest level held (never undefined: initial is open to all).
 *
 * @example highestLevelAt(facts, { at }).level // 'initial'
 */
export function highestLevelAt(facts: PolicyFacts, query: EntitlementQuery): Entitlement {
  return entitlementsAt(facts, query)[0]!;
}
