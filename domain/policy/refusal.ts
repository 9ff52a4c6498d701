/**
 * Refusals: a request the policy turns down, with a stable rule id the API maps to 422 and
 * the terms the requester could use instead.
 */
import type { NotGranted } from './not-granted';
import type { LevelId } from './vocabulary';

/**
 * Stable rule ids, in the order admission checks them:
 * - `unknown-customer` / `unknown-product` / `unknown-office`: an id not in the facts;
 * - `unknown-channel` / `unknown-category`: an id not in the catalogue;
 * - `office-required`: served under initial terms, but no office given and the customer has none;
 * - `quota-exhausted`: a contract fitted the request, but its quota for the period is used up
 *   and no other level the customer holds fits;
 * - `reporter-not-representative`: a level fitted the request, but its terms let only the
 *   customer's registered representatives ask, the reporter is not one, and no other level fits;
 * - `product-required`: only a product-bound level (basic, warranty, pilot, product contract)
 *   would fit, and the request names no product;
 * - `channel-not-allowed`: a level held covers the category, but not through this channel;
 * - `category-not-covered`: no level held covers the category.
 */
export const REFUSAL_RULES = [
  'unknown-customer',
  'unknown-product',
  'unknown-office',
  'unknown-channel',
  'unknown-category',
  'office-required',
  'quota-exhausted',
  'reporter-not-representative',
  'product-required',
  'channel-not-allowed',
  'category-not-covered',
] as const;
export type RefusalRule = (typeof REFUSAL_RULES)[number];

/** Terms the requester does hold: what a client may offer instead. */
export interface AllowedTerms {
  level: LevelId;
  contractId?: string;
  products: 'all' | string[];
  channels: string[];
  services: string[];
}

export interface AdmissionRefusal {
  rule: RefusalRule;
  /** For people; the wording may change, `rule` does not. */
  message: string;
  /** The request field at fault, when there is one, e.g. `officeId`. */
  field?: 'customerId' | 'productId' | 'officeId' | 'channel' | 'category' | 'reporter';
  allowed: AllowedTerms[];
  /** Why each level that could have served the category was not granted, in English and Russian. */
  notGranted: NotGranted[];
}
