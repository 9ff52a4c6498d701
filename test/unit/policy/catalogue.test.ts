import {
  CatalogueError,
  catalogueByVersion,
  catalogueEffectiveAt,
  LEVEL_IDS,
  parseCatalogue,
  PUBLISHED_CATALOGUES,
  type LevelId,
} from '../../../domain/policy';
import { PUBLISHED_CATALOGUE_DOCUMENTS } from '../../../catalogue';
import { catalogue, moscow } from './fixtures';

const doc = () => structuredClone(PUBLISHED_CATALOGUE_DOCUMENTS[0]) as Record<string, unknown> & { levels: Record<string, unknown>[] };
const level = (d: ReturnType<typeof doc>, id: LevelId) => d.levels.find((l) => l.id === id)!;

describe('catalogue v1: the levels as the source states them', () => {
  it.each<[LevelId, unknown, number | null, number | null]>([
    ['initial', { kind: 'office' }, null, null],
    ['basic', { kind: 'fixed', calendarId: 'supplier' }, 16, null],
    ['warranty', { kind: 'fixed', calendarId: 'supplier' }, 8, 40],
    ['pilot', { kind: 'fixed', calendarId: 'supplier' }, 8, 40],
  ])('%s: calendar %j, first response %p h, resolution %p h', (id, calendar, firstResponse, resolution) => {
    const l = catalogue.levels[id];
    expect(l.calendar).toEqual(calendar);
    expect(l.targets).toEqual({
      kind: 'fixed',
      firstResponse: firstResponse === null ? null : { workingHours: firstResponse },
      resolution: resolution === null ? null : { workingHours: resolution },
    });
  });

  it.each<[LevelId, string[], string[]]>([
    ['initial', ['office-phone', 'office-email', 'office-visit', 'support-site-form'], ['product-range', 'functionality-info', 'delivery-terms', 'promotions-events', 'demo']],
    ['basic', ['supplier-phone', 'supplier-email', 'web-portal'], ['install-uninstall', 'defect-report', 'change-proposal', 'closed-knowledge-base', 'basic-functionality']],
    [
      'warranty',
      ['supplier-phone', 'supplier-email', 'supplier-office-visit', 'web-portal'],
      ['representatives-registration', 'closed-knowledge-base', 'install-uninstall', 'basic-functionality', 'defect-report', 'change-proposal', 'information-support'],
    ],
  ])('%s: channels and services', (id, channels, services) => {
    const l = catalogue.levels[id];
    expect(l.channels).toEqual({ kind: 'fixed', ids: channels });
    expect(l.services).toEqual({ kind: 'fixed', ids: services });
  });

  it("warranty offers every basic channel and service (the source's lists are supersets)", () => {
    const ids = (id: LevelId) => {
      const l = catalogue.levels[id];
      if (l.channels.kind !== 'fixed' || l.services.kind !== 'fixed') throw new Error('fixed expected');
      return { channels: l.channels.ids, services: l.services.ids };
    };
    expect(ids('warranty').channels).toEqual(expect.arrayContaining(ids('basic').channels));
    expect(ids('warranty').services).toEqual(expect.arrayContaining(ids('basic').services));
  });

  it('individual: every term is per contract, with the typical extras of the source', () => {
    const l = catalogue.levels.individual;
    expect(l.fee).toBe('paid');
    expect(l.calendar).toEqual({ kind: 'contract' });
    expect(l.targets).toEqual({ kind: 'contract' });
    expect(l.quota).toEqual({ kind: 'contract' });
    expect(l.channels).toEqual({ kind: 'contract', typical: ['messenger', 'remote-access'] });
    expect(l.services).toEqual({
      kind: 'contract',
      typical: ['dedicated-engineer', 'onsite-updates', 'mini-training', 'guaranteed-visit', 'customisation', 'periodic-reports'],
    });
  });

  it('pilot takes every term from warranty but keeps its own name', () => {
    const { id: _p, name: pilotName, who: _w1, inheritsFrom, ...pilotTerms } = catalogue.levels.pilot;
    const { id: _w, name: _n, who: _w2, ...warrantyTerms } = catalogue.levels.warranty;
    expect(inheritsFrom).toBe('warranty');
    expect(pilotTerms).toEqual(warrantyTerms);
    expect(pilotName).toEqual({ en: 'Support during pilot operation', ru: 'Поддержка в период опытной эксплуатации' });
  });

  it.each<[LevelId, string]>([
    ['initial', 'Начальная техническая поддержка'],
    ['basic', 'Базовая техническая поддержка'],
    ['warranty', 'Гарантийная техническая поддержка'],
    ['individual', 'Индивидуальная техническая поддержка'],
    ['pilot', 'Поддержка в период опытной эксплуатации'],
  ])('%s is named as in the Russian original: %s', (id, ru) => {
    expect(catalogue.levels[id].name.ru).toBe(ru);
  });

  it('quota: warranty is unlimited, the rest unspecified, individual per contract', () => {
    expect(Object.fromEntries(LEVEL_IDS.map((id) => [id, catalogue.levels[id].quota.kind]))).toEqual({
      initial: 'unspecified',
      basic: 'unspecified',
      warranty: 'unlimited',
      individual: 'contract',
      pilot: 'unlimited',
    });
  });

  it('alerting: defaults for basic and warranty, none for the unregulated initial level, a contract ladder for individual', () => {
    expect(catalogue.levels.basic.alerting).toEqual({
      warnings: [0.75, 0.9],
      warningNotify: ['assignee'],
      breachAt: 1,
      escalation: [
        { afterBreachWorkingHours: 0, notify: ['assignee', 'team-lead'] },
        { afterBreachWorkingHours: 4, notify: ['head-of-support'] },
      ],
    });
    expect(catalogue.levels.warranty.alerting).toEqual(catalogue.levels.basic.alerting);
    expect(catalogue.levels.initial.alerting).toEqual({ warnings: [], warningNotify: [], breachAt: 1, escalation: [] });
    expect(catalogue.levels.individual.alerting.escalation[1]!.notify).toContain('contract-escalation-contacts');
  });

  it('auto-close after 5 working days on every level', () => {
    for (const id of LEVEL_IDS) expect(catalogue.levels[id].autoCloseWorkingDays).toBe(5);
  });

  it('every channel, service and recipient has English and Russian wording', () => {
    for (const entry of [...catalogue.channels, ...catalogue.services]) {
      expect(entry.name.en.length).toBeGreaterThan(0);
      expect(entry.name.ru).toMatch(/[а-яё]/i);
    }
    expect(catalogue.channels.filter((c) => c.byArrangement).map((c) => c.id)).toEqual(['office-visit', 'supplier-office-visit']);
  });
});

describe('parseCatalogue rejects invalid documents, naming the problem', () => {
  it.each<[string, (d: ReturnType<typeof doc>) => void, RegExp]>([
    ['a level refers to an undeclared channel', (d) => ((level(d, 'basic').channels as { ids: string[] }).ids.push('fax')), /levels\[1\]\.channels\.ids\[3\]: unknown channel "fax"/],
    ['a level refers to an undeclared service', (d) => ((level(d, 'basic').services as { ids: string[] }).ids[0] = 'astrology'), /unknown service "astrology"/],
    ['a level is missing', (d) => d.levels.splice(4, 1), /level "pilot" is missing/],
    ['a channel is declared twice', (d) => (d.channels as unknown[]).push({ id: 'web-portal', name: { en: 'x', ru: 'х' }, byArrangement: false }), /channels: id "web-portal" is declared twice/],
    ['inheritance from an unknown level', (d) => (level(d, 'pilot').inherits = 'gold'), /levels\.4\.inherits: Invalid option/],
    ['inheritance chains', (d) => {
      const warranty = level(d, 'warranty');
      for (const k of Object.keys(warranty)) if (!['id', 'name', 'who', 'fee'].includes(k)) delete warranty[k];
      warranty.inherits = 'basic';
      level(d, 'pilot').inherits = 'warranty';
    }, /"warranty" inherits too/],
    ['warnings not increasing', (d) => ((d.defaults as { alerting: { warnings: number[] } }).alerting.warnings = [0.9, 0.75]), /warnings must increase/],
    ['a warning at the breach', (d) => ((d.defaults as { alerting: { warnings: number[] } }).alerting.warnings = [1]), /defaults\.alerting\.warnings\.0/],
    ['a breach other than 1.0', (d) => ((d.defaults as { alerting: { breachAt: number } }).alerting.breachAt = 0.9), /breachAt/],
    ['an escalation to an undeclared role', (d) => ((d.defaults as { alerting: { escalation: { notify: string[] }[] } }).alerting.escalation[0]!.notify = ['ceo']), /unknown recipient "ceo"/],
    ['a contract level with a fixed calendar', (d) => (level(d, 'individual').calendar = { kind: 'fixed', calendarId: 'supplier' }), /must all be "contract" or none/],
    ['a negative target', (d) => (level(d, 'basic').targets = { kind: 'fixed', firstResponse: { workingHours: -1 }, resolution: null }), /levels\.1\.targets\.firstResponse\.workingHours/],
    ['an unknown key (typo)', (d) => (d.efectiveFrom = '2021-01-01'), /Unrecognized key: "efectiveFrom"/],
    ['an impossible effectiveFrom', (d) => (d.effectiveFrom = '2021-02-30'), /effectiveFrom: expected a calendar date/],
  ])('%s', (_name, mutate, message) => {
    const d = doc();
    mutate(d);
    expect(() => parseCatalogue(d)).toThrow(CatalogueError);
    expect(() => parseCatalogue(d)).toThrow(message);
  });

  it('accepts the published document unchanged', () => {
    expect(parseCatalogue(doc()).catalogueVersion).toBe('support-levels.v1');
  });
});

describe('catalogue versions', () => {
  // A hypothetical next version after v1 (the published ones after v1 are tested below).
  const v2 = parseCatalogue({ ...doc(), catalogueVersion: 'support-levels.next', effectiveFrom: '2027-01-01' });
  const all = [PUBLISHED_CATALOGUES[0]!, v2];

  it.each([
    ['2026-12-31', '23:59', 'support-levels.v1'],
    ['2027-01-01', '00:00', 'support-levels.next'],
  ])('on %s %s (Moscow) the catalogue in force is %s', (date, time, version) => {
    expect(catalogueEffectiveAt(all, moscow(date, time)).catalogueVersion).toBe(version);
  });

  it('no catalogue before the first effectiveFrom', () => {
    expect(() => catalogueEffectiveAt(all, moscow('2021-04-05'))).toThrow(/no catalogue is in force on 2021-04-05/);
  });

  it('finds a catalogue by version', () => {
    expect(catalogueByVersion(all, 'support-levels.next')).toBe(v2);
    expect(catalogueByVersion(all, 'support-levels.v9')).toBeUndefined();
  });
});
