// Day one at the desk (issue 11, items 6 and 8) over HTTP: who may ask (a contract for registered
// representatives only, the reporter pinned), anonymous support-site-form requests served by the
// default office (SITE_FORM_DEFAULT_OFFICE_ID, set for the e2e stack in global-setup.ts), and why a
// level was not granted, in English and Russian, in the registration answer and in the 422.
import { http, uniqueKey } from './helpers';

const run = uniqueKey('desk');
const id = (label: string) => `${label}-${run}`;
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const ru = (iso: string) => iso.split('-').reverse().join('.');
const SITE_FORM_OFFICE = 'e2e-site-form-office';
const PRODUCT = id('kompas');
const WITHDRAWN = id('legacy');
const CUSTOMER = id('acme');
const LAPSED = id('lapsed');
const CONTRACT = id('C');
// A licence bought 400 days ago: its warranty ended 35 days ago (give or take a leap day).
const OLD_PURCHASE = day(-400);

async function ok(method: string, path: string, body: unknown, expected = [201]): Promise<any> {
  const res = await http(method, path, { body });
  if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const registration = (extra: Record<string, unknown>) => ({ subject: 'Crash on export', channel: 'supplier-phone', category: 'defect-report', externalRef: uniqueKey('ref'), ...extra });

beforeAll(async () => {
  // The office may exist from an earlier run against a kept database.
  await ok('POST', '/v1/offices', { id: SITE_FORM_OFFICE, name: 'Site form desk', operator: 'supplier', calendarId: 'office-moscow' }, [201, 200, 409]);
  await ok('POST', '/v1/products', { id: PRODUCT, name: 'KOMPAS-3D', kind: 'commercial' });
  await ok('POST', '/v1/products', { id: WITHDRAWN, name: 'Legacy CAD', kind: 'commercial', supportWithdrawnFrom: day(-10) });
  await ok('POST', '/v1/customers', {
    id: CUSTOMER,
    name: 'ACME',
    representatives: [{ id: 'ivan', name: 'Ivan Petrov', email: 'ivan@acme.example' }],
  });
  await ok('POST', `/v1/customers/${CUSTOMER}/licenses`, { id: id('L1'), productId: PRODUCT, purchasedOn: day(-30) });
  await ok('POST', '/v1/contracts', {
    id: CONTRACT,
    customerId: CUSTOMER,
    counterparty: { kind: 'dealer', name: 'CAD Dealer' },
    from: day(-60),
    to: day(300),
    sla: {
      calendarId: 'always-on',
      targets: { kind: 'single', firstResponse: { workingHours: 2 }, resolution: { workingHours: 16 } },
      channels: ['remote-access', 'supplier-phone'],
      services: ['defect-report', 'customisation'],
      whoMayAsk: 'representatives',
    },
  });
  await ok('POST', '/v1/customers', { id: LAPSED, name: 'Lapsed Ltd' });
  await ok('POST', `/v1/customers/${LAPSED}/licenses`, { id: id('L-old'), productId: PRODUCT, purchasedOn: OLD_PURCHASE });
  await ok('POST', `/v1/customers/${LAPSED}/licenses`, { id: id('L-legacy'), productId: WITHDRAWN, purchasedOn: OLD_PURCHASE });
});

describe('who may ask (item 6)', () => {
  test('the contract says only registered representatives ask: its representative is served under it, and pinned', async () => {
    const res = await http('POST', '/v1/requests', { body: registration({ customerId: CUSTOMER, productId: PRODUCT, reporter: 'IVAN@acme.example' }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ level: 'individual', reporter: 'IVAN@acme.example' });
    const shown = await http('GET', `/v1/requests/${res.body.id}`);
    expect(shown.body.policy).toMatchObject({
      contractId: CONTRACT,
      catalogueVersion: 'support-levels.v2',
      whoMayAsk: 'representatives',
      reporter: { as: 'IVAN@acme.example', representativeId: 'ivan', name: 'Ivan Petrov' },
    });
  });

  test('anyone else falls through to the warranty the licence gives, and the answer says why', async () => {
    const res = await http('POST', '/v1/requests', { body: registration({ customerId: CUSTOMER, productId: PRODUCT, reporter: 'stranger@acme.example' }) });
    expect(res.status).toBe(201);
    expect(res.body.level).toBe('warranty');
    expect(res.body.policy.reporter).toEqual({ as: 'stranger@acme.example' });
    expect(res.body.policy.notGranted).toEqual([
      expect.objectContaining({ level: 'individual', contractId: CONTRACT, code: 'reporter-not-representative', ru: expect.stringContaining('stranger@acme.example к ним не относится') }),
    ]);
  });

  test('the admission preview checks the reporter too, and says why a level is passed over', async () => {
    const q = (reporter: string) => `/v1/customers/${CUSTOMER}/entitlement?productId=${PRODUCT}&channel=supplier-phone&category=defect-report&reporter=${encodeURIComponent(reporter)}`;
    expect((await http('GET', q('ivan'))).body.admission).toMatchObject({ level: 'individual', notGranted: [] });
    const stranger = await http('GET', q('stranger@acme.example'));
    expect(stranger.body.admission).toMatchObject({ level: 'warranty', notGranted: [expect.objectContaining({ code: 'reporter-not-representative' })] });
  });

  test('where nothing else fits, 422 reporter-not-representative naming the reporter; nothing is registered', async () => {
    const body = registration({ customerId: CUSTOMER, productId: PRODUCT, channel: 'remote-access', reporter: 'stranger@acme.example' });
    const res = await http('POST', '/v1/requests', { body });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ rule: 'reporter-not-representative', field: 'reporter', errors: [{ field: 'reporter', rule: 'reporter-not-representative' }] });
    const list = await http('GET', `/v1/requests?customerId=${CUSTOMER}`);
    expect(list.body.items.map((r: { externalRef?: string }) => r.externalRef)).not.toContain(body.externalRef);
  });

  test('an anonymous request from the site form goes to the default office instead of office-required', async () => {
    const res = await http('POST', '/v1/requests', { body: { subject: 'Do you have a demo?', channel: 'support-site-form', category: 'demo', externalRef: uniqueKey('form') } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ level: 'initial', policy: { officeId: SITE_FORM_OFFICE, calendar: { id: 'office-moscow' } } });
    expect(res.body.policy.reasons).toContain(
      `served by sales office ${SITE_FORM_OFFICE} "Site form desk" on calendar office-moscow (the default office for anonymous requests from the support-site form)`,
    );
    // Another channel still needs an office.
    const phone = await http('POST', '/v1/requests', { body: { subject: 'Prices?', channel: 'office-phone', category: 'demo', externalRef: uniqueKey('phone') } });
    expect(phone.status).toBe(422);
    expect(phone.body).toMatchObject({ rule: 'office-required', field: 'officeId' });
  });
});

describe('why a level was not granted (item 8)', () => {
  test('a fall-through to basic says the warranty ended, in English and Russian', async () => {
    const res = await http('POST', '/v1/requests', { body: registration({ customerId: LAPSED, productId: PRODUCT }) });
    expect(res.status).toBe(201);
    expect(res.body.level).toBe('basic');
    const [why] = res.body.policy.notGranted;
    expect(why).toMatchObject({ level: 'warranty', code: 'warranty-ended' });
    expect(why.en).toMatch(new RegExp(`^Warranty support: warranty ended on \\d{4}-\\d{2}-\\d{2} \\(one year after the licence ${id('L-old')} for KOMPAS-3D was bought on ${OLD_PURCHASE}\\)$`));
    expect(why.ru).toContain(`на KOMPAS-3D ${ru(OLD_PURCHASE)})`);
    expect(res.body.policy.reasons).toContain(why.en);
  });

  test('a refusal category-not-covered names the ended warranty and the withdrawal, in the 422', async () => {
    const res = await http('POST', '/v1/requests', { body: registration({ customerId: LAPSED, productId: WITHDRAWN }) });
    expect(res.status).toBe(422);
    expect(res.body.rule).toBe('category-not-covered');
    expect(res.body.notGranted.map((n: { code: string }) => n.code)).toEqual(['warranty-ended', 'product-withdrawn']);
    expect(res.body.notGranted[1]).toMatchObject({
      en: `Basic support: Legacy CAD was withdrawn from support on ${day(-10)}`,
      ru: `Базовая техническая поддержка: Legacy CAD снят с поддержки ${ru(day(-10))}`,
    });
    expect(res.body.detail).toContain(`Legacy CAD was withdrawn from support on ${day(-10)}`);
  });
});
