import type { Knex } from 'knex';
import type { PolicyFacts } from '../../../domain/policy';
import { cachedFactsLoader } from '../../../services/registration/facts-cache';

const q = {} as Knex;

/** A loader over a fake store: counts loads, answers facts naming what was asked and when. */
function fakeStore() {
  let version = 1;
  const loads: string[] = [];
  const facts = cachedFactsLoader({
    maxEntries: 2,
    readVersion: async () => version,
    load: async (_q, customerId, extra = {}) => {
      loads.push(`${customerId}:${(extra.productIds ?? []).join(',')}@${version}`);
      return { customers: [{ id: customerId, loadedAt: version }] } as unknown as PolicyFacts;
    },
  });
  return { facts, loads, bump: () => version++ };
}

test('a customer\'s facts are loaded once while the facts version stays, and again once it moves', async () => {
  const s = fakeStore();
  const first = await s.facts(q, 'acme', { productIds: ['kompas'] });
  expect(await s.facts(q, 'acme', { productIds: ['kompas'] })).toBe(first);
  expect(s.loads).toEqual(['acme:kompas@1']);
  s.bump();
  const second = await s.facts(q, 'acme', { productIds: ['kompas'] });
  expect(second).not.toBe(first);
  expect(s.loads).toEqual(['acme:kompas@1', 'acme:kompas@2']);
});

test('customers, anonymous requests and named products are kept apart', async () => {
  const s = fakeStore();
  await s.facts(q, 'acme', { productIds: ['kompas'] });
  await s.facts(q, 'acme', {});
  await s.facts(q, undefined, { productIds: ['kompas'] });
  expect(s.loads).toEqual(['acme:kompas@1', 'acme:@1', 'undefined:kompas@1']);
});

test('at its bound the least recently used customer is dropped', async () => {
  const s = fakeStore();
  await s.facts(q, 'a', {});
  await s.facts(q, 'b', {});
  await s.facts(q, 'a', {}); // a is now the most recent
  await s.facts(q, 'c', {}); // drops b
  await s.facts(q, 'a', {});
  await s.facts(q, 'b', {});
  expect(s.loads).toEqual(['a:@1', 'b:@1', 'c:@1', 'b:@1']);
});

test('kept facts are answered from the cache alone, with the version read before their load', async () => {
  let reads = 0;
  const facts = cachedFactsLoader({
    readVersion: async () => ++reads,
    load: async () => ({ customers: [] }) as unknown as PolicyFacts,
  });
  expect(facts.kept('acme', { productIds: ['kompas'] })).toBeUndefined();
  const loaded = await facts(q, 'acme', { productIds: ['kompas'] });
  expect(facts.kept('acme', { productIds: ['kompas'] })).toEqual({ version: 1, facts: loaded });
  expect(facts.kept('acme', {})).toBeUndefined();
  expect(reads).toBe(1);
});
