import { PUBLISHED_CATALOGUE_DOCUMENTS } from '../../../catalogue';
import {
  admitRequest,
  catalogueByVersion,
  parseCatalogue,
  PinnedPolicySchema,
  PUBLISHED_CATALOGUES,
  representativeFor,
  type AdmissionRequest,
  type Catalogue,
  type PolicyFacts,
} from '../../../domain/policy';
import { catalogue, contract, licence, moscow, world } from './fixtures';

const AT = moscow('2026-06-01', '11:00');
const v2 = catalogueByVersion(PUBLISHED_CATALOGUES, 'support-levels.v2')!;
const ask = (facts: PolicyFacts, request: Partial<AdmissionRequest>, cat: Catalogue = v2) =>
  admitRequest(cat, facts, { customerId: 'acme', productId: 'kompas', channel: 'supplier-phone', category: 'defect-report', priority: 'normal', at: AT, ...request });

/** Catalogue v2 with warranty restricted to registered representatives. */
function v2WithWarrantyForRepresentatives(): Catalogue {
  const doc = structuredClone(PUBLISHED_CATALOGUE_DOCUMENTS[1]) as { catalogueVersion: string; levels: { id: string; whoMayAsk?: string }[] };
  doc.catalogueVersion = 'support-levels.test-representatives';
  doc.levels.find((l) => l.id === 'warranty')!.whoMayAsk = 'representatives';
  return parseCatalogue(doc);
}

describe('who may ask: the reporter and the representatives', () => {
  const customer = world().customers.find((c) => c.id === 'acme')!;

  it.each([
    ['the id', 'r1', 'r1'],
    ['the e-mail, in any case and with blanks', '  IVAN@acme.example ', 'r1'],
    ['a name (not unique, so not matched)', 'Ivan Petrov', undefined],
    ['a stranger', 'someone@else.example', undefined],
    ['nobody', undefined, undefined],
  ])('a reporter naming %s matches %s', (_what, reporter, id) => {
    expect(representativeFor(customer, reporter)?.id).toBe(id);
  });

  it('catalogue v2 lets anyone ask at every seed level; the individual level asks the contract', () => {
    expect(Object.values(v2.levels).map((l) => [l.id, l.whoMayAsk])).toEqual([
      ['initial', 'anyone'],
      ['basic', 'anyone'],
      ['warranty', 'anyone'],
      ['individual', 'contract'],
      ['pilot', 'anyone'],
    ]);
    // v1 is unchanged: no such term, read as anyone.
    expect(PUBLISHED_CATALOGUES[0]!.levels.warranty.whoMayAsk).toBe('anyone');
  });

  it('refuses "contract" on a level without per-contract terms', () => {
    const doc = structuredClone(PUBLISHED_CATALOGUE_DOCUMENTS[1]) as { levels: { id: string; whoMayAsk?: string }[] };
    doc.levels.find((l) => l.id === 'basic')!.whoMayAsk = 'contract';
    expect(() => parseCatalogue(doc)).toThrow(/levels\[1\]\.whoMayAsk: "contract" needs a per-contract level/);
  });

  describe('a contract for representatives only', () => {
    const facts = () => world({ contracts: [contract({ sla: { whoMayAsk: 'representatives' } })], licenses: [licence('L1', 'kompas', '2026-03-01')] });

    it('serves a registered representative under the contract and pins who asked', () => {
      const r = ask(facts(), { reporter: 'ivan@acme.example' });
      expect(r.ok && r.pinned).toMatchObject({ level: 'individual', contractId: 'C-1', whoMayAsk: 'representatives', reporter: { as: 'ivan@acme.example', representativeId: 'r1', name: 'Ivan Petrov' } });
      expect(r.ok && PinnedPolicySchema.parse(r.pinned)).toBeTruthy();
    });

    it('lets anyone else fall through to the warranty the licence gives, and says why in both languages', () => {
      const r = ask(facts(), { reporter: 'stranger@acme.example' });
      expect(r.ok && r.level).toBe('warranty');
      if (!r.ok) return;
      expect(r.pinned.reporter).toEqual({ as: 'stranger@acme.example' });
      expect(r.pinned.reasons).toContain('individual (contract C-1) passed over: stranger@acme.example is not a registered representative of ACME');
      expect(r.pinned.notGranted).toEqual([
        {
          level: 'individual',
          contractId: 'C-1',
          code: 'reporter-not-representative',
          en: 'Individual support: only registered representatives of the customer may ask, and stranger@acme.example is not one',
          ru: 'Индивидуальная техническая поддержка: обращаться могут только зарегистрированные представители заказчика, а stranger@acme.example к ним не относится',
        },
      ]);
    });

    it('refuses with reporter-not-representative, field reporter, when nothing else fits', () => {
      // Remote access is offered by the contract only.
      const r = ask(facts(), { channel: 'remote-access' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.refusal).toMatchObject({ rule: 'reporter-not-representative', field: 'reporter' });
      expect(r.refusal.message).toBe('no reporter named: only registered representatives of ACME may ask, and no other level held lets anyone ask');
      expect(r.refusal.notGranted.map((n) => n.code)).toContain('reporter-not-representative');
    });
  });

  it('a catalogue level for representatives only passes a stranger over to basic', () => {
    const facts = world({ licenses: [licence('L1', 'kompas', '2026-03-01')] });
    const cat = v2WithWarrantyForRepresentatives();
    expect(ask(facts, { reporter: 'r1' }, cat)).toMatchObject({ ok: true, level: 'warranty' });
    expect(ask(facts, { reporter: 'stranger' }, cat)).toMatchObject({ ok: true, level: 'basic', pinned: { whoMayAsk: 'anyone', reporter: { as: 'stranger' } } });
  });
});

describe('anonymous requests from the support-site form', () => {
  const anonymous: Partial<AdmissionRequest> = { customerId: undefined, productId: undefined, channel: 'support-site-form', category: 'demo' };

  it('go to the configured default office', () => {
    const r = ask(world(), { ...anonymous, siteFormOfficeId: 'ekb' }, catalogue);
    expect(r.ok && r.pinned).toMatchObject({ level: 'initial', officeId: 'ekb', calendar: { id: 'partner-ekb' } });
    expect(r.ok && r.pinned.reasons).toContain('served by sales office ekb "Ekaterinburg partner" on calendar partner-ekb (the default office for anonymous requests from the support-site form)');
  });

  it.each([
    ['no default office is configured', { ...anonymous }],
    ['another channel', { ...anonymous, channel: 'office-email', siteFormOfficeId: 'ekb' }],
    ['a customer without an office', { ...anonymous, customerId: 'nobody', siteFormOfficeId: 'ekb' }],
    ['the configured office does not exist', { ...anonymous, siteFormOfficeId: 'gone' }],
  ])('are refused office-required when %s', (_why, request) => {
    expect(ask(world(), request, catalogue)).toMatchObject({ ok: false, refusal: { rule: 'office-required', field: 'officeId' } });
  });

  it('an office named in the request still wins', () => {
    expect(ask(world(), { ...anonymous, officeId: 'spb', siteFormOfficeId: 'ekb' }, catalogue)).toMatchObject({ ok: true, pinned: { officeId: 'spb' } });
  });
});
