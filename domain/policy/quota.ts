/**
 * Request quotas of individual contracts.
 *
 * A quota period is a calendar month, quarter or year on the Moscow calendar, clipped to the
 * contract's own period, or the whole contract term. Calendar periods (not periods counted
 * from the contract's start) were chosen so that the count matches the periodic reports the
 * customer receives. The caller counts the requests already registered under the contract in
 * {@link quotaPeriodAt}'s period and passes that count to admission.
 */
import { earlierEnd, endOfPeriod, laterEnd, localDateAt, startOfPeriod, type LocalDate } from './local-date';
import type { ContractQuota, IndividualContract } from './facts';
import type { EpochMs } from './vocabulary';

export interface QuotaPeriod {
  /** First day, inclusive (Moscow). */
  from: LocalDate;
  /** Last day, inclusive (Moscow). */
  through: LocalDate;
}

/**
 * The quota period of a contract that contains an instant, or `null` when the contract has no
 * quota.
 *
 * @example
 * // contract 2026-01-15..2026-12-31, quota 10 per month, at 2026-01-20 12:00 Moscow
 * quotaPeriodAt(contract, at) // { from: '2026-01-15', through: '2026-01-31' }
 */
export function quotaPeriodAt(contract: IndividualContract, at: EpochMs): QuotaPeriod | null {
  const quota = contract.sla.quota;
  if (!quota) return null;
  if (quota.per === 'term') return { from: contract.from, through: contract.to };
  const today = localDateAt(at);
  return {
    from: laterEnd(startOfPeriod(today, quota.per), contract.from)!,
    through: earlierEnd(endOfPeriod(today, quota.per), contract.to)!,
  };
}

export type QuotaState =
  | { kind: 'unlimited' }
  | { kind: 'available'; maxRequests: number; used: number; remaining: number }
  | { kind: 'exhausted'; maxRequests: number; used: number };

/**
 * Whether one more request fits a quota, given the count already registered in the period.
 *
 * @example quotaState({ maxRequests: 10, per: 'month' }, 10) // { kind: 'exhausted', maxRequests: 10, used: 10 }
 */
export function quotaState(quota: ContractQuota | undefined, used: number): QuotaState {
  if (!quota) return { kind: 'unlimited' };
  if (used >= quota.maxRequests) return { kind: 'exhausted', maxRequests: quota.maxRequests, used };
  return { kind: 'available', maxRequests: quota.maxRequests, used, remaining: quota.maxRequests - used };
}
