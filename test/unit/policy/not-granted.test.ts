import { admitRequest, catalogueByVersion, PUBLISHED_CATALOGUES, type AdmissionRequest, type PolicyFacts } from '../../../domain/policy';
import { contract, licence, moscow, pilot, updatePackage, world } from './fixtures';

const v2 = catalogueByVersion(PUBLISHED_CATALOGUES, 'support-levels.v2')!;
const ask = (facts: PolicyFacts, request: Partial<AdmissionRequest>) =>
  admitRequest(v2, facts, { customerId: 'acme', productId: 'kompas', channel: 'supplier-phone', category: 'defect-report', priority: 'normal', at: moscow('2027-06-01'), ...request });

describe('why a level was not granted', () => {
  it('a fall-through from warranty to basic: "warranty ended on …", in English and Russian', () => {
    const r = ask(world({ licenses: [licence('L1', 'kompas', '2026-03-01')] }), {});
    expect(r).toMatchObject({ ok: true, level: 'basic' });
    if (!r.ok) return;
    expect(r.pinned.notGranted).toEqual([
      {
        level: 'warranty',
        code: 'warranty-ended',
        en: 'Warranty support: warranty ended on 2027-03-01 (one year after the licence L1 for KOMPAS-3D was bought on 2026-03-01)',
        ru: 'Гарантийная техническая поддержка: гарантия закончилась 01.03.2027 (через год после покупки лицензии L1 на KOMPAS-3D 01.03.2026)',
      },
    ]);
    // The registration answer's reasons carry the English sentence too.
    expect(r.pinned.reasons).toContain(r.pinned.notGranted![0]!.en);
  });

  it('names the latest purchase: an update package extends the warranty', () => {
    const r = ask(world({ licenses: [licence('L1', 'kompas', '2025-01-10')], updatePackages: [updatePackage('U1', 'kompas', '2026-02-01')] }), {});
    expect(r.ok && r.pinned.notGranted?.[0]?.en).toBe(
      'Warranty support: warranty ended on 2027-02-01 (one year after the update package U1 for KOMPAS-3D was bought on 2026-02-01)',
    );
  });

  it('a refusal category-not-covered: warranty ended and the product withdrawn from support', () => {
    // VERTICAL is withdrawn from support on 2026-09-01; its licence's warranty ended 2026-08-15.
    const r = ask(world({ licenses: [licence('L2', 'vertical', '2025-08-15')] }), { productId: 'vertical' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.rule).toBe('category-not-covered');
    expect(r.refusal.notGranted.map((n) => [n.level, n.code, n.ru])).toEqual([
      ['warranty', 'warranty-ended', 'Гарантийная техническая поддержка: гарантия закончилась 15.08.2026 (через год после покупки лицензии L2 на VERTICAL 15.08.2025)'],
      ['basic', 'product-withdrawn', 'Базовая техническая поддержка: VERTICAL снят с поддержки 01.09.2026'],
    ]);
    expect(r.refusal.message).toBe(
      'no support level held for product "vertical" covers "defect-report": Warranty support: warranty ended on 2026-08-15 (one year after the licence L2 for VERTICAL was bought on 2025-08-15); ' +
        'Basic support: VERTICAL was withdrawn from support on 2026-09-01',
    );
  });

  it.each([
    ['a free product', { productId: 'viewer' }, {}, ['free-product', 'free-product']],
    ['no licence at all', {}, {}, ['no-licence', 'no-licence']],
    ['an expired term licence', {}, { licenses: [licence('L1', 'kompas', '2025-01-01', '2026-12-31')] }, ['licence-expired', 'licence-expired']],
    ['a licence bought later', {}, { licenses: [licence('L1', 'kompas', '2027-07-01')] }, ['licence-not-started', 'licence-not-started']],
    ['no customer', { customerId: undefined }, {}, ['no-customer']],
  ] as const)('%s', (_name, request, extra, codes) => {
    const r = ask(world(structuredClone(extra) as Parameters<typeof world>[0]), request);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refusal.notGranted.map((n) => n.code)).toEqual(codes);
  });

  it('an ended pilot and an ended contract are named; levels that would not cover the category are not', () => {
    const facts = world({
      licenses: [licence('L1', 'kompas', '2026-03-01')],
      pilots: [pilot('P1', ['kompas'], '2026-01-01', '2026-04-30')],
      contracts: [contract({ id: 'C-2025', from: '2025-01-01', to: '2025-12-31' }), contract({ id: 'C-demo', from: '2025-01-01', to: '2025-12-31', sla: { services: ['customisation'] } })],
    });
    const r = ask(facts, {});
    expect(r.ok && r.pinned.notGranted?.map((n) => [n.level, n.code, n.contractId ?? null, n.en])).toEqual([
      ['individual', 'contract-ended', 'C-2025', 'Individual support: contract C-2025 ended on 2025-12-31'],
      ['pilot', 'pilot-ended', null, 'Support during pilot operation: pilot operation P1 ended on 2026-04-30'],
      ['warranty', 'warranty-ended', null, expect.stringMatching(/^Warranty support: warranty ended on 2027-03-01/)],
    ]);
  });

  it('a held level whose terms lack the category says so in both languages', () => {
    const r = ask(world({ licenses: [licence('L1', 'kompas', '2027-03-01')], contracts: [contract({ from: '2027-01-01', to: '2027-12-31', sla: { services: ['customisation'] } })] }), {});
    expect(r.ok && r.pinned.notGranted).toEqual([
      {
        level: 'individual',
        contractId: 'C-1',
        code: 'category-not-in-terms',
        en: 'Individual support: contract C-1 does not include “Accepting defect reports”',
        ru: 'Индивидуальная техническая поддержка: договор C-1 не включает «Приём замечаний по работе ПО»',
      },
    ]);
  });

  it('a granted strongest level explains nothing', () => {
    const r = ask(world({ licenses: [licence('L1', 'kompas', '2027-03-01')] }), {});
    expect(r.ok && r.pinned.notGranted).toBeUndefined();
  });
});
