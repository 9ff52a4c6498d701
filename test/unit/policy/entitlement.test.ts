import { entitlementsAt, highestLevelAt, type Entitlement, type PolicyFacts } from '../../../domain/policy';
import { contract, deepFreeze, licence, moscow, pilot, updatePackage, world } from './fixtures';

/** `customerId: null` asks for an anonymous person. */
const levels = (facts: PolicyFacts, at: number, productId?: string, customerId: string | null = 'acme') =>
  entitlementsAt(facts, { ...(customerId !== null && { customerId }), ...(productId !== undefined && { productId }), at }).map((e) => e.level);

const find = (list: Entitlement[], level: string) => list.find((e) => e.level === level);

describe('entitlement: which levels a customer holds', () => {
  it.each<[string, Parameters<typeof world>[0], string, string | undefined, string[]]>([
    ['nothing at all: initial only', {}, '2026-06-01', 'kompas', ['initial']],
    ['an old perpetual licence: basic', { licenses: [licence('L1', 'kompas', '2020-05-01')] }, '2026-06-01', 'kompas', ['basic', 'initial']],
    ['a licence bought this year: warranty and basic', { licenses: [licence('L1', 'kompas', '2026-03-01')] }, '2026-06-01', 'kompas', ['warranty', 'basic', 'initial']],
    ['an update package renews warranty', { licenses: [licence('L1', 'kompas', '2020-05-01')], updatePackages: [updatePackage('U1', 'kompas', '2026-03-01')] }, '2026-06-01', 'kompas', ['warranty', 'basic', 'initial']],
    ['an update package without a licence: nothing', { updatePackages: [updatePackage('U1', 'kompas', '2026-03-01')] }, '2026-06-01', 'kompas', ['initial']],
    ['a free product, even "licensed": initial only', { licenses: [licence('L1', 'viewer', '2026-03-01')] }, '2026-06-01', 'viewer', ['initial']],
    ['a product withdrawn before the licence: initial only', { licenses: [licence('L1', 'legacy', '2015-01-01')] }, '2026-06-01', 'legacy', ['initial']],
    ['a licence for another product: initial only for this one', { licenses: [licence('L1', 'vertical', '2020-01-01')] }, '2026-06-01', 'kompas', ['initial']],
    ['a licence bought in the future: initial only', { licenses: [licence('L1', 'kompas', '2026-07-01')] }, '2026-06-01', 'kompas', ['initial']],
    ['a term licence that has expired: initial only', { licenses: [licence('L1', 'kompas', '2025-01-01', '2025-12-31')] }, '2026-06-01', 'kompas', ['initial']],
    ['a pilot without a licence: pilot', { pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')] }, '2026-06-01', 'kompas', ['pilot', 'initial']],
    ['a pilot of another product: nothing for this one', { pilots: [pilot('P1', ['vertical'], '2026-05-01', '2026-07-31')] }, '2026-06-01', 'kompas', ['initial']],
    ['a pilot that ended: initial only', { pilots: [pilot('P1', ['kompas'], '2026-01-01', '2026-03-31')] }, '2026-06-01', 'kompas', ['initial']],
    ['a contract: individual', { contracts: [contract()] }, '2026-06-01', 'kompas', ['individual', 'initial']],
    ['an expired contract: not held', { contracts: [contract({ from: '2025-01-01', to: '2025-12-31' })], licenses: [licence('L1', 'kompas', '2020-05-01')] }, '2026-06-01', 'kompas', ['basic', 'initial']],
    ['a contract not yet started: not held', { contracts: [contract({ from: '2026-07-01', to: '2027-06-30' })] }, '2026-06-01', 'kompas', ['initial']],
    ['a contract for another product: not held for this one', { contracts: [contract({ productIds: ['vertical'] })] }, '2026-06-01', 'kompas', ['initial']],
    ['a contract for every product covers a free one too', { contracts: [contract()] }, '2026-06-01', 'viewer', ['individual', 'initial']],
    [
      'everything at once: individual > pilot > warranty > basic > initial',
      { contracts: [contract()], pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')], licenses: [licence('L1', 'kompas', '2026-03-01')] },
      '2026-06-01',
      'kompas',
      ['individual', 'pilot', 'warranty', 'basic', 'initial'],
    ],
  ])('%s', (_name, facts, date, productId, expected) => {
    expect(levels(world(facts), moscow(date), productId)).toEqual(expected);
  });

  it('an anonymous person, or a customer not in the facts, holds initial only', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2026-03-01')] });
    expect(levels(facts, moscow('2026-06-01'), 'kompas', null)).toEqual(['initial']);
    expect(levels(facts, moscow('2026-06-01'), 'kompas', 'ghost')).toEqual(['initial']);
  });

  it('overall (no product): every product-bound level, then customer-wide ones', () => {
    const facts = world({
      licenses: [licence('L1', 'kompas', '2020-05-01'), licence('L2', 'vertical', '2026-03-01'), licence('L3', 'viewer', '2026-03-01')],
      contracts: [contract({ productIds: ['kompas'] })],
    });
    const all = entitlementsAt(facts, { customerId: 'acme', at: moscow('2026-06-01') });
    expect(all.map((e) => [e.level, e.products])).toEqual([
      ['individual', ['kompas']],
      ['warranty', ['vertical']],
      ['basic', ['kompas']], // open-ended before the one that ends at the withdrawal
      ['basic', ['vertical']],
      ['initial', 'all'],
    ]);
  });

  it('within a level, a product contract comes before a customer-wide one', () => {
    const facts = world({ contracts: [contract({ id: 'C-all' }), contract({ id: 'C-kompas', productIds: ['kompas'] })] });
    const list = entitlementsAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2026-06-01') });
    expect(list.map((e) => e.source)).toEqual([
      { kind: 'contract', contractId: 'C-kompas' },
      { kind: 'contract', contractId: 'C-all' },
      { kind: 'anyone' },
    ]);
  });

  it('highestLevelAt is the first of the list', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2026-03-01')] });
    expect(highestLevelAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2026-06-01') }).level).toBe('warranty');
    expect(highestLevelAt(facts, { at: moscow('2026-06-01') }).level).toBe('initial');
  });
});

describe('entitlement edges', () => {
  describe('the last day of the warranty year: bought 2026-03-01, warranty through 2027-03-01 inclusive', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2026-03-01')] });
    it.each([
      ['2026-03-01', '00:00', ['warranty', 'basic', 'initial']],
      ['2027-02-28', '12:00', ['warranty', 'basic', 'initial']],
      ['2027-03-01', '23:59', ['warranty', 'basic', 'initial']],
      ['2027-03-02', '00:00', ['basic', 'initial']],
      ['2026-02-28', '23:59', ['initial']],
    ])('on %s %s (Moscow): %j', (date, time, expected) => {
      expect(levels(facts, moscow(date, time), 'kompas')).toEqual(expected);
    });

    it('the day is judged in Moscow: 2027-03-01 21:00 UTC is already 2 March', () => {
      expect(levels(facts, Date.UTC(2027, 2, 1, 20, 59), 'kompas')[0]).toBe('warranty');
      expect(levels(facts, Date.UTC(2027, 2, 1, 21, 0), 'kompas')[0]).toBe('basic');
    });

    it('states the rule in the reason and the validity', () => {
      const w = find(entitlementsAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2026-06-01') }), 'warranty')!;
      expect(w.reason).toBe('warranty: licence for KOMPAS-3D bought 2026-03-01, valid to 2027-03-01');
      expect(w.validity).toEqual({ from: '2026-03-01', through: '2027-03-01' });
      expect(w.source).toEqual({ kind: 'license-purchase', licenseId: 'L1', purchasedOn: '2026-03-01' });
    });
  });

  describe('a leap-day purchase: bought 2024-02-29, warranty through 2025-02-28', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2024-02-29')] });
    it.each([
      ['2025-02-28', '23:59', 'warranty'],
      ['2025-03-01', '00:00', 'basic'],
    ])('on %s %s: %s', (date, time, level) => expect(levels(facts, moscow(date, time), 'kompas')[0]).toBe(level));
  });

  describe('an update package: a new warranty year from its purchase', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2020-05-01')], updatePackages: [updatePackage('U1', 'kompas', '2026-03-01')] });
    it('reason and validity', () => {
      const w = find(entitlementsAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2027-03-01') }), 'warranty')!;
      expect(w.reason).toBe('warranty: update package for KOMPAS-3D bought 2026-03-01, valid to 2027-03-01');
      expect(w.source).toEqual({ kind: 'update-package', purchaseId: 'U1', purchasedOn: '2026-03-01' });
    });
    it('ends with its year', () => expect(levels(facts, moscow('2027-03-02', '00:00'), 'kompas')).toEqual(['basic', 'initial']));
  });

  describe('a product withdrawn from support mid-warranty (VERTICAL, withdrawn from 2026-09-01; bought 2026-03-01)', () => {
    const facts = world({ licenses: [licence('L1', 'vertical', '2026-03-01')] });
    it.each([
      ['2026-08-31', ['warranty', 'basic', 'initial']],
      ['2026-09-01', ['warranty', 'initial']],
      ['2027-03-01', ['warranty', 'initial']],
      ['2027-03-02', ['initial']],
    ])('on %s: %j (warranty runs its year; basic ends at the withdrawal)', (date, expected) => {
      expect(levels(facts, moscow(date), 'vertical')).toEqual(expected);
    });

    it('basic says when it ends and why', () => {
      const b = find(entitlementsAt(facts, { customerId: 'acme', productId: 'vertical', at: moscow('2026-06-01') }), 'basic')!;
      expect(b.validity).toEqual({ from: '2026-03-01', through: '2026-08-31' });
      expect(b.reason).toBe('basic: licence L1 for VERTICAL bought 2026-03-01, support withdrawn from 2026-09-01, valid to 2026-08-31');
    });
  });

  it('a term licence ends warranty early: licensed users only', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2026-01-01', '2026-06-30')] });
    const w = find(entitlementsAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2026-06-30') }), 'warranty')!;
    expect(w.validity).toEqual({ from: '2026-01-01', through: '2026-06-30' });
    expect(levels(facts, moscow('2026-07-01'), 'kompas')).toEqual(['initial']);
  });

  it('an expired contract: the last day is held, the next day is not', () => {
    const facts = world({ contracts: [contract({ from: '2026-01-01', to: '2026-12-31' })] });
    expect(levels(facts, moscow('2026-12-31', '23:59'), 'kompas')).toEqual(['individual', 'initial']);
    expect(levels(facts, moscow('2027-01-01', '00:00'), 'kompas')).toEqual(['initial']);
  });

  it('reasons name the record: contract, pilot, basic, initial for a free product', () => {
    const facts = world({
      contracts: [contract({ productIds: ['kompas'] })],
      pilots: [pilot('P1', ['kompas', 'vertical'], '2026-05-01', '2026-07-31')],
      licenses: [licence('L1', 'kompas', '2020-05-01')],
    });
    const list = entitlementsAt(facts, { customerId: 'acme', productId: 'kompas', at: moscow('2026-06-01') });
    expect(list.map((e) => e.reason)).toEqual([
      'individual: contract C-1 with dealer "CAD Dealer" for KOMPAS-3D, valid 2026-01-01 to 2026-12-31',
      'pilot: pilot operation P1 of KOMPAS-3D, VERTICAL from 2026-05-01 to 2026-07-31, on warranty terms',
      'basic: licence L1 for KOMPAS-3D bought 2020-05-01, product supported, open-ended',
      'initial: open to anyone interested',
    ]);
    expect(entitlementsAt(facts, { customerId: 'acme', productId: 'viewer', at: moscow('2026-06-01') })[0]!.reason).toBe(
      'initial: KOMPAS-3D Viewer is a freely distributed product',
    );
  });

  it('does not mutate the facts', () => {
    const facts = deepFreeze(
      world({ contracts: [contract()], pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')], licenses: [licence('L1', 'kompas', '2026-03-01')] }),
    );
    const before = structuredClone(facts);
    expect(() => entitlementsAt(facts, { customerId: 'acme', at: moscow('2026-06-01') })).not.toThrow();
    expect(facts).toEqual(before);
  });
});
