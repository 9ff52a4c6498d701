/**
 * The warranty year: how long "one year after buying the product or an update package" lasts.
 *
 * Rule, after the Civil Code of the Russian Federation (arts. 191-192): a term of one year
 * ends on the same month and day of the next year, and when that month has no such day
 * (29 February) on the month's last day. The day of purchase itself is covered too: a customer
 * who buys today is a licensed user under warranty today. Art. 193 (moving an end that falls on
 * a day off) is not applied: it concerns deadlines for performing obligations, and warranty
 * cover is not one.
 */
import { addYearsClamped, type LocalDate } from './local-date';

export const WARRANTY_TERM_YEARS = 1;

/**
 * The last day (inclusive) of warranty cover for a purchase.
 *
 * @example warrantyLastDay('2026-03-01') // '2027-03-01'
 * @example warrantyLastDay('2024-02-29') // '2025-02-28'
 */
export function warrantyLastDay(purchasedOn: LocalDate): LocalDate {
  return addYearsClamped(purchasedOn, WARRANTY_TERM_YEARS);
}
