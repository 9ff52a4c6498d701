// Registration admits on the facts as they are now, although each API process keeps the facts
// of the customers registering lately (services/registration/facts-cache.ts): a change made
// through the other API process, or by hand in PostgreSQL, reaches the very next registration.
import type { Knex } from 'knex';
import { splitPolicy } from '../../db/queries/policy-terms';
import { findIntakeByRequestId, insertIntake, type NewIntake } from '../../db/queries/request-intake';
import { policy } from '../unit/request/fixtures';
import { http, testDb, uniqueKey } from './helpers';

let db: Knex;
const run = uniqueKey('facts');
const id = (label: string) => `${label}-${run}`;
const today = new Date().toISOString().slice(0, 10);
const PRODUCT = id('kompas');
const OFFICE = id('msk');
const CUSTOMER = id('acme');

async function ok(method: string, path: string, body: unknown, api = 0): Promise<any> {
  const res = await http(method, path, { body, api });
  if (res.status !== 201) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Registers a new request through the first API process; answers the level it was admitted at. */
async function registeredLevel(label: string): Promise<string> {
  const body = await ok('POST', '/v1/requests', {
    subject: `Crash on export (${label})`,
    customerId: CUSTOMER,
    productId: PRODUCT,
    channel: 'supplier-email',
    category: 'defect-report',
    externalRef: id(label),
  });
  return body.level;
}

const factsVersion = async () => Number((await db('policy_facts_version').first('version'))!.version);

beforeAll(async () => {
  db = testDb();
  await ok('POST', '/v1/products', { id: PRODUCT, name: 'KOMPAS-3D', kind: 'commercial' });
  await ok('POST', '/v1/offices', { id: OFFICE, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' });
  await ok('POST', '/v1/customers', { id: CUSTOMER, name: 'Acme', officeId: OFFICE });
  await ok('POST', `/v1/customers/${CUSTOMER}/licenses`, { id: id('L1'), productId: PRODUCT, purchasedOn: today });
});
afterAll(async () => {
  await db.destroy();
});

test('a change to the facts, by hand or through the other API process, reaches the next registration', async () => {
  // Twice: the second admission is served from the first process's cache.
  expect(await registeredLevel('first')).toBe('warranty');
  expect(await registeredLevel('cached')).toBe('warranty');

  // By hand: the licence was bought four years ago, so its warranty year is long over.
  const before = await factsVersion();
  await db('licenses').where({ id: id('L1') }).update({ purchased_on: `${Number(today.slice(0, 4)) - 4}${today.slice(4)}` });
  expect(await factsVersion()).toBeGreaterThan(before);
  expect(await registeredLevel('expired')).not.toBe('warranty');

  // Through the second API process: a licence bought today.
  await ok('POST', `/v1/customers/${CUSTOMER}/licenses`, { id: id('L2'), productId: PRODUCT, purchasedOn: today }, 1);
  expect(await registeredLevel('renewed')).toBe('warranty');
});

test('a statement that changes no facts table leaves the version alone; one on any facts table moves it', async () => {
  const before = await factsVersion();
  await db('support_requests').where({ id: 'no-such-request' }).update({ subject: 'x' });
  expect(await factsVersion()).toBe(before);
  await db('sales_offices').where({ id: OFFICE }).update({ name: 'Moscow office (HQ)' });
  expect(await factsVersion()).toBe(before + 1);
});

test('a claim on kept facts is one statement that writes nothing unless the key is new and the facts are current', async () => {
  // Terms of their own, so whether this test's claims stored them is visible.
  const pinned = policy({ customerId: CUSTOMER, pinnedAtMs: Date.now(), levelName: { en: `Facts test ${run}`, ru: `Тест ${run}` } });
  const digest = splitPolicy(pinned).digest;
  const claimOf = (label: string): NewIntake => ({
    key: { namespace: `key:${run}`, customerKey: CUSTOMER, kind: 'external-ref', key: id(label) },
    requestId: id(`R-${label}`),
    requestKey: id(`K-${label}`),
    fingerprint: { subject: label, customerId: CUSTOMER },
    policy: pinned,
    atMs: Date.now(),
    by: { keyId: 'e2e', role: 'intake' },
  });
  const termsStored = async () => (await db('pinned_policy_terms').where({ digest }).first()) !== undefined;

  // The facts moved since they were kept: nothing is written, not even the terms.
  const stale = claimOf('stale');
  expect(await insertIntake(db, stale, { requestIds: [stale.requestId], factsVersion: (await factsVersion()) - 1 })).toBe(false);
  expect(await findIntakeByRequestId(db, stale.requestId)).toBeUndefined();
  expect(await termsStored()).toBe(false);

  // A new key on current facts: claimed, with its terms, and read back whole.
  const fresh = claimOf('fresh');
  expect(await insertIntake(db, fresh, { requestIds: [fresh.requestId], factsVersion: await factsVersion() })).toBe(true);
  expect(await termsStored()).toBe(true);
  const row = (await findIntakeByRequestId(db, fresh.requestId))!;
  expect(row).toMatchObject({ request_key: fresh.requestKey, intake_key: fresh.key.key, fingerprint: fresh.fingerprint, policy: pinned, claimed_by_role: 'intake' });
  expect(row.claimed_at.getTime()).toBe(fresh.atMs);

  // The same key again, or a new key whose other id (an older scheme's) is on record: not claimed.
  expect(await insertIntake(db, { ...fresh, requestId: id('R-again') }, { requestIds: [id('R-again')], factsVersion: await factsVersion() })).toBe(false);
  const legacy = claimOf('legacy');
  expect(await insertIntake(db, legacy, { requestIds: [legacy.requestId, fresh.requestId], factsVersion: await factsVersion() })).toBe(false);
  expect(await findIntakeByRequestId(db, legacy.requestId)).toBeUndefined();
  await db('request_intake').whereIn('request_id', [fresh.requestId]).delete();
});
