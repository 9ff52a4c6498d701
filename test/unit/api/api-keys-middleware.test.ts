// The authentication chain, role checks and the rate limiter on a bare Express app with a fake
// key verifier (no database): 401, 403 and 429 are distinct problems with their headers.
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { authenticate, createKeyVerifier, presentedKey, type KeyVerifier } from '../../../api/auth/authenticate';
import { requireCustomerInScope, requireRole, requireUnscoped } from '../../../api/auth/authorize';
import { generateKey } from '../../../api/auth/keys';
import type { Principal } from '../../../api/auth/principal';
import { errorMiddleware } from '../../../api/error-middleware';
import type { Knex } from 'knex';

const principals: Record<string, Principal> = {
  'agent-key': { keyId: 'key_agent', name: 'agent', role: 'agent', customerScope: null },
  'intake-key': { keyId: 'key_intake', name: 'intake', role: 'intake', customerScope: null },
  'acme-key': { keyId: 'key_acme', name: 'acme', role: 'agent', customerScope: 'acme' },
};
const fakeVerifier: KeyVerifier = {
  resolve: async (k) => principals[k],
  recognises: (k) => k in principals,
  forget: () => undefined,
  forgetAll: () => undefined,
  setChangeFeed: () => undefined,
};

function app(perMinute = 0, verifier = fakeVerifier) {
  const a = express();
  a.set('trust proxy', false);
  a.get('/healthz', (_req, res) => void res.json({ ok: true }));
  a.use(authenticate(verifier, { rateLimitPerMinute: perMinute }));
  a.get('/docs', (_req, res) => void res.send('docs'));
  a.get('/agents-only', requireRole('agent'), (req, res) => void res.json({ keyId: req.principal!.keyId }));
  a.post('/unscoped-only', requireRole('agent'), requireUnscoped(), (_req, res) => void res.json({ ok: true }));
  a.get('/customers/:customerId', requireRole('agent'), requireCustomerInScope(), (req, res) => void res.json({ id: req.params.customerId }));
  a.use(errorMiddleware(pino({ level: 'silent' })));
  return a;
}

describe('authentication', () => {
  test('health and docs are public; everything else needs a key', async () => {
    await request(app()).get('/healthz').expect(200);
    await request(app()).get('/docs').expect(200);
    const res = await request(app()).get('/agents-only').expect(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="sla-orchestrator"');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: expect.stringMatching(/API key is required/) });
    // Unknown routes do not reveal themselves without a key either.
    await request(app()).get('/nope').expect(401);
  });

  test('unknown and malformed keys: 401 with error="invalid_token"', async () => {
    for (const headers of [{ authorization: 'Bearer wrong' }, { 'x-api-key': 'wrong' }, { authorization: 'Basic YWdlbnQ6a2V5' }, { authorization: 'Bearer agent-key', 'x-api-key': 'intake-key' }]) {
      const res = await request(app()).get('/agents-only').set(headers).expect(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="sla-orchestrator", error="invalid_token"/);
      expect(res.body.detail).toMatch(/not valid/);
      expect(JSON.stringify(res.body)).not.toContain('wrong');
    }
  });

  test('Authorization: Bearer and X-API-Key both work (case-insensitive scheme)', async () => {
    expect((await request(app()).get('/agents-only').set('authorization', 'Bearer agent-key').expect(200)).body).toEqual({ keyId: 'key_agent' });
    await request(app()).get('/agents-only').set('authorization', 'bearer   agent-key').expect(200);
    await request(app()).get('/agents-only').set('x-api-key', 'agent-key').expect(200);
    await request(app()).get('/agents-only').set({ authorization: 'Bearer agent-key', 'x-api-key': 'agent-key' }).expect(200);
  });

  test('presentedKey reads one credential', () => {
    const req = (headers: Record<string, string>) => ({ header: (n: string) => headers[n.toLowerCase()] }) as unknown as express.Request;
    expect(presentedKey(req({}))).toEqual({ kind: 'none' });
    expect(presentedKey(req({ authorization: 'Bearer a b' }))).toEqual({ kind: 'malformed' });
    expect(presentedKey(req({ 'x-api-key': '  k  ' }))).toEqual({ kind: 'key', value: 'k' });
  });
});

describe('authorisation', () => {
  test('a role not allowed is 403, naming the role and the route', async () => {
    const res = await request(app()).get('/agents-only').set('authorization', 'Bearer intake-key').expect(403);
    expect(res.body).toMatchObject({ status: 403, title: 'Forbidden', detail: 'a key with role "intake" may not call GET /agents-only (allowed: agent)' });
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  test('a customer-scoped key: 403 on shared writes, 404 for other customers', async () => {
    await request(app()).post('/unscoped-only').set('authorization', 'Bearer acme-key').expect(403);
    await request(app()).post('/unscoped-only').set('authorization', 'Bearer agent-key').expect(200);
    await request(app()).get('/customers/acme').set('authorization', 'Bearer acme-key').expect(200);
    const other = await request(app()).get('/customers/globex').set('authorization', 'Bearer acme-key').expect(404);
    expect(other.body.detail).toBe('customer "globex" does not exist');
    await request(app()).get('/customers/globex').set('authorization', 'Bearer agent-key').expect(200);
  });
});

describe('rate limiting', () => {
  test('per key: the request over the limit is a 429 problem with Retry-After; other keys are unaffected', async () => {
    const a = app(3);
    for (let i = 0; i < 3; i++) {
      const ok = await request(a).get('/agents-only').set('authorization', 'Bearer agent-key').expect(200);
      expect(ok.headers['ratelimit']).toMatch(/limit=3, remaining=\d+, reset=\d+/);
    }
    const limited = await request(a).get('/agents-only').set('authorization', 'Bearer agent-key').expect(429);
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests', retryAfterSeconds: Number(limited.headers['retry-after']) });
    expect(limited.body.detail).toMatch(/key_agent/);
    // Another key has its own budget; health is never limited.
    await request(a).get('/customers/acme').set('authorization', 'Bearer acme-key').expect(200);
    await request(a).get('/healthz').expect(200);
  });

  test('without a valid key, attempts count per client address (guessing is throttled)', async () => {
    const a = app(2);
    await request(a).get('/agents-only').set('authorization', 'Bearer guess-1').expect(401);
    await request(a).get('/agents-only').set('authorization', 'Bearer guess-2').expect(401);
    await request(a).get('/agents-only').set('authorization', 'Bearer guess-3').expect(429);
    // A valid key is counted on its own.
    await request(a).get('/agents-only').set('authorization', 'Bearer agent-key').expect(200);
  });
});

describe('the database-backed verifier', () => {
  /** A stand-in for knex: `db('api_keys').where({ id }).first()` and the touch update. */
  function fakeDb(rows: Record<string, any>) {
    const calls = { finds: 0, touches: 0 };
    const db = (() => {
      let id = '';
      const q: any = {
        where: (w: { id: string }) => ((id = w.id), q),
        first: async () => (calls.finds++, rows[id] && { ...rows[id] }),
        andWhere: () => q,
        update: async () => (calls.touches++, 1),
      };
      return q;
    }) as unknown as Knex;
    Object.assign(db, { raw: () => '', fn: { now: () => 'now()' } });
    return { db, calls };
  }

  test('verifies the secret, caches the row for cacheMs, refuses revoked keys and throttles last_used_at', async () => {
    const g = generateKey();
    const row = { id: g.id, name: 'crm', role: 'intake', customer_scope: null, secret_hash: g.secretHash, revoked_at: null };
    const { db, calls } = fakeDb({ [g.id]: row });
    let t = 1_000_000;
    const verifier = createKeyVerifier(db, { bootstrapAdminKey: undefined, cacheMs: 30_000 }, undefined, () => t);

    expect(await verifier.resolve(g.key)).toEqual({ keyId: g.id, name: 'crm', role: 'intake', customerScope: null });
    expect(await verifier.resolve(g.key.slice(0, -1) + (g.key.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(calls.finds).toBe(1);
    expect(calls.touches).toBe(1);

    // Revoked in the database: still accepted from the cache until it expires…
    row.revoked_at = new Date() as never;
    t += 29_000;
    expect(await verifier.resolve(g.key)).toBeDefined();
    // …and refused after.
    t += 2_000;
    expect(await verifier.resolve(g.key)).toBeUndefined();
    expect(calls.finds).toBe(2);
    expect(calls.touches).toBe(1);
  });

  test('the bootstrap admin key needs no row', async () => {
    const { db, calls } = fakeDb({});
    const secret = 'x'.repeat(43);
    const verifier = createKeyVerifier(db, { bootstrapAdminKey: secret, cacheMs: 30_000 });
    expect(await verifier.resolve(secret)).toMatchObject({ keyId: 'env:ADMIN_API_KEY', role: 'admin', customerScope: null });
    expect(await verifier.resolve(secret + 'x')).toBeUndefined();
    expect(calls.finds).toBe(0);
  });
});
