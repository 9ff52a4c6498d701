// The rate limiter on bare Express apps with a fake key verifier: a throttled client costs no
// key lookup, API processes sharing one counter (PostgreSQL in the product) admit the limit once
// between them, and a counter store that fails falls back to per-process counting.
import express from 'express';
import type { Knex } from 'knex';
import pino from 'pino';
import request from 'supertest';
import { authenticate, createKeyVerifier, DEGRADED_CACHE_MS, type KeyVerifier } from '../../../api/auth/authenticate';
import { generateKey } from '../../../api/auth/keys';
import type { Principal } from '../../../api/auth/principal';
import { memoryHitCounter, postgresHitCounter, type HitCounter } from '../../../api/auth/rate-limit';
import { errorMiddleware } from '../../../api/error-middleware';

const agent: Principal = { keyId: 'key_agent', name: 'agent', role: 'agent', customerScope: null };

/** A verifier that knows `agent-key` and counts lookups (each one a database query in the product). */
function countingVerifier() {
  const calls = { resolve: 0 };
  const verifier: KeyVerifier = {
    resolve: async (k) => (calls.resolve++, k === 'agent-key' ? agent : undefined),
    recognises: (k) => k === 'agent-key',
    forget: () => undefined,
    forgetAll: () => undefined,
    setChangeFeed: () => undefined,
  };
  return { verifier, calls };
}

function app(perMinute: number, verifier: KeyVerifier, counter?: HitCounter) {
  const a = express();
  a.use(authenticate(verifier, { rateLimitPerMinute: perMinute }, counter));
  a.get('/x', (_req, res) => void res.json({ ok: true }));
  a.use(errorMiddleware(pino({ level: 'silent' })));
  return a;
}

describe('rate limiting before key lookup', () => {
  test('once an address is over its limit, its further guesses are refused without a key lookup', async () => {
    const { verifier, calls } = countingVerifier();
    const a = app(2, verifier);
    await request(a).get('/x').set('authorization', 'Bearer guess-1').expect(401);
    await request(a).get('/x').set('authorization', 'Bearer guess-2').expect(401);
    await request(a).get('/x').set('authorization', 'Bearer guess-3').expect(429);
    expect(calls.resolve).toBe(3);
    for (let i = 4; i < 20; i++) {
      const res = await request(a).get('/x').set('authorization', `Bearer guess-${i}`).expect(429);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.headers['ratelimit']).toMatch(/^limit=2, remaining=0, reset=\d+$/);
      expect(res.headers['ratelimit-policy']).toBe('2;w=60');
    }
    expect(calls.resolve).toBe(3);
    // A key this process already knows to be valid has its own budget, even from that address.
    await request(a).get('/x').set('authorization', 'Bearer agent-key').expect(200);
  });

  test('API processes sharing one counter admit the limit once between them', async () => {
    const shared = memoryHitCounter();
    const processes = [app(3, countingVerifier().verifier, shared), app(3, countingVerifier().verifier, shared)];
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await request(processes[i % 2]!).get('/x').set('authorization', 'Bearer agent-key')).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 429, 429]);
  });

  test('processes configured with different limits keep separate budgets', async () => {
    const shared = memoryHitCounter();
    const generous = app(100, countingVerifier().verifier, shared);
    for (let i = 0; i < 5; i++) await request(generous).get('/x').set('authorization', 'Bearer agent-key').expect(200);
    await request(app(2, countingVerifier().verifier, shared)).get('/x').set('authorization', 'Bearer agent-key').expect(200);
  });
});

describe('postgresHitCounter', () => {
  test('counts in one statement per hit and falls back to per-process counting while the database fails', async () => {
    let fail = false;
    let statements = 0;
    const db = {
      raw: async () => {
        statements++;
        if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:5433');
        return { rows: [{ hits: statements, reset_at_ms: String(Date.now() + 60_000) }] };
      },
    } as unknown as Knex;
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const a = app(2, countingVerifier().verifier, postgresHitCounter(db, logger));
    await request(a).get('/x').set('authorization', 'Bearer agent-key').expect(200);
    expect(statements).toBe(1);
    fail = true;
    await request(a).get('/x').set('authorization', 'Bearer agent-key').expect(200);
    await request(a).get('/x').set('authorization', 'Bearer agent-key').expect(200);
    await request(a).get('/x').set('authorization', 'Bearer agent-key').expect(429);
    // After one failure the database is left alone for a few seconds (no request waits on it).
    expect(statements).toBe(2);
    expect(warnings.join('')).toMatch(/counting in this process/);
  });
});

describe('key cache and the change feed', () => {
  function fakeDb(row: Record<string, unknown>) {
    const calls = { finds: 0 };
    const db = (() => {
      const q: any = { where: () => q, first: async () => (calls.finds++, { ...row }), andWhere: () => q, update: async () => 1 };
      return q;
    }) as unknown as Knex;
    Object.assign(db, { raw: () => '', fn: { now: () => 'now()' } });
    return { db, calls };
  }

  test('recognises answers from the cache only; forget and a lost change feed make the next use read the database', async () => {
    const g = generateKey();
    const { db, calls } = fakeDb({ id: g.id, name: 'crm', role: 'intake', customer_scope: null, secret_hash: g.secretHash, revoked_at: null });
    let t = 1_000_000;
    const verifier = createKeyVerifier(db, { bootstrapAdminKey: undefined, cacheMs: 3_600_000 }, undefined, () => t);
    expect(verifier.recognises(g.key)).toBe(false);
    await verifier.resolve(g.key);
    expect(verifier.recognises(g.key)).toBe(true);
    expect(verifier.recognises(`${g.key.slice(0, -1)}${g.key.endsWith('A') ? 'B' : 'A'}`)).toBe(false);
    t += 3_600_000; // past the cache time: still recognised (resolve reads the row again)
    expect(verifier.recognises(g.key)).toBe(true);

    verifier.forget(g.id);
    expect(verifier.recognises(g.key)).toBe(false);
    await verifier.resolve(g.key);
    expect(calls.finds).toBe(2);

    // Without a change feed, a cached key is trusted for a few seconds, not the cache time.
    verifier.setChangeFeed(false);
    verifier.forgetAll();
    await verifier.resolve(g.key);
    t += DEGRADED_CACHE_MS;
    await verifier.resolve(g.key);
    expect(calls.finds).toBe(4);
  });
});
