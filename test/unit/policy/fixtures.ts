/**
 * Shared test data: a small world of products, offices and customers, and a builder that
 * overrides any part of it. Instants are built from Moscow wall-clock times.
 */
import { parseFacts, PUBLISHED_CATALOGUES, startOfLocalDate, type Catalogue, type PolicyFacts, type PolicyFactsInput } from '../../../domain/policy';

export const catalogue: Catalogue = PUBLISHED_CATALOGUES[0]!;

/** The instant of a Moscow wall-clock time, e.g. `moscow('2026-03-01', '23:59')`. */
export function moscow(date: string, time = '12:00'): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return startOfLocalDate(date) + (h * 60 + m) * 60_000;
}

export const HOUR_MS = 3_600_000;

export const baseFacts: PolicyFactsInput = {
  products: [
    { id: 'kompas', name: 'KOMPAS-3D', kind: 'commercial' },
    { id: 'vertical', name: 'VERTICAL', kind: 'commercial', supportWithdrawnFrom: '2026-09-01' },
    { id: 'legacy', name: 'Legacy CAD', kind: 'commercial', supportWithdrawnFrom: '2020-01-01' },
    { id: 'viewer', name: 'KOMPAS-3D Viewer', kind: 'free' },
  ],
  salesOffices: [
    { id: 'spb', name: 'St Petersburg office', operator: 'supplier', calendarId: 'office-spb' },
    { id: 'ekb', name: 'Ekaterinburg partner', operator: 'partner', calendarId: 'partner-ekb' },
  ],
  customers: [
    { id: 'acme', name: 'ACME', officeId: 'spb', representatives: [{ id: 'r1', name: 'Ivan Petrov', email: 'ivan@acme.example' }] },
    { id: 'nobody', name: 'No Office Ltd' },
  ],
};

type Lists = Omit<PolicyFactsInput, 'products' | 'salesOffices' | 'customers'>;

/** The base world plus the given records (customers `acme` and `nobody` always exist). */
export function world(extra: Lists & Pick<PolicyFactsInput, 'products' | 'customers'> = {}): PolicyFacts {
  return parseFacts({
    ...baseFacts,
    ...extra,
    products: [...(baseFacts.products ?? []), ...(extra.products ?? [])],
    customers: [...(baseFacts.customers ?? []), ...(extra.customers ?? [])],
  });
}

export const licence = (id: string, productId: string, purchasedOn: string, validThrough?: string, customerId = 'acme') => ({
  id,
  customerId,
  productId,
  purchasedOn,
  ...(validThrough && { validThrough }),
});

export const updatePackage = (id: string, productId: string, purchasedOn: string, customerId = 'acme') => ({ id, customerId, productId, purchasedOn });

export const pilot = (id: string, productIds: string[], from: string, to: string, customerId = 'acme') => ({ id, customerId, productIds, from, to });

type ContractInput = NonNullable<PolicyFactsInput['contracts']>[number];

/** A dealer contract for 2026 with single targets 4 h / 24 h; override anything. */
export function contract(overrides: Omit<Partial<ContractInput>, 'sla'> & { sla?: Partial<ContractInput['sla']> } = {}): ContractInput {
  const { sla, ...rest } = overrides;
  return {
    id: 'C-1',
    customerId: 'acme',
    counterparty: { kind: 'dealer', name: 'CAD Dealer' },
    from: '2026-01-01',
    to: '2026-12-31',
    ...rest,
    sla: {
      calendarId: 'acme-24x7',
      targets: { kind: 'single', firstResponse: { workingHours: 4 }, resolution: { workingHours: 24 } },
      channels: ['messenger', 'remote-access', 'supplier-phone'],
      services: ['dedicated-engineer', 'onsite-updates', 'customisation', 'defect-report'],
      dedicatedEngineer: { name: 'Olga Smirnova', email: 'olga@supplier.example' },
      escalationContacts: [{ name: 'Pavel Ivanov', role: 'CTO', phone: '+7 900 000-00-00' }],
      ...sla,
    },
  };
}

/** Recursively freezes a value, so a test can show that a function does not mutate it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}
