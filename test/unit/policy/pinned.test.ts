import {
  admitRequest,
  PINNED_POLICY_VERSION,
  PinnedPolicySchema,
  pinPolicy,
  termsFor,
  withCalendarVersion,
  entitlementsAt,
  type AdmissionRequest,
  type PinnedPolicy,
  type PolicyFacts,
} from '../../../domain/policy';
import { catalogue, contract, HOUR_MS, licence, moscow, world } from './fixtures';

const AT = moscow('2026-06-01', '11:00');

function pin(facts: PolicyFacts, request: Partial<AdmissionRequest>): PinnedPolicy {
  const result = admitRequest(catalogue, facts, { customerId: 'acme', channel: 'supplier-phone', category: 'defect-report', priority: 'high', at: AT, ...request });
  if (!result.ok) throw new Error(result.refusal.message);
  return result.pinned;
}

const contractFacts = () => world({ contracts: [contract()] });

describe('pinned policy', () => {
  it('a warranty request, in full', () => {
    expect(pin(world({ licenses: [licence('L1', 'kompas', '2026-03-01')] }), { productId: 'kompas' })).toEqual({
      pinnedPolicyVersion: PINNED_POLICY_VERSION,
      level: 'warranty',
      levelName: { en: 'Warranty support', ru: 'Гарантийная техническая поддержка' },
      catalogueVersion: 'support-levels.v1',
      customerId: 'acme',
      productId: 'kompas',
      calendar: { id: 'supplier' },
      priority: 'high',
      targets: { firstResponse: { workingMs: 8 * HOUR_MS }, resolution: { workingMs: 40 * HOUR_MS } },
      warnings: [0.75, 0.9],
      warningNotify: ['assignee'],
      escalation: [
        { afterBreachWorkingMs: 0, notify: ['assignee', 'team-lead'] },
        { afterBreachWorkingMs: 4 * HOUR_MS, notify: ['head-of-support'] },
      ],
      autoCloseWorkingDays: 5,
      lifecycle: { pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: [] }, nextReply: null, waitingOnCustomer: { reminderAfterWorkingDays: null, autoResolveAfterWorkingDays: null }, replyAfterResolution: 'reopen' },
      notify: { escalationContacts: [] },
      channels: ['supplier-phone', 'supplier-email', 'supplier-office-visit', 'web-portal'],
      services: ['representatives-registration', 'closed-knowledge-base', 'install-uninstall', 'basic-functionality', 'defect-report', 'change-proposal', 'information-support'],
      reasons: ['warranty: licence for KOMPAS-3D bought 2026-03-01, valid to 2027-03-01'],
      whoMayAsk: 'anyone',
      pinnedAtMs: AT,
    });
  });

  it('initial: not regulated, so no warnings and no escalation, but auto-close still applies', () => {
    const p = pin(world(), { channel: 'office-email', category: 'functionality-info' });
    expect(p).toMatchObject({ level: 'initial', officeId: 'spb', targets: { firstResponse: null, resolution: null }, warnings: [], escalation: [], autoCloseWorkingDays: 5 });
  });

  it('basic: first response regulated, resolution not', () => {
    expect(pin(world({ licenses: [licence('L1', 'kompas', '2020-01-01')] }), { productId: 'kompas' }).targets).toEqual({
      firstResponse: { workingMs: 16 * HOUR_MS },
      resolution: null,
    });
  });

  it.each<[string, () => PinnedPolicy]>([
    ['initial', () => pin(world(), { channel: 'office-email', category: 'demo' })],
    ['basic', () => pin(world({ licenses: [licence('L1', 'kompas', '2020-01-01')] }), { productId: 'kompas' })],
    ['individual', () => pin(contractFacts(), { productId: 'kompas' })],
  ])('%s: survives a JSON round trip and passes its schema', (_name, make) => {
    const p = make();
    const json = JSON.parse(JSON.stringify(p)) as unknown;
    expect(json).toEqual(p);
    expect(PinnedPolicySchema.parse(json)).toEqual(p);
    expect(Object.values(p)).not.toContain(undefined);
  });

  it('the schema rejects a tampered policy', () => {
    const p = pin(contractFacts(), { productId: 'kompas' });
    expect(PinnedPolicySchema.safeParse({ ...p, warnings: [1.2] }).success).toBe(false);
    expect(PinnedPolicySchema.safeParse({ ...p, targets: { firstResponse: { workingMs: -1 }, resolution: null } }).success).toBe(false);
    expect(PinnedPolicySchema.safeParse({ ...p, extra: true }).success).toBe(false);
  });

  it('later changes to the facts do not reach a pinned policy', () => {
    const facts = contractFacts();
    const p = pin(facts, { productId: 'kompas' });
    const before = structuredClone(p);
    const sla = facts.contracts[0]!.sla;
    sla.channels.push('web-portal');
    sla.escalationContacts[0]!.name = 'Someone Else';
    sla.dedicatedEngineer!.email = 'new@supplier.example';
    expect(p).toEqual(before);
  });

  it('the caller adds the calendar version without touching the original', () => {
    const p = pin(contractFacts(), { productId: 'kompas' });
    const versioned = withCalendarVersion(p, 'acme-24x7@3');
    expect(versioned.calendarVersionId).toBe('acme-24x7@3');
    expect(p).not.toHaveProperty('calendarVersionId');
    expect(PinnedPolicySchema.parse(versioned)).toEqual(versioned);
  });

  it('pinPolicy refuses to pin an office-calendar level without the office', () => {
    const facts = world();
    const initial = entitlementsAt(facts, { at: AT })[0]!;
    expect(() => pinPolicy({ catalogue, terms: termsFor(catalogue, facts, initial), priority: 'normal', reasons: ['x'], at: AT })).toThrow(/needs the office/);
  });
});
