import { FactsError, parseFacts, PolicyFactsSchema, unknownContractTerms } from '../../../domain/policy';
import { baseFacts, catalogue, contract, licence } from './fixtures';

const perPriority = {
  kind: 'per-priority',
  byPriority: {
    critical: { firstResponse: { workingHours: 1 }, resolution: { workingHours: 8 } },
    high: { firstResponse: { workingHours: 2 }, resolution: { workingHours: 16 } },
    normal: { firstResponse: { workingHours: 4 }, resolution: { workingHours: 40 } },
    low: { firstResponse: { workingHours: 8 }, resolution: null },
  },
} as const;

describe('facts schema', () => {
  it('accepts a full set of facts and applies defaults', () => {
    const facts = parseFacts({
      ...baseFacts,
      licenses: [licence('L1', 'kompas', '2026-03-01')],
      updatePackages: [{ id: 'U1', customerId: 'acme', productId: 'kompas', purchasedOn: '2026-06-01' }],
      pilots: [{ id: 'P1', customerId: 'acme', productIds: ['vertical'], from: '2026-01-10', to: '2026-04-10' }],
      contracts: [contract({ sla: { targets: perPriority, quota: { maxRequests: 20, per: 'month' } } })],
    });
    expect(facts.customers.find((c) => c.id === 'nobody')!.representatives).toEqual([]);
    expect(facts.contracts[0]!.sla.targets.kind).toBe('per-priority');
  });

  it('every list may be omitted', () => {
    expect(parseFacts({})).toEqual({ products: [], salesOffices: [], customers: [], licenses: [], updatePackages: [], pilots: [], contracts: [] });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an impossible date', { licenses: [licence('L1', 'kompas', '2026-02-30')] }, 'licenses.0.purchasedOn: expected a calendar date YYYY-MM-DD'],
    ['an unknown product', { licenses: [licence('L1', 'nx', '2026-02-01')] }, 'licenses.0.productId: unknown product "nx"'],
    ['an unknown customer', { licenses: [licence('L1', 'kompas', '2026-02-01', undefined, 'ghost')] }, 'licenses.0.customerId: unknown customer "ghost"'],
    ['a duplicate id', { licenses: [licence('L1', 'kompas', '2026-02-01'), licence('L1', 'kompas', '2026-03-01')] }, 'licenses.1.id: duplicate id "L1"'],
    ['a licence ending before it starts', { licenses: [licence('L1', 'kompas', '2026-02-01', '2026-01-31')] }, 'licenses.0.validThrough: 2026-01-31 is before 2026-02-01'],
    ['a contract ending before it starts', { contracts: [contract({ from: '2026-02-01', to: '2026-01-01' })] }, 'contracts.0.to: 2026-01-01 is before 2026-02-01'],
    ['a contract for an unknown product', { contracts: [contract({ productIds: ['nx'] })] }, 'contracts.0.productIds.0: unknown product "nx"'],
    ['a pilot with no products', { pilots: [{ id: 'P1', customerId: 'acme', productIds: [], from: '2026-01-01', to: '2026-02-01' }] }, 'pilots.0.productIds'],
    [
      'per-priority targets missing a priority',
      { contracts: [contract({ sla: { targets: { kind: 'per-priority', byPriority: { ...perPriority.byPriority, low: undefined } } as never } })] },
      'contracts.0.sla.targets.byPriority.low',
    ],
    ['a zero quota', { contracts: [contract({ sla: { quota: { maxRequests: 0, per: 'month' } } })] }, 'contracts.0.sla.quota.maxRequests'],
    ['a bad e-mail', { contracts: [contract({ sla: { escalationContacts: [{ name: 'X', email: 'not-an-email' }] } })] }, 'contracts.0.sla.escalationContacts.0.email'],
    ['an unknown key', { licenses: [{ ...licence('L1', 'kompas', '2026-02-01'), purchasedAt: '2026-02-01' }] }, 'Unrecognized key: "purchasedAt"'],
    ['an unknown counterparty kind', { contracts: [contract({ counterparty: { kind: 'reseller' as never, name: 'X' } })] }, 'contracts.0.counterparty.kind'],
  ])('rejects %s', (_name, extra, message) => {
    const raw = { ...baseFacts, ...extra };
    expect(() => parseFacts(raw)).toThrow(FactsError);
    expect(() => parseFacts(raw)).toThrow(message);
    expect(PolicyFactsSchema.safeParse(raw).success).toBe(false);
  });

  it('rejects a customer whose office is unknown', () => {
    expect(() => parseFacts({ ...baseFacts, customers: [{ id: 'x', name: 'X', officeId: 'msk' }] })).toThrow('customers.0.officeId: unknown sales office "msk"');
  });
});

describe('facts against the catalogue', () => {
  it('lists contract channels and services the catalogue does not declare', () => {
    const facts = parseFacts({ ...baseFacts, contracts: [contract({ sla: { channels: ['messenger', 'fax'], services: ['telepathy', 'customisation'] } })] });
    expect(unknownContractTerms(catalogue, facts)).toEqual([
      'contracts[0].sla.channels[1]: unknown channel "fax"',
      'contracts[0].sla.services[0]: unknown service "telepathy"',
    ]);
  });

  it('is silent for contracts within the vocabulary', () => {
    expect(unknownContractTerms(catalogue, parseFacts({ ...baseFacts, contracts: [contract()] }))).toEqual([]);
  });
});
