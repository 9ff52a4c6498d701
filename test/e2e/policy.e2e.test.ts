// The policy facts over HTTP against the running product: create products, offices, customers
// and what they hold, then read entitlement and admission previews back. Ids carry a per-run
// suffix, so reruns against a kept database never collide.
import type { Knex } from 'knex';
import { catalogueEffectiveAt, PUBLISHED_CATALOGUES } from '../../domain/policy';
import { http, testDb, uniqueKey } from './helpers';

const run = uniqueKey('pol');
const id = (label: string) => `${label}-${run}`;
const AT = '2026-06-01T12:00:00+03:00';
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

const P = { kompas: id('kompas'), viewer: id('viewer'), legacy: id('legacy') };
const OFFICE = id('msk');
const C = {
  nothing: id('c-nothing'),
  noOffice: id('c-no-office'),
  basic: id('c-basic'),
  warranty: id('c-warranty'),
  update: id('c-update'),
  pilot: id('c-pilot'),
  contract: id('c-contract'),
  withdrawn: id('c-withdrawn'),
};
const CONTRACT = id('C');
const target = (fr: number | null, res: number | null) => ({ firstResponse: fr === null ? null : { workingHours: fr }, resolution: res === null ? null : { workingHours: res } });
const contractBody = {
  id: CONTRACT,
  customerId: C.contract,
  counterparty: { kind: 'dealer', name: 'CAD Dealer' },
  from: '2026-01-01',
  to: '2026-12-31',
  sla: {
    calendarId: 'always-on',
    targets: { kind: 'per-priority', byPriority: { critical: target(1, 4), high: target(2, 8), normal: target(4, 24), low: target(8, null) } },
    channels: ['messenger', 'remote-access', 'supplier-phone'],
    services: ['customisation', 'dedicated-engineer', 'defect-report'],
    dedicatedEngineer: { name: 'Olga Smirnova', email: 'olga@supplier.example' },
    escalationContacts: [{ name: 'Pavel Ivanov', role: 'CTO', phone: '+7 900 000-00-00' }],
    quota: { maxRequests: 1, per: 'month' },
  },
};

async function created(method: string, path: string, body: unknown): Promise<any> {
  const res = await http(method, path, { body });
  if (res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const entitlement = (customerId: string, params: Record<string, string> = {}) =>
  http('GET', `/v1/customers/${encodeURIComponent(customerId)}/entitlement?${q({ at: AT, ...params })}`);

let db: Knex;
const fakeRequests: string[] = [];

beforeAll(async () => {
  db = testDb();
  await created('POST', '/v1/products', { id: P.kompas, name: 'KOMPAS-3D', kind: 'commercial' });
  await created('POST', '/v1/products', { id: P.viewer, name: 'KOMPAS-3D Viewer', kind: 'free' });
  await created('POST', '/v1/products', { id: P.legacy, name: 'Legacy CAD', kind: 'commercial', supportWithdrawnFrom: '2025-01-01' });
  await created('POST', '/v1/offices', { id: OFFICE, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' });
  for (const [key, customerId] of Object.entries(C)) {
    await created('POST', '/v1/customers', { id: customerId, name: `Customer ${key}`, ...(key !== 'noOffice' && { officeId: OFFICE }) });
  }
  const licence = (customerId: string, licenceId: string, productId: string, purchasedOn: string) =>
    created('POST', `/v1/customers/${customerId}/licenses`, { id: licenceId, productId, purchasedOn });
  await licence(C.basic, id('L-basic'), P.kompas, '2024-01-10');
  await licence(C.noOffice, id('L-no-office'), P.kompas, '2024-01-10');
  await licence(C.warranty, id('L-warranty'), P.kompas, '2026-03-01');
  await licence(C.update, id('L-update'), P.kompas, '2023-05-01');
  await created('POST', `/v1/customers/${C.update}/update-purchases`, { id: id('U-update'), productId: P.kompas, purchasedOn: '2026-02-01' });
  await created('POST', `/v1/customers/${C.pilot}/pilots`, { id: id('P-pilot'), productIds: [P.kompas], from: '2026-05-01', to: '2026-07-31' });
  await licence(C.contract, id('L-contract'), P.kompas, '2024-01-10');
  await created('POST', '/v1/contracts', contractBody);
  await licence(C.withdrawn, id('L-withdrawn'), P.legacy, '2023-01-10');
});

afterAll(async () => {
  if (fakeRequests.length > 0) await db('support_requests').whereIn('id', fakeRequests).delete();
  await db.destroy();
});

describe('the catalogue', () => {
  test('GET /v1/catalogue names the channels, services and levels intake may use', async () => {
    const res = await http('GET', '/v1/catalogue');
    expect(res.status).toBe(200);
    // The version in force today (support-levels.v2 from 2026-11-30).
    expect(res.body.catalogueVersion).toBe(catalogueEffectiveAt(PUBLISHED_CATALOGUES, Date.now()).catalogueVersion);
    expect(res.body.channels).toContainEqual(expect.objectContaining({ id: 'supplier-phone', name: expect.objectContaining({ en: expect.any(String), ru: expect.any(String) }) }));
    expect(res.body.services.map((s: any) => s.id)).toContain('defect-report');
    expect(res.body.levels.basic).toMatchObject({ code: '5x8x16', targets: { kind: 'fixed', firstResponse: { workingHours: 16 }, resolution: null } });
    expect((await http('GET', '/v1/catalogue?version=support-levels.v1')).status).toBe(200);
    expect((await http('GET', '/v1/catalogue?version=nope')).status).toBe(404);
    expect((await http('GET', `/v1/catalogue?${q({ at: '2020-01-01T00:00:00Z' })}`)).status).toBe(404);
  });
});

describe('creating and reading the facts', () => {
  test('a product is created once: 201 with Location, 200 for an identical retry, 409 naming what differs', async () => {
    const body = { id: id('retry'), name: 'Retry CAD', kind: 'commercial' };
    const first = await http('POST', '/v1/products', { body });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe(`/v1/products/${body.id}`);
    expect(first.body).toEqual(body);

    const retry = await http('POST', '/v1/products', { body, api: 1 });
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(body);

    const conflict = await http('POST', '/v1/products', { body: { ...body, name: 'Other', supportWithdrawnFrom: '2030-01-01' } });
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(conflict.body).toMatchObject({ status: 409, differences: ['name', 'supportWithdrawnFrom'], existing: body });

    expect((await http('GET', `/v1/products/${body.id}`)).body).toEqual(body);
  });

  test('concurrent identical creates on both API processes make one record', async () => {
    const body = { id: id('race'), name: 'Race office', operator: 'partner', calendarId: 'office-yekaterinburg' };
    const results = await Promise.all([0, 1, 0, 1].map((api) => http('POST', '/v1/offices', { body, api })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(await db('sales_offices').where({ id: body.id })).toHaveLength(1);
  });

  test('reads return what was written, in the domain shape; lists filter and page', async () => {
    const customer = await http('GET', `/v1/customers/${C.warranty}`);
    expect(customer.status).toBe(200);
    expect(customer.body).toEqual({ id: C.warranty, name: 'Customer warranty', officeId: OFFICE, representatives: [] });

    expect((await http('GET', `/v1/contracts/${CONTRACT}`)).body).toEqual(contractBody);
    const contracts = await http('GET', `/v1/contracts?${q({ customerId: C.contract, activeOn: '2026-06-01' })}`);
    expect(contracts.body.items.map((c: any) => c.id)).toEqual([CONTRACT]);
    expect((await http('GET', `/v1/contracts?${q({ customerId: C.contract, activeOn: '2027-01-01' })}`)).body.items).toEqual([]);

    const licences = await http('GET', `/v1/customers/${C.update}/licenses`);
    expect(licences.body.items).toEqual([{ id: id('L-update'), customerId: C.update, productId: P.kompas, purchasedOn: '2023-05-01' }]);
    const updates = await http('GET', `/v1/customers/${C.update}/update-purchases?${q({ productId: P.kompas })}`);
    expect(updates.body.items).toEqual([{ id: id('U-update'), customerId: C.update, productId: P.kompas, purchasedOn: '2026-02-01' }]);
    const pilot = await http('GET', `/v1/customers/${C.pilot}/pilots/${id('P-pilot')}`);
    expect(pilot.body).toEqual({ id: id('P-pilot'), customerId: C.pilot, productIds: [P.kompas], from: '2026-05-01', to: '2026-07-31' });

    const free = await http('GET', '/v1/products?kind=free&limit=500');
    expect(free.body.items.map((p: any) => p.id)).toContain(P.viewer);
    expect(free.body.items.every((p: any) => p.kind === 'free')).toBe(true);

    const page1 = await http('GET', `/v1/customers?${q({ officeId: OFFICE, limit: '3' })}`);
    expect(page1.body.items).toHaveLength(3);
    const page2 = await http('GET', `/v1/customers?${q({ officeId: OFFICE, limit: '3', after: page1.body.next })}`);
    const page3 = await http('GET', `/v1/customers?${q({ officeId: OFFICE, limit: '3', after: page2.body.next })}`);
    expect(page3.body.next).toBeUndefined();
    const all = [...page1.body.items, ...page2.body.items, ...page3.body.items].map((c: any) => c.id);
    expect(all.sort()).toEqual(Object.values(C).filter((c) => c !== C.noOffice).sort());
  });

  test('representatives: inline at creation and added later; a retry of the customer does not conflict with later ones', async () => {
    const customerId = id('c-reps');
    const body = { id: customerId, name: 'Reps Ltd', representatives: [{ id: 'r1', name: 'Ivan Petrov', email: 'ivan@reps.example' }] };
    expect((await http('POST', '/v1/customers', { body })).status).toBe(201);
    const added = await http('POST', `/v1/customers/${customerId}/representatives`, { body: { id: 'r2', name: 'Anna', role: 'CAD lead' } });
    expect(added.status).toBe(201);
    expect(added.headers.get('location')).toBe(`/v1/customers/${customerId}/representatives/r2`);
    expect((await http('POST', '/v1/customers', { body })).status).toBe(200);
    const renamed = await http('POST', '/v1/customers', { body: { ...body, representatives: [{ id: 'r1', name: 'Ivan P.' }] } });
    expect(renamed.status).toBe(409);
    expect(renamed.body.differences).toEqual(['representatives.0.email', 'representatives.0.name']);

    const read = await http('GET', `/v1/customers/${customerId}`);
    expect(read.body.representatives.map((r: any) => r.id)).toEqual(['r1', 'r2']);
    expect((await http('GET', `/v1/customers/${customerId}/representatives/r2`)).body).toEqual({ id: 'r2', name: 'Anna', role: 'CAD lead' });
    expect((await http('GET', `/v1/customers/${customerId}/representatives/r9`)).status).toBe(404);
  });

  test('validation errors are 400s naming each field and rule', async () => {
    const product = await http('POST', '/v1/products', { body: { id: '', name: 'X', kind: 'paid', colour: 'red' } });
    expect(product.status).toBe(400);
    expect(product.body.errors).toEqual([
      expect.objectContaining({ field: 'id', rule: 'too_small' }),
      expect.objectContaining({ field: 'kind', rule: 'invalid_value' }),
      expect.objectContaining({ field: 'colour', rule: 'unrecognized_key' }),
    ]);

    const licence = await http('POST', `/v1/customers/${C.basic}/licenses`, {
      body: { id: id('L-bad'), customerId: C.warranty, productId: P.kompas, purchasedOn: '2026-03-01', validThrough: '2026-02-28' },
    });
    expect(licence.status).toBe(400);
    expect(licence.body.errors).toEqual([
      expect.objectContaining({ field: 'customerId', rule: 'mismatch' }),
      expect.objectContaining({ field: 'validThrough', rule: 'date_order' }),
    ]);
    const badDate = await http('POST', `/v1/customers/${C.basic}/licenses`, { body: { id: id('L-bad'), productId: P.kompas, purchasedOn: '2026-02-30' } });
    expect(badDate.body.errors).toEqual([expect.objectContaining({ field: 'purchasedOn', rule: 'custom', message: expect.stringMatching(/YYYY-MM-DD/) })]);

    const { high: _high, ...threePriorities } = contractBody.sla.targets.byPriority;
    const contract = await http('POST', '/v1/contracts', {
      body: { ...contractBody, id: id('C-bad'), to: '2025-12-31', sla: { ...contractBody.sla, targets: { kind: 'per-priority', byPriority: threePriorities } } },
    });
    expect(contract.status).toBe(400);
    expect(contract.body.errors).toEqual([expect.objectContaining({ field: 'sla.targets.byPriority.high', rule: 'invalid_type' })]);
    const backwards = await http('POST', '/v1/contracts', { body: { ...contractBody, id: id('C-bad'), to: '2025-12-31' } });
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'to', rule: 'date_order' })]);

    const pilot = await http('POST', `/v1/customers/${C.pilot}/pilots`, { body: { id: id('P-bad'), productIds: [P.kompas, P.kompas], from: '2026-01-01', to: '2026-01-31' } });
    expect(pilot.body.errors).toEqual([expect.objectContaining({ field: 'productIds.1', rule: 'duplicate' })]);

    const query = await http('GET', `/v1/customers/${C.basic}/entitlement?${q({ at: '2026-06-01 12:00', colour: 'red', channel: 'supplier-phone' })}`);
    expect(query.status).toBe(400);
    expect(query.body.errors.map((e: any) => [e.field, e.rule])).toEqual([
      ['query:at', 'invalid_format'],
      ['query:colour', 'unrecognized_key'],
    ]);
    const half = await http('GET', `/v1/customers/${C.basic}/entitlement?${q({ channel: 'supplier-phone' })}`);
    expect(half.body.errors).toEqual([expect.objectContaining({ field: 'query:category', rule: 'required' })]);

    // A URL resolves "." and ".." away (/v1/products/. is /v1/products/): such an id could never be read back.
    for (const dots of ['.', '..']) {
      const product = await http('POST', '/v1/products', { body: { id: dots, name: 'Dots', kind: 'commercial' } });
      expect([product.status, product.body.errors]).toEqual([400, [expect.objectContaining({ field: 'id', message: expect.stringContaining('cannot address') })]]);
    }
    expect((await http('POST', '/v1/products', { body: { id: id('.dotted.'), name: 'Dots inside', kind: 'commercial' } })).status).toBe(201);
  });

  test('references to unknown records are 422s naming the field', async () => {
    const licence = await http('POST', `/v1/customers/${C.basic}/licenses`, { body: { id: id('L-ghost'), productId: id('ghost'), purchasedOn: '2026-03-01' } });
    expect(licence.status).toBe(422);
    expect(licence.body.errors).toEqual([{ field: 'productId', rule: 'unknown_reference', message: `unknown product "${id('ghost')}"` }]);

    const customer = await http('POST', '/v1/customers', { body: { id: id('c-ghost'), name: 'Ghost', officeId: id('ghost-office') } });
    expect(customer.status).toBe(422);
    expect(customer.body.errors).toEqual([expect.objectContaining({ field: 'officeId', rule: 'unknown_reference' })]);

    const pilot = await http('POST', `/v1/customers/${C.pilot}/pilots`, { body: { id: id('P-ghost'), productIds: [P.kompas, id('ghost')], from: '2026-01-01', to: '2026-01-31' } });
    expect(pilot.body.errors).toEqual([expect.objectContaining({ field: 'productIds.1', rule: 'unknown_reference' })]);

    const contract = await http('POST', '/v1/contracts', { body: { ...contractBody, id: id('C-ghost'), customerId: id('c-ghost') } });
    expect(contract.status).toBe(422);
    expect(contract.body.errors).toEqual([expect.objectContaining({ field: 'customerId', rule: 'unknown_reference' })]);

    const fax = await http('POST', '/v1/contracts', { body: { ...contractBody, id: id('C-fax'), sla: { ...contractBody.sla, channels: ['messenger', 'fax'] } } });
    expect(fax.status).toBe(422);
    expect(fax.body.errors).toEqual([expect.objectContaining({ field: 'sla.channels.1', rule: 'unknown_reference', message: expect.stringMatching(/"fax"/) })]);
    expect(await db('contracts').whereIn('id', [id('C-ghost'), id('C-fax')])).toEqual([]);
  });

  test('unknown ids are 404s, also for records of another customer', async () => {
    for (const path of [
      `/v1/products/${id('none')}`,
      `/v1/offices/${id('none')}`,
      `/v1/customers/${id('none')}`,
      `/v1/contracts/${id('none')}`,
      `/v1/customers/${id('none')}/licenses`,
      `/v1/customers/${id('none')}/entitlement`,
      `/v1/customers/${C.basic}/licenses/${id('L-warranty')}`,
      `/v1/customers/${C.warranty}/pilots/${id('P-pilot')}`,
    ]) {
      const res = await http('GET', path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    const post = await http('POST', `/v1/customers/${id('none')}/licenses`, { body: { id: id('L-none'), productId: P.kompas, purchasedOn: '2026-01-01' } });
    expect(post.status).toBe(404);
  });
});

describe('entitlement previews', () => {
  test.each([
    [C.nothing, {}, 'initial', /^initial: open to anyone/],
    [C.basic, { productId: P.kompas }, 'basic', /^basic: licence .* bought 2024-01-10, product supported, open-ended$/],
    [C.warranty, { productId: P.kompas }, 'warranty', /^warranty: licence for KOMPAS-3D bought 2026-03-01, valid to 2027-03-01$/],
    [C.update, { productId: P.kompas }, 'warranty', /^warranty: update package for KOMPAS-3D bought 2026-02-01, valid to 2027-02-01$/],
    [C.pilot, { productId: P.kompas }, 'pilot', /^pilot: pilot operation .* from 2026-05-01 to 2026-07-31, on warranty terms$/],
    [C.contract, {}, 'individual', /^individual: contract .* with dealer "CAD Dealer", valid 2026-01-01 to 2026-12-31$/],
    [C.withdrawn, { productId: P.legacy }, 'initial', /^initial: open to anyone/],
    [C.warranty, { productId: P.viewer }, 'initial', /^initial: KOMPAS-3D Viewer is a freely distributed product$/],
  ])('%s %j holds %s at its strongest', async (customerId, params, level, reason) => {
    const res = await entitlement(customerId, params as Record<string, string>);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ customerId, at: '2026-06-01T09:00:00.000Z', date: '2026-06-01', catalogueVersion: 'support-levels.v1', level });
    expect(res.body.levels[0]).toMatchObject({ level, reason: expect.stringMatching(reason) });
    expect(res.body.levels.at(-1).level).toBe('initial');
    expect(res.body.admission).toBeUndefined();
  });

  test('levels carry validity, terms and the office calendar of initial support', async () => {
    const res = await entitlement(C.update, { productId: P.kompas });
    expect(res.body.levels.map((l: any) => l.level)).toEqual(['warranty', 'basic', 'initial']);
    expect(res.body.levels[0]).toMatchObject({
      source: { kind: 'update-package', purchaseId: id('U-update'), purchasedOn: '2026-02-01' },
      validity: { from: '2026-02-01', through: '2027-02-01' },
      calendar: { kind: 'fixed', calendarId: 'supplier' },
      targets: { kind: 'single', firstResponse: { workingHours: 8 }, resolution: { workingHours: 40 } },
    });
    expect(res.body.levels[2].calendar).toEqual({ kind: 'office', officeId: OFFICE, calendarId: 'office-moscow' });
    // The basic licence bought in 2024 had its warranty year end on 2025-01-10.
    expect((await entitlement(C.basic, { productId: P.kompas, at: '2025-01-10T23:59:00+03:00' })).body.level).toBe('warranty');
    expect((await entitlement(C.basic, { productId: P.kompas, at: '2025-01-11T00:00:00+03:00' })).body.level).toBe('basic');
  });

  test('with channel and category, the preview admits: chosen level, reasons and the policy it would pin', async () => {
    const initial = await entitlement(C.nothing, { channel: 'office-phone', category: 'product-range' });
    expect(initial.status).toBe(200);
    expect(initial.body.admission).toMatchObject({ level: 'initial', pinned: { calendar: { id: 'office-moscow' }, officeId: OFFICE, targets: { firstResponse: null, resolution: null } } });
    expect(initial.body.admission.reasons).toEqual([expect.stringMatching(/^initial/), expect.stringMatching(/served by sales office .* \(the customer's office\)/)]);

    const basic = await entitlement(C.basic, { productId: P.kompas, channel: 'supplier-phone', category: 'defect-report' });
    expect(basic.body.admission).toMatchObject({ level: 'basic', pinned: { calendar: { id: 'supplier' }, targets: { firstResponse: { workingMs: 16 * 3_600_000 }, resolution: null } } });

    const warranty = await entitlement(C.warranty, { productId: P.kompas, channel: 'supplier-email', category: 'information-support' });
    expect(warranty.body.admission).toMatchObject({ level: 'warranty', pinned: { targets: { firstResponse: { workingMs: 8 * 3_600_000 }, resolution: { workingMs: 40 * 3_600_000 } } } });

    // A licensed customer asking about promotions is served under initial terms.
    const promo = await entitlement(C.warranty, { productId: P.kompas, channel: 'office-email', category: 'promotions-events' });
    expect(promo.body.admission.level).toBe('initial');
    expect(promo.body.admission.reasons).toEqual(expect.arrayContaining([expect.stringMatching(/^warranty .*passed over: "promotions-events" is not among its services/)]));

    const pilot = await entitlement(C.pilot, { productId: P.kompas, channel: 'web-portal', category: 'defect-report' });
    expect(pilot.body.admission.level).toBe('pilot');

    const critical = await entitlement(C.contract, { channel: 'messenger', category: 'customisation', priority: 'critical' });
    expect(critical.body.admission).toMatchObject({
      level: 'individual',
      contractId: CONTRACT,
      pinned: {
        contractId: CONTRACT,
        calendar: { id: 'always-on' },
        priority: 'critical',
        targets: { firstResponse: { workingMs: 3_600_000 }, resolution: { workingMs: 4 * 3_600_000 } },
        notify: { dedicatedEngineer: { name: 'Olga Smirnova' } },
      },
    });
    expect(critical.body.admission.reasons).toContain('quota: request 1 of 1 in 2026-06-01..2026-06-30');
    const low = await entitlement(C.contract, { channel: 'messenger', category: 'customisation', priority: 'low' });
    expect(low.body.admission.pinned.targets).toEqual({ firstResponse: { workingMs: 8 * 3_600_000 }, resolution: null });
  });

  test.each([
    ['unknown-office', C.nothing, { channel: 'office-phone', category: 'product-range', officeId: 'no-such-office' }, 'officeId'],
    ['unknown-channel', C.nothing, { channel: 'carrier-pigeon', category: 'product-range' }, 'channel'],
    ['unknown-category', C.nothing, { channel: 'office-phone', category: 'astrology' }, 'category'],
    ['unknown-product', C.basic, { channel: 'supplier-phone', category: 'defect-report', productId: 'no-such-product' }, 'productId'],
    ['office-required', C.noOffice, { channel: 'office-phone', category: 'product-range' }, 'officeId'],
    ['product-required', C.basic, { channel: 'supplier-phone', category: 'defect-report' }, 'productId'],
    ['channel-not-allowed', C.basic, { channel: 'office-phone', category: 'defect-report', productId: P.kompas }, 'channel'],
    ['category-not-covered', C.basic, { channel: 'supplier-phone', category: 'customisation', productId: P.kompas }, 'category'],
  ])('refusal %s is a 422 naming the rule and what the customer may use instead', async (rule, customerId, params, field) => {
    const res = await entitlement(customerId, params as Record<string, string>);
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 422, rule, field, message: expect.any(String), detail: res.body.message, errors: [{ field, rule, message: res.body.message }] });
    expect(res.body.allowed).toContainEqual(expect.objectContaining({ level: 'initial', products: 'all', channels: expect.arrayContaining(['office-phone']) }));
  });

  test('the preview without admission rejects an unknown product as an unknown reference', async () => {
    const res = await entitlement(C.basic, { productId: id('ghost') });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'query:productId', rule: 'unknown_reference' })]);
  });

  test('an exhausted contract quota is passed over; with nothing else that fits, the refusal is quota-exhausted', async () => {
    // One request already registered under the contract this month (as registration will record it).
    const requestId = id('SR-QUOTA');
    fakeRequests.push(requestId);
    await db('support_requests').insert({
      id: requestId,
      request_key: requestId,
      workflow_id: `support-request-${requestId}`,
      customer_id: C.contract,
      subject: 'quota test',
      state: 'closed',
      level: 'individual',
      policy: JSON.stringify({ level: 'individual', contractId: CONTRACT }),
      registered_at: new Date('2026-06-01T08:00:00+03:00'),
      revision: 1,
    });

    const held = await entitlement(C.contract);
    expect(held.body.levels[0].quota).toEqual({ maxRequests: 1, per: 'month', period: { from: '2026-06-01', through: '2026-06-30' }, used: 1, remaining: 0 });
    // May is another quota period.
    expect((await entitlement(C.contract, { at: '2026-05-31T23:59:00+03:00' })).body.levels[0].quota).toMatchObject({ used: 0, remaining: 1 });

    const fallsThrough = await entitlement(C.contract, { productId: P.kompas, channel: 'supplier-phone', category: 'defect-report' });
    expect(fallsThrough.status).toBe(200);
    expect(fallsThrough.body.admission.level).toBe('basic');
    expect(fallsThrough.body.admission.reasons).toContainEqual(expect.stringMatching(/passed over: quota exhausted, 1 of 1 requests in 2026-06-01\.\.2026-06-30/));

    const refused = await entitlement(C.contract, { channel: 'remote-access', category: 'customisation' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ rule: 'quota-exhausted', message: expect.stringMatching(/1 of 1 requests used in 2026-06-01\.\.2026-06-30/) });
    expect(refused.body.allowed).toContainEqual(expect.objectContaining({ level: 'individual', contractId: CONTRACT }));
  });
});
