// How a pinned policy is stored: the request's own fields in its row, the shared terms once by digest.
import { joinPolicy, splitPolicy } from '../../../db/queries/policy-terms';
import { policy } from '../request/fixtures';

describe('pinned policy storage', () => {
  const pinned = policy({ contractId: 'C-1', officeId: 'msk', reporter: { as: 'ivan@acme', name: 'Ivan' }, pinnedAtMs: 1_000 });

  it('keeps the fields SQL reads and the per-request ones in the row, the rest as terms, and joins back to the same policy', () => {
    const stored = splitPolicy(pinned);
    expect(Object.keys(stored.own).sort()).toEqual(['calendarVersionId', 'contractId', 'customerId', 'level', 'officeId', 'pinnedAtMs', 'priority', 'productId', 'reporter', 'termsRef']);
    expect(stored.own.termsRef).toBe(stored.digest);
    expect(stored.terms).toMatchObject({ levelName: pinned.levelName, targets: pinned.targets, escalation: pinned.escalation, calendar: pinned.calendar });
    expect(stored.terms).not.toHaveProperty('pinnedAtMs');
    // Through JSON, as PostgreSQL hands them back.
    const roundTrip = joinPolicy(JSON.parse(JSON.stringify(stored.own)), JSON.parse(JSON.stringify(stored.terms)));
    expect(roundTrip).toEqual(pinned);
  });

  it('gives requests with the same terms one digest, whatever their own fields or the order the terms were built in', () => {
    const a = splitPolicy(pinned);
    const b = splitPolicy({ ...pinned, pinnedAtMs: 2_000, customerId: 'other', reporter: undefined });
    expect(b.digest).toBe(a.digest);
    const reordered = Object.fromEntries(Object.entries(pinned).reverse()) as typeof pinned;
    expect(splitPolicy(reordered).digest).toBe(a.digest);
    expect(splitPolicy({ ...pinned, warnings: [0.5, 0.75] }).digest).not.toBe(a.digest);
    expect(splitPolicy({ ...pinned, targets: { ...pinned.targets, resolution: null } }).digest).not.toBe(a.digest);
  });

  it('reads a row written before (the whole policy, no termsRef) as it is, and refuses a reference whose terms are missing', () => {
    expect(joinPolicy(pinned as unknown as Record<string, unknown>, null)).toBe(pinned);
    expect(() => joinPolicy(splitPolicy(pinned).own, null)).toThrow(/terms .* are missing/);
  });
});
