/**
 * Who may ask: whether the person raising a request (`reporter`) must be one of the customer's
 * registered representatives under a level's terms, and which representative a reporter is.
 *
 * Decisions where the source is silent:
 * - A reporter names a representative by the representative's id or e-mail (case-insensitive,
 *   surrounding blanks ignored): intake systems know one or the other, and names are not unique.
 * - A reporter who is not a registered representative is not refused outright: admission passes
 *   the level over and the request falls through to the next level held that lets anyone ask
 *   (a customer's employee keeps the rights of the licence); only when nothing else fits is it
 *   refused with `reporter-not-representative`.
 * - A request without a reporter is treated like an unregistered reporter under such a level.
 */
import type { Customer, Representative } from './facts';

/** `anyone`, or only the customer's registered representatives. */
export type ReporterRule = 'anyone' | 'representatives';

/** The reporter as pinned into a request: what intake sent and, when known, who that is. */
export interface PinnedReporter {
  /** The reporter as registered, e.g. "ivan@acme.example". */
  as: string;
  /** The customer's representative the reporter names, when one matches. */
  representativeId?: string;
  name?: string;
}

/**
 * The customer's representative that `reporter` names, by id or e-mail.
 *
 * @example representativeFor(customer, 'IVAN@acme.example')?.id // 'ivan'
 */
export function representativeFor(customer: Customer | undefined, reporter: string | undefined): Representative | undefined {
  if (!customer || reporter === undefined) return undefined;
  const wanted = reporter.trim();
  if (wanted === '') return undefined;
  const lower = wanted.toLowerCase();
  return customer.representatives.find((r) => r.id === wanted) ?? customer.representatives.find((r) => r.email !== undefined && r.email.toLowerCase() === lower);
}

/**
 * Whether the reporter may ask under a rule: `undefined` when allowed, else why not (English;
 * admission adds the Russian wording).
 *
 * @example reporterRefusal('representatives', customer, 'stranger@x.example') // 'stranger@x.example is not a registered representative of ACME'
 */
export function reporterRefusal(rule: ReporterRule, customer: Customer | undefined, reporter: string | undefined): string | undefined {
  if (rule === 'anyone') return undefined;
  if (representativeFor(customer, reporter)) return undefined;
  const who = customer ? customer.name : 'the customer';
  return reporter === undefined || reporter.trim() === ''
    ? `no reporter named: only registered representatives of ${who} may ask`
    : `${reporter.trim()} is not a registered representative of ${who}`;
}

/**
 * The reporter to pin: what intake sent, with the representative it names.
 *
 * @example pinReporter(customer, 'ivan') // { as: 'ivan', representativeId: 'ivan', name: 'Ivan Petrov' }
 */
export function pinReporter(customer: Customer | undefined, reporter: string | undefined): PinnedReporter | undefined {
  if (reporter === undefined) return undefined;
  const rep = representativeFor(customer, reporter);
  return { as: reporter, ...(rep && { representativeId: rep.id, name: rep.name }) };
}
