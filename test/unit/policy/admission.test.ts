import { admitRequest, PolicyInputError, type AdmissionRequest, type AdmissionResult, type PolicyFacts, type Priority } from '../../../domain/policy';
import { catalogue, contract, deepFreeze, HOUR_MS, licence, moscow, pilot, world } from './fixtures';

const AT = moscow('2026-06-01', '11:00');

function admit(facts: PolicyFacts, request: Partial<AdmissionRequest>): AdmissionResult {
  return admitRequest(catalogue, facts, { customerId: 'acme', channel: 'supplier-phone', category: 'defect-report', priority: 'normal', at: AT, ...request });
}

function served(result: AdmissionResult) {
  if (!result.ok) throw new Error(`expected admission, got refusal ${result.refusal.rule}: ${result.refusal.message}`);
  return result;
}

function refused(result: AdmissionResult) {
  if (result.ok) throw new Error(`expected refusal, got level ${result.level}`);
  return result.refusal;
}

const withLicence = (purchasedOn: string) => world({ licenses: [licence('L1', 'kompas', purchasedOn)] });

describe('admission: every level serves its own channels and services', () => {
  it.each<[string, PolicyFacts, Partial<AdmissionRequest>, string, string, number | null, number | null]>([
    ['initial: anyone, promotions, office phone', world(), { customerId: undefined, officeId: 'spb', channel: 'office-phone', category: 'promotions-events' }, 'initial', 'office-spb', null, null],
    ['initial: a demo booked at a partner office', world(), { officeId: 'ekb', channel: 'office-visit', category: 'demo' }, 'initial', 'partner-ekb', null, null],
    ['initial: the support-site form for delivery terms', world(), { officeId: 'spb', channel: 'support-site-form', category: 'delivery-terms' }, 'initial', 'office-spb', null, null],
    ['basic: a defect by phone', withLicence('2020-05-01'), { productId: 'kompas' }, 'basic', 'supplier', 16, null],
    ['basic: the knowledge base via the web portal', withLicence('2020-05-01'), { productId: 'kompas', channel: 'web-portal', category: 'closed-knowledge-base' }, 'basic', 'supplier', 16, null],
    ['warranty: a defect by phone', withLicence('2026-03-01'), { productId: 'kompas' }, 'warranty', 'supplier', 8, 40],
    ['warranty: information support by e-mail', withLicence('2026-03-01'), { productId: 'kompas', channel: 'supplier-email', category: 'information-support' }, 'warranty', 'supplier', 8, 40],
    ['warranty: a visit to the supplier office', withLicence('2026-03-01'), { productId: 'kompas', channel: 'supplier-office-visit', category: 'representatives-registration' }, 'warranty', 'supplier', 8, 40],
    ['pilot: warranty terms', world({ pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')] }), { productId: 'kompas', channel: 'supplier-office-visit', category: 'information-support' }, 'pilot', 'supplier', 8, 40],
    ['individual: remote access for customisation', world({ contracts: [contract()] }), { productId: 'kompas', channel: 'remote-access', category: 'customisation' }, 'individual', 'acme-24x7', 4, 24],
    ['individual: a request naming no product under a customer-wide contract', world({ contracts: [contract()] }), { channel: 'messenger', category: 'onsite-updates' }, 'individual', 'acme-24x7', 4, 24],
  ])('%s', (_name, facts, request, level, calendarId, firstResponseH, resolutionH) => {
    const { pinned } = served(admit(facts, request));
    expect(pinned.level).toBe(level);
    expect(pinned.calendar).toEqual({ id: calendarId });
    expect(pinned.targets).toEqual({
      firstResponse: firstResponseH === null ? null : { workingMs: firstResponseH * HOUR_MS },
      resolution: resolutionH === null ? null : { workingMs: resolutionH * HOUR_MS },
    });
  });
});

describe('admission: the strongest level that fits, not merely the strongest held', () => {
  const rich = world({
    contracts: [contract()],
    pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')],
    licenses: [licence('L1', 'kompas', '2026-03-01')],
  });

  it.each<[string, Partial<AdmissionRequest>, string]>([
    ['the contract covers defects by phone', { productId: 'kompas' }, 'individual'],
    ['the contract lacks the knowledge base: pilot serves', { productId: 'kompas', category: 'closed-knowledge-base' }, 'pilot'],
    ['the contract lacks e-mail: pilot serves', { productId: 'kompas', channel: 'supplier-email' }, 'pilot'],
    ['a promotion question from a licensed customer: initial', { productId: 'kompas', channel: 'office-email', category: 'promotions-events' }, 'initial'],
  ])('%s', (_name, request, level) => {
    expect(served(admit(rich, request)).level).toBe(level);
  });

  it('warranty before basic when both hold', () => {
    expect(served(admit(withLicence('2026-03-01'), { productId: 'kompas' })).entitlement.source.kind).toBe('license-purchase');
  });

  it('records why stronger levels were passed over', () => {
    const { pinned } = served(admit(rich, { productId: 'kompas', channel: 'supplier-email', category: 'closed-knowledge-base' }));
    expect(pinned.reasons).toEqual([
      'pilot: pilot operation P1 of KOMPAS-3D from 2026-05-01 to 2026-07-31, on warranty terms',
      'individual (contract C-1) passed over: "closed-knowledge-base" is not among its services',
    ]);
  });

  it('a product-specific contract wins over a customer-wide one', () => {
    const facts = world({
      contracts: [contract({ id: 'C-all' }), contract({ id: 'C-kompas', productIds: ['kompas'], sla: { calendarId: 'kompas-cal' } })],
    });
    const { pinned } = served(admit(facts, { productId: 'kompas' }));
    expect([pinned.contractId, pinned.calendar.id]).toEqual(['C-kompas', 'kompas-cal']);
  });
});

describe('admission: pilot = warranty terms', () => {
  it('the pinned terms are identical apart from the level, its name and the reasons', () => {
    const request = { productId: 'kompas', channel: 'web-portal', category: 'install-uninstall' };
    const { level: lp, levelName: np, reasons: rp, ...pilotTerms } = served(admit(world({ pilots: [pilot('P1', ['kompas'], '2026-05-01', '2026-07-31')] }), request)).pinned;
    const { level: lw, levelName: nw, reasons: rw, ...warrantyTerms } = served(admit(withLicence('2026-03-01'), request)).pinned;
    expect([lp, lw]).toEqual(['pilot', 'warranty']);
    expect(np.en).not.toBe(nw.en);
    expect(rp[0]).not.toBe(rw[0]);
    expect(pilotTerms).toEqual(warrantyTerms);
  });
});

describe('admission: individual contract with targets per priority', () => {
  const facts = world({
    contracts: [
      contract({
        counterparty: { kind: 'central-service', name: 'Central support service' },
        sla: {
          targets: {
            kind: 'per-priority',
            byPriority: {
              critical: { firstResponse: { workingHours: 0.5 }, resolution: { workingHours: 4 } },
              high: { firstResponse: { workingHours: 2 }, resolution: { workingHours: 16 } },
              normal: { firstResponse: { workingHours: 4 }, resolution: { workingHours: 40 } },
              low: { firstResponse: { workingHours: 8 }, resolution: null },
            },
          },
        },
      }),
    ],
  });

  it.each<[Priority, number, number | null]>([
    ['critical', 30 * 60_000, 4 * HOUR_MS],
    ['high', 2 * HOUR_MS, 16 * HOUR_MS],
    ['normal', 4 * HOUR_MS, 40 * HOUR_MS],
    ['low', 8 * HOUR_MS, null],
  ])('%s: first response %p ms, resolution %p ms', (priority, firstResponse, resolution) => {
    const { pinned } = served(admit(facts, { productId: 'kompas', priority }));
    expect(pinned.priority).toBe(priority);
    expect(pinned.targets).toEqual({ firstResponse: { workingMs: firstResponse }, resolution: resolution === null ? null : { workingMs: resolution } });
  });

  it('carries the contract people and the contract escalation ladder', () => {
    const { pinned } = served(admit(facts, { productId: 'kompas' }));
    expect(pinned.contractId).toBe('C-1');
    expect(pinned.notify).toEqual({
      dedicatedEngineer: { name: 'Olga Smirnova', email: 'olga@supplier.example' },
      escalationContacts: [{ name: 'Pavel Ivanov', role: 'CTO', phone: '+7 900 000-00-00' }],
    });
    expect(pinned.escalation).toEqual([
      { afterBreachWorkingMs: 0, notify: ['assignee', 'dedicated-engineer', 'team-lead'] },
      { afterBreachWorkingMs: 2 * HOUR_MS, notify: ['head-of-support', 'contract-escalation-contacts'] },
    ]);
    expect(pinned.warningNotify).toEqual(['assignee', 'dedicated-engineer']);
  });
});

describe('admission: contract quotas', () => {
  const quotaContract = contract({ sla: { quota: { maxRequests: 10, per: 'month' } } });

  it('under the quota: individual, and the reasons show the count and the period', () => {
    const { pinned } = served(admit(world({ contracts: [quotaContract] }), { productId: 'kompas', quotaUsage: { 'C-1': 9 } }));
    expect(pinned.level).toBe('individual');
    expect(pinned.reasons).toContain('quota: request 10 of 10 in 2026-06-01..2026-06-30');
  });

  it('quota used up: falls through to the next level that fits', () => {
    const facts = world({ contracts: [quotaContract], licenses: [licence('L1', 'kompas', '2026-03-01')] });
    const { pinned } = served(admit(facts, { productId: 'kompas', quotaUsage: { 'C-1': 10 } }));
    expect(pinned.level).toBe('warranty');
    expect(pinned.reasons).toContain('individual (contract C-1) passed over: quota exhausted, 10 of 10 requests in 2026-06-01..2026-06-30');
  });

  it('quota used up and nothing else fits: refusal quota-exhausted', () => {
    const refusal = refused(admit(world({ contracts: [quotaContract] }), { productId: 'kompas', quotaUsage: { 'C-1': 12 } }));
    expect(refusal.rule).toBe('quota-exhausted');
    expect(refusal.message).toMatch(/contract C-1: 12 of 10 requests used in 2026-06-01\.\.2026-06-30/);
    expect(refusal.allowed.map((a) => a.level)).toEqual(['individual', 'initial']);
  });

  it('the caller must say how many requests were used: an error, not a refusal', () => {
    expect(() => admit(world({ contracts: [quotaContract] }), { productId: 'kompas' })).toThrow(PolicyInputError);
    expect(() => admit(world({ contracts: [quotaContract] }), { productId: 'kompas', quotaUsage: { other: 1 } })).toThrow('quotaUsage.C-1');
  });

  it('usage is not needed when the contract does not fit anyway, nor for a contract without quota', () => {
    expect(served(admit(world({ contracts: [quotaContract] }), { channel: 'office-phone', category: 'demo' })).level).toBe('initial');
    expect(served(admit(world({ contracts: [contract()] }), { productId: 'kompas' })).level).toBe('individual');
  });

  it('warranty has no quota: any number of requests', () => {
    expect(served(admit(withLicence('2026-03-01'), { productId: 'kompas', quotaUsage: { 'C-1': 1_000_000 } })).level).toBe('warranty');
  });
});

describe('admission: initial-level requests need a sales office', () => {
  const request = { channel: 'office-phone', category: 'product-range' } as const;

  it('the office named in the request', () => {
    const { pinned } = served(admit(world(), { ...request, officeId: 'ekb' }));
    expect([pinned.officeId, pinned.calendar.id]).toEqual(['ekb', 'partner-ekb']);
    expect(pinned.reasons).toEqual(['initial: open to anyone interested', 'served by sales office ekb "Ekaterinburg partner" on calendar partner-ekb']);
  });

  it("defaults to the customer's own office", () => {
    const { pinned } = served(admit(world(), request));
    expect([pinned.officeId, pinned.calendar.id]).toEqual(['spb', 'office-spb']);
    expect(pinned.reasons[1]).toMatch(/\(the customer's office\)$/);
  });

  it.each([
    ['an anonymous person', { customerId: undefined }],
    ['a customer without an office', { customerId: 'nobody' }],
  ])('refused for %s who names none: office-required, field officeId', (_name, who) => {
    const refusal = refused(admit(world(), { ...request, ...who }));
    expect(refusal).toMatchObject({ rule: 'office-required', field: 'officeId' });
    expect(refusal.message).toMatch(/officeId/);
  });

  it('an office is irrelevant, and not pinned, for supplier levels', () => {
    const { pinned } = served(admit(withLicence('2026-03-01'), { productId: 'kompas', officeId: 'spb' }));
    expect(pinned.calendar.id).toBe('supplier');
    expect(pinned).not.toHaveProperty('officeId');
  });
});

describe('admission: refusals', () => {
  const licensed = withLicence('2020-05-01');

  it.each<[string, PolicyFacts, Partial<AdmissionRequest>, string, string | undefined]>([
    ['unknown customer', licensed, { customerId: 'ghost' }, 'unknown-customer', 'customerId'],
    ['unknown product', licensed, { productId: 'nx' }, 'unknown-product', 'productId'],
    ['unknown office', licensed, { officeId: 'msk' }, 'unknown-office', 'officeId'],
    ['unknown channel', licensed, { productId: 'kompas', channel: 'fax' }, 'unknown-channel', 'channel'],
    ['unknown category', licensed, { productId: 'kompas', category: 'astrology' }, 'unknown-category', 'category'],
    ['a supplier service through an office channel', licensed, { productId: 'kompas', channel: 'office-phone' }, 'channel-not-allowed', 'channel'],
    ['a supplier office visit under basic', licensed, { productId: 'kompas', channel: 'supplier-office-visit' }, 'channel-not-allowed', 'channel'],
    ['a warranty-only service under basic', licensed, { productId: 'kompas', category: 'information-support' }, 'category-not-covered', 'category'],
    ['a contract service without a contract', licensed, { productId: 'kompas', channel: 'remote-access', category: 'customisation' }, 'category-not-covered', 'category'],
    ['a defect report from an anonymous person', world(), { customerId: undefined, productId: 'kompas' }, 'category-not-covered', 'category'],
    ['a defect report about a free product', world({ licenses: [licence('L1', 'viewer', '2026-03-01')] }), { productId: 'viewer' }, 'category-not-covered', 'category'],
    ['a defect report after the contract expired', world({ contracts: [contract({ to: '2026-05-31' })] }), { productId: 'kompas' }, 'category-not-covered', 'category'],
    ['a product-bound service naming no product', licensed, {}, 'product-required', 'productId'],
  ])('%s: %s', (_name, facts, request, rule, field) => {
    const refusal = refused(admit(facts, request));
    expect(refusal.rule).toBe(rule);
    expect(refusal.field).toBe(field);
    expect(refusal.message.length).toBeGreaterThan(10);
  });

  it('lists what the customer does hold, for the client to offer instead', () => {
    const refusal = refused(admit(licensed, { productId: 'kompas', channel: 'office-phone' }));
    expect(refusal.message).toBe('"defect-report" is offered through supplier-phone, supplier-email, web-portal, not through "office-phone"');
    expect(refusal.allowed).toEqual([
      {
        level: 'basic',
        products: ['kompas'],
        channels: ['supplier-phone', 'supplier-email', 'web-portal'],
        services: ['install-uninstall', 'defect-report', 'change-proposal', 'closed-knowledge-base', 'basic-functionality'],
      },
      {
        level: 'initial',
        products: 'all',
        channels: ['office-phone', 'office-email', 'office-visit', 'support-site-form'],
        services: ['product-range', 'functionality-info', 'delivery-terms', 'promotions-events', 'demo'],
      },
    ]);
  });

  it('a refusal for a contract names the contract in allowed', () => {
    const refusal = refused(admit(world({ contracts: [contract()] }), { productId: 'kompas', category: 'mini-training' }));
    expect(refusal.allowed[0]).toMatchObject({ level: 'individual', contractId: 'C-1', products: 'all' });
  });
});

describe('admission is pure', () => {
  it('does not mutate the facts, and the same input gives the same result', () => {
    const facts = deepFreeze(world({ contracts: [contract()], licenses: [licence('L1', 'kompas', '2026-03-01')] }));
    const first = admit(facts, { productId: 'kompas' });
    expect(admit(facts, { productId: 'kompas' })).toEqual(first);
  });
});
