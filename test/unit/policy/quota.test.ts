import { parseFacts, quotaPeriodAt, quotaState, type QuotaPeriodKind } from '../../../domain/policy';
import { baseFacts, contract, moscow } from './fixtures';

function contractWith(per: QuotaPeriodKind | undefined, from = '2026-01-15', to = '2026-12-20') {
  const facts = parseFacts({
    ...baseFacts,
    contracts: [contract({ from, to, sla: per ? { quota: { maxRequests: 10, per } } : {} })],
  });
  return facts.contracts[0]!;
}

describe('quota periods: calendar periods in Moscow, clipped to the contract', () => {
  it.each<[QuotaPeriodKind, string, string, string]>([
    ['month', '2026-05-17', '2026-05-01', '2026-05-31'],
    ['month', '2026-01-20', '2026-01-15', '2026-01-31'],
    ['month', '2026-12-05', '2026-12-01', '2026-12-20'],
    ['quarter', '2026-02-10', '2026-01-15', '2026-03-31'],
    ['quarter', '2026-08-10', '2026-07-01', '2026-09-30'],
    ['year', '2026-08-10', '2026-01-15', '2026-12-20'],
    ['term', '2026-08-10', '2026-01-15', '2026-12-20'],
  ])('per %s, on %s: %s..%s', (per, date, from, through) => {
    expect(quotaPeriodAt(contractWith(per), moscow(date))).toEqual({ from, through });
  });

  it('the month changes at Moscow midnight, not UTC midnight', () => {
    const c = contractWith('month');
    expect(quotaPeriodAt(c, Date.UTC(2026, 4, 31, 20, 59))!.from).toBe('2026-05-01');
    expect(quotaPeriodAt(c, Date.UTC(2026, 4, 31, 21, 0))!.from).toBe('2026-06-01');
  });

  it('no quota, no period', () => expect(quotaPeriodAt(contractWith(undefined), moscow('2026-05-17'))).toBeNull());
});

describe('quotaState', () => {
  it.each([
    [0, { kind: 'available', maxRequests: 3, used: 0, remaining: 3 }],
    [2, { kind: 'available', maxRequests: 3, used: 2, remaining: 1 }],
    [3, { kind: 'exhausted', maxRequests: 3, used: 3 }],
    [7, { kind: 'exhausted', maxRequests: 3, used: 7 }],
  ])('%p of 3 used: %j', (used, state) => expect(quotaState({ maxRequests: 3, per: 'month' }, used)).toEqual(state));

  it('no quota is unlimited', () => expect(quotaState(undefined, 1_000)).toEqual({ kind: 'unlimited' }));
});
