// API keys against the running product: 401 without a valid key, the role matrix on every
// route (403 for roles not allowed), customer-scope isolation (another customer's records are
// "not found", lists and reports are filtered), the admin API, and — on an extra API process
// with a low limit — rate limiting (429 + Retry-After) and keys never reaching the logs.
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { stopChild } from '../../infra/temporal-dev-server';
import { adminKey, createKey, http, spawnExtraApi, testDb, uniqueKey, type Role } from './helpers';

const run = uniqueKey('sec');
const id = (label: string) => `${label}-${run}`;
const today = new Date().toISOString().slice(0, 10);
const PRODUCT = id('kompas');
const OFFICE = id('msk');
const A = id('acme');
const B = id('globex');
const NO_SUCH_REQUEST = 'SR-00000000000000000000000000';

const ROLES: Role[] = ['intake', 'agent', 'operations', 'admin'];
const keys = {} as Record<Role, string>;
const scoped = {} as Record<'intake' | 'agent' | 'operations', string>;
let db: Knex;
let requestA: string;
let requestB: string;
const refB = id('crm-b');

const registration = (customerId: string | undefined, externalRef: string) => ({
  subject: 'Crash on export to STEP',
  ...(customerId !== undefined && { customerId }),
  productId: PRODUCT,
  channel: 'supplier-email',
  category: 'defect-report',
  externalRef,
});

async function ok(method: string, path: string, body: unknown, expected = 201): Promise<any> {
  const res = await http(method, path, { body });
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  db = testDb();
  await ok('POST', '/v1/products', { id: PRODUCT, name: 'KOMPAS-3D', kind: 'commercial' });
  await ok('POST', '/v1/offices', { id: OFFICE, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' });
  for (const c of [A, B]) {
    await ok('POST', '/v1/customers', { id: c, name: `Customer ${c}`, officeId: OFFICE });
    await ok('POST', `/v1/customers/${c}/licenses`, { id: `L-${c}`, productId: PRODUCT, purchasedOn: today });
  }
  await ok('POST', '/v1/contracts', {
    id: `C-${B}`,
    customerId: B,
    counterparty: { kind: 'dealer', name: 'CAD Dealer' },
    from: '2026-01-01',
    to: '2026-12-31',
    sla: {
      calendarId: 'always-on',
      targets: { kind: 'single', firstResponse: { workingHours: 4 }, resolution: { workingHours: 24 } },
      channels: ['messenger'],
      services: ['defect-report'],
    },
  });
  for (const role of ROLES) keys[role] = (await createKey(role)).key;
  scoped.intake = (await createKey('intake', A)).key;
  scoped.agent = (await createKey('agent', A)).key;
  scoped.operations = (await createKey('operations', A)).key;
  requestB = (await ok('POST', '/v1/requests', registration(B, refB))).id;
  requestA = (await ok('POST', '/v1/requests', registration(A, id('crm-a')))).id;
});

afterAll(async () => {
  await db.destroy();
});

describe('authentication', () => {
  test('no key: 401 problem with WWW-Authenticate: Bearer; health and docs stay public', async () => {
    const res = await http('GET', `/v1/requests/${requestA}`, { key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="sla-orchestrator"');
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized' });
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      expect([path, (await http('GET', path, { key: null })).status]).toEqual([path, 200]);
    }
  });

  test('an unknown, a malformed or a revoked key: 401 invalid_token', async () => {
    const { key, id: keyId } = await createKey('agent');
    const forged = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const bad of [forged, 'sla_key_abcdefghjkmnpqrstvwx_' + 'a'.repeat(43), 'not-a-key', adminKey() + 'x']) {
      const res = await http('GET', '/v1/catalogue', { key: bad });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="sla-orchestrator", error="invalid_token"/);
      expect(JSON.stringify(res.body)).not.toContain(bad);
    }
    expect((await http('GET', '/v1/catalogue', { key })).status).toBe(200);
    // X-API-Key works as well as Authorization: Bearer.
    expect((await http('GET', '/v1/catalogue', { key: null, headers: { 'x-api-key': key } })).status).toBe(200);

    const revoked = await http('DELETE', `/v1/api-keys/${keyId}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    // At once on the API process that revoked it (the others within the key cache time).
    const after = await http('GET', '/v1/catalogue', { key });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expect((await http('DELETE', `/v1/api-keys/${keyId}`)).body.revokedAt).toBe(revoked.body.revokedAt);
  });
});

describe('the admin API', () => {
  test('a new key is shown once; lists and reads show its prefix, never the secret or its hash', async () => {
    const created = await http('POST', '/v1/api-keys', { body: { name: 'Acme portal', role: 'intake', customerScope: A } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toMatchObject({ name: 'Acme portal', role: 'intake', customerScope: A, createdBy: 'env:ADMIN_API_KEY', revokedAt: null, lastUsedAt: null });
    const { key, id: keyId, prefix } = created.body;
    expect(key).toMatch(new RegExp(`^sla_${keyId}_[A-Za-z0-9_-]{43}$`));
    expect(key.startsWith(prefix)).toBe(true);

    const row = await db('api_keys').where({ id: keyId }).first();
    const secret = key.slice(`sla_${keyId}_`.length);
    expect(row.secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);

    const read = await http('GET', `/v1/api-keys/${keyId}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('key');
    expect(JSON.stringify(read.body)).not.toContain(secret);
    expect(JSON.stringify(read.body)).not.toContain(row.secret_hash);

    let listed: any[] = [];
    let after: string | undefined;
    do {
      const page = await http('GET', `/v1/api-keys?limit=500${after ? `&after=${after}` : ''}`);
      expect(page.status).toBe(200);
      listed = listed.concat(page.body.items);
      after = page.body.next;
    } while (after);
    expect(listed.find((k) => k.id === keyId)).toMatchObject({ prefix, role: 'intake', customerScope: A });
    expect(JSON.stringify(listed)).not.toContain(secret);

    // last_used_at is recorded (off the request path) once the key is used.
    expect((await http('GET', `/v1/requests/${requestA}`, { key })).status).toBe(200);
    // (It was null at creation and the key had not been used before this request.)
    let lastUsedAt: string | null = null;
    for (const deadline = Date.now() + 30_000; !lastUsedAt && Date.now() < deadline; ) {
      lastUsedAt = (await http('GET', `/v1/api-keys/${keyId}`)).body.lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 100));
    }
    expect(lastUsedAt).toEqual(expect.any(String));
  });

  test('an admin key cannot be scoped; a scope must be a known customer; unknown fields are refused', async () => {
    const admin = await http('POST', '/v1/api-keys', { body: { name: 'x', role: 'admin', customerScope: A } });
    expect(admin.status).toBe(422);
    expect(admin.body.errors).toEqual([expect.objectContaining({ field: 'customerScope', rule: 'not_allowed' })]);
    const ghost = await http('POST', '/v1/api-keys', { body: { name: 'x', role: 'intake', customerScope: id('ghost') } });
    expect(ghost.status).toBe(422);
    expect(ghost.body.errors).toEqual([expect.objectContaining({ field: 'customerScope', rule: 'unknown_reference' })]);
    const bad = await http('POST', '/v1/api-keys', { body: { name: 'x', role: 'root', secret: 'mine' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: any) => e.field).sort()).toEqual(['role', 'secret']);
    expect((await http('GET', '/v1/api-keys/key_aaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
  });
});

/**
 * Every route with the roles allowed to call it (README "API keys"). Bodies are empty or
 * invalid and ids unknown where a call would change something, so allowed calls end in
 * 2xx/400/404/409/415/422 and change nothing; refused ones must be 403.
 */
describe('the role matrix', () => {
  const ALL: Role[] = ['intake', 'agent', 'operations', 'admin'];
  const STAFF: Role[] = ['agent', 'operations', 'admin'];
  const OPS: Role[] = ['operations', 'admin'];
  const DESK: Role[] = ['agent', 'admin'];
  const period = `from=${encodeURIComponent('2026-01-01T00:00:00+03:00')}&to=${encodeURIComponent('2026-02-01T00:00:00+03:00')}`;
  const routes = (): Array<[string, string, Role[], unknown?]> => [
    // requests
    ['POST', '/v1/requests', ['intake', 'admin'], {}],
    ['GET', '/v1/requests', ALL],
    ['GET', `/v1/requests/${requestA}`, ALL],
    ['GET', `/v1/requests/${requestA}/events`, STAFF],
    ['GET', `/v1/requests/${requestA}/history`, STAFF],
    ['POST', `/v1/requests/${requestA}/customer-replies`, ['intake', 'agent', 'admin'], {}],
    ...['responses', 'wait-on-customer', 'resolve', 'close', 'reopen', 'cancel', 'assignment'].map(
      (action): [string, string, Role[], unknown] => ['POST', `/v1/requests/${requestA}/${action}`, DESK, {}],
    ),
    // reports and metrics
    ['GET', `/v1/reports/sla?${period}`, OPS],
    ['GET', `/v1/customers/${A}/reports/sla?${period}`, ALL],
    ['GET', '/metrics', OPS],
    // policy facts
    ['GET', '/v1/catalogue', ALL],
    ['GET', `/v1/customers/${A}/entitlement`, ALL],
    ['POST', '/v1/products', OPS, {}],
    ['GET', '/v1/products', STAFF],
    ['GET', `/v1/products/${PRODUCT}`, STAFF],
    ['POST', '/v1/offices', OPS, {}],
    ['GET', '/v1/offices', STAFF],
    ['GET', `/v1/offices/${OFFICE}`, STAFF],
    ['POST', '/v1/customers', OPS, {}],
    ['GET', '/v1/customers', STAFF],
    ['GET', `/v1/customers/${A}`, STAFF],
    ...['representatives', 'licenses', 'update-purchases', 'pilots'].flatMap((kind): Array<[string, string, Role[], unknown?]> => [
      ['POST', `/v1/customers/${A}/${kind}`, OPS, {}],
      ['GET', `/v1/customers/${A}/${kind}`, STAFF],
      ['GET', `/v1/customers/${A}/${kind}/nope`, STAFF],
    ]),
    ['POST', '/v1/contracts', OPS, {}],
    ['GET', '/v1/contracts', STAFF],
    ['GET', `/v1/contracts/C-${B}`, STAFF],
    ['PUT', `/v1/contracts/C-${B}/reporting`, OPS, {}],
    ['GET', `/v1/contracts/C-${B}/reporting`, STAFF],
    ['DELETE', `/v1/contracts/${id('no-contract')}/reporting`, OPS],
    ['GET', `/v1/contracts/C-${B}/reports`, STAFF],
    ['GET', `/v1/contracts/C-${B}/reports/1`, STAFF],
    // calendars
    ['GET', '/v1/calendars', STAFF],
    ['GET', '/v1/calendars/supplier', STAFF],
    ['GET', `/v1/calendars/supplier/explain?start=${encodeURIComponent('2026-03-02T09:00:00')}&hours=1`, STAFF],
    ['GET', `/v1/calendars/supplier/between?from=${encodeURIComponent('2026-03-02T09:00:00')}&to=${encodeURIComponent('2026-03-03T09:00:00')}`, STAFF],
    ['PUT', `/v1/calendars/${id('cal')}`, OPS, {}],
    ['POST', `/v1/calendars/${id('cal')}/versions`, OPS, {}],
    ['POST', `/v1/calendars/${id('cal')}/versions/ics`, OPS, {}],
    ['GET', '/v1/calendars/supplier/versions/1/replan', OPS],
    ['GET', '/v1/calendar-replans', OPS],
    // notification directory
    ['GET', '/v1/recipients', STAFF],
    ['GET', '/v1/recipients/nope', STAFF],
    ['GET', '/v1/recipients/nope/changes', STAFF],
    ['PUT', `/v1/recipients/${id('rcpt')}`, OPS, {}],
    ['DELETE', `/v1/recipients/${id('rcpt')}`, OPS],
    // API keys
    ['POST', '/v1/api-keys', ['admin'], {}],
    ['GET', '/v1/api-keys', ['admin']],
    ['GET', '/v1/api-keys/key_aaaaaaaaaaaaaaaaaaaa', ['admin']],
    ['DELETE', '/v1/api-keys/key_aaaaaaaaaaaaaaaaaaaa', ['admin']],
  ];

  test('every route refuses a request without a key (401)', async () => {
    for (const [method, path, , body] of routes()) {
      const res = await http(method, path, { key: null, body });
      expect([method, path, res.status, res.headers.get('www-authenticate')]).toEqual([method, path, 401, 'Bearer realm="sla-orchestrator"']);
    }
  });

  test('every route × role: allowed roles get past authorisation, the others get 403', async () => {
    const seen: string[] = [];
    for (const [method, path, allowed, body] of routes()) {
      for (const role of ROLES) {
        const res = await http(method, path, { key: keys[role], body });
        const outcome = res.status === 403 ? 'refused' : res.status === 401 ? 'unauthenticated' : res.status >= 500 ? `error ${res.status}` : 'allowed';
        seen.push(`${method} ${path} ${role}: ${outcome}${outcome === 'refused' ? '' : ` (${res.status})`}`);
        expect(`${method} ${path} ${role}: ${outcome}`).toBe(`${method} ${path} ${role}: ${allowed.includes(role) ? 'allowed' : 'refused'}`);
        if (res.status === 403) expect(res.body.detail).toMatch(new RegExp(`role "${role}" may not call ${method} `));
      }
    }
    expect(seen.length).toBe(routes().length * 4);
    if (process.env.E2E_VERBOSE === '1') console.log(seen.join('\n'));
  });
});

describe('customer scope', () => {
  test('a scoped key registers for its own customer only', async () => {
    const other = await http('POST', '/v1/requests', { key: scoped.intake, body: registration(B, id('x1')) });
    expect(other.status).toBe(403);
    expect(other.body.errors).toEqual([expect.objectContaining({ field: 'customerId', rule: 'customer_scope' })]);
    const anonymous = await http('POST', '/v1/requests', { key: scoped.intake, body: registration(undefined, id('x2')) });
    expect(anonymous.status).toBe(403);

    const own = await http('POST', '/v1/requests', { key: scoped.intake, body: registration(A, id('x3')) });
    expect(own.status).toBe(201);
    expect(own.body.customerId).toBe(A);
    const retried = await http('POST', '/v1/requests', { key: scoped.intake, body: registration(A, id('x3')), api: 1 });
    expect([retried.status, retried.body.id]).toEqual([200, own.body.id]);

    // The same externalRef as another customer's request is another request, never that one.
    const sameRef = await http('POST', '/v1/requests', { key: scoped.intake, body: registration(A, refB) });
    expect(sameRef.status).toBe(201);
    expect(sameRef.body.id).not.toBe(requestB);
    expect(sameRef.body.customerId).toBe(A);
  });

  test("another customer's request is not found (404, as for an id that does not exist) for reads and actions", async () => {
    const missing = await http('GET', `/v1/requests/${NO_SUCH_REQUEST}`, { key: scoped.intake });
    expect(missing.status).toBe(404);
    const before = (await http('GET', `/v1/requests/${requestB}`)).body;

    for (const [key, method, path, body] of [
      [scoped.intake, 'GET', `/v1/requests/${requestB}`, undefined],
      [scoped.operations, 'GET', `/v1/requests/${requestB}`, undefined],
      [scoped.agent, 'GET', `/v1/requests/${requestB}/events`, undefined],
      [scoped.agent, 'GET', `/v1/requests/${requestB}/history`, undefined],
      [scoped.intake, 'POST', `/v1/requests/${requestB}/customer-replies`, { author: 'someone@acme.example', body: 'hello' }],
      [scoped.agent, 'POST', `/v1/requests/${requestB}/responses`, { visibility: 'public', author: 'agent-1', body: 'hi' }],
      [scoped.agent, 'POST', `/v1/requests/${requestB}/assignment`, { author: 'agent-1', agent: 'agent-1' }],
      [scoped.agent, 'POST', `/v1/requests/${requestB}/cancel`, { author: 'agent-1', reason: 'spam' }],
    ] as Array<[string, string, string, unknown]>) {
      const res = await http(method, path, { key, body });
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(res.body.detail).toBe(`request ${requestB} does not exist`);
    }
    const after = (await http('GET', `/v1/requests/${requestB}`)).body;
    expect([after.state, after.assignee, after.revision]).toEqual([before.state, before.assignee, before.revision]);

    // Its own request: readable and actionable.
    expect((await http('GET', `/v1/requests/${requestA}`, { key: scoped.intake })).status).toBe(200);
    expect((await http('GET', `/v1/requests/${requestA}/events`, { key: scoped.agent })).status).toBe(200);
    expect((await http('GET', `/v1/requests/${requestA}/history`, { key: scoped.agent })).status).toBe(200);
    expect((await http('POST', `/v1/requests/${requestA}/customer-replies`, { key: scoped.intake, body: { author: 'ivan@acme.example', body: 'More detail' } })).status).toBe(200);
  });

  test('lists hold only its own customer’s requests', async () => {
    const list = await http('GET', '/v1/requests?limit=200', { key: scoped.intake });
    expect(list.status).toBe(200);
    const ids = list.body.items.map((r: any) => r.id);
    expect(ids).toContain(requestA);
    expect(ids).not.toContain(requestB);
    expect(new Set(list.body.items.map((r: any) => r.customerId))).toEqual(new Set([A]));
    const theirs = await http('GET', `/v1/requests?customerId=${B}`, { key: scoped.operations });
    expect([theirs.status, theirs.body.items]).toEqual([200, []]);
    // An unscoped key sees both.
    const all = (await http('GET', `/v1/requests?customerId=${B}`)).body.items.map((r: any) => r.id);
    expect(all).toContain(requestB);
  });

  test('reports cover its own customer only', async () => {
    const period = `from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 86_400_000).toISOString())}`;
    const report = await http('GET', `/v1/reports/sla?${period}`, { key: scoped.operations });
    expect(report.status).toBe(200);
    expect(report.body.customerId).toBe(A);
    expect(report.body.groups.map((g: any) => g.key)).toEqual([A]);
    expect((await http('GET', `/v1/reports/sla?${period}&customerId=${B}`, { key: scoped.operations })).status).toBe(404);
    expect((await http('GET', `/v1/customers/${B}/reports/sla?${period}`, { key: scoped.intake })).status).toBe(404);
    expect((await http('GET', `/v1/customers/${A}/reports/sla?${period}`, { key: scoped.intake })).status).toBe(200);
    // Unscoped, the same report has both customers.
    const all = (await http('GET', `/v1/reports/sla?${period}`, { key: keys.operations })).body.groups.map((g: any) => g.key);
    expect(all).toEqual(expect.arrayContaining([A, B]));
  });

  test('policy facts: its own customer only; entitlement of another is not found', async () => {
    const k = scoped.operations;
    const customers = await http('GET', '/v1/customers', { key: k });
    expect(customers.body.items.map((c: any) => c.id)).toEqual([A]);
    expect((await http('GET', `/v1/customers?after=${A}`, { key: k })).body.items).toEqual([]);
    for (const path of [`/v1/customers/${B}`, `/v1/customers/${B}/licenses`, `/v1/customers/${B}/licenses/L-${B}`, `/v1/customers/${B}/pilots`, `/v1/contracts/C-${B}`]) {
      expect([path, (await http('GET', path, { key: k })).status]).toEqual([path, 404]);
    }
    expect((await http('GET', `/v1/customers/${A}/licenses/L-${A}`, { key: k })).status).toBe(200);
    expect((await http('GET', `/v1/customers/${B}/entitlement`, { key: scoped.intake })).status).toBe(404);
    expect((await http('GET', `/v1/customers/${A}/entitlement`, { key: scoped.intake })).status).toBe(200);
    const contracts = await http('GET', '/v1/contracts?limit=500', { key: k });
    expect(contracts.body.items.every((c: any) => c.customerId === A)).toBe(true);
    expect((await http('GET', `/v1/contracts?customerId=${B}`, { key: k })).body.items).toEqual([]);
    expect((await http('GET', `/v1/contracts?customerId=${B}`)).body.items.map((c: any) => c.id)).toEqual([`C-${B}`]);
  });

  test('a scoped key changes nothing shared, even with a role that could (403)', async () => {
    const k = scoped.operations;
    for (const [method, path, body] of [
      ['POST', '/v1/products', { id: id('p2'), name: 'x', kind: 'free' }],
      ['POST', `/v1/customers/${A}/licenses`, { id: id('L2'), productId: PRODUCT, purchasedOn: today }],
      ['PUT', `/v1/calendars/${id('cal2')}`, {}],
      ['GET', '/v1/calendars/supplier/versions/1/replan', undefined],
      ['GET', '/v1/calendar-replans', undefined],
      ['GET', '/metrics', undefined],
    ] as Array<[string, string, unknown]>) {
      const res = await http(method, path, { key: k, body });
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.detail).toMatch(new RegExp(`limited to customer "${A}"`));
    }
    // Reads of shared reference data are fine.
    expect((await http('GET', '/v1/calendars/supplier', { key: k })).status).toBe(200);
    expect((await http('GET', '/v1/catalogue', { key: scoped.intake })).status).toBe(200);
  });
});

describe('an API process with a low rate limit (and its logs)', () => {
  let child: ChildProcess;
  let baseUrl: string;
  const logs: string[] = [];

  beforeAll(async () => {
    ({ child, url: baseUrl } = await spawnExtraApi({ RATE_LIMIT_PER_MINUTE: '5', LOG_LEVEL: 'debug' }, (line) => logs.push(line)));
  });
  afterAll(async () => {
    if (child) await stopChild(child);
  });

  test('the request over the limit is a 429 problem with Retry-After and RateLimit headers; each key has its own budget', async () => {
    const { key } = await createKey('agent');
    for (let i = 0; i < 5; i++) {
      const res = await http('GET', '/v1/catalogue', { key, baseUrl });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit')).toMatch(/limit=5, remaining=\d, reset=\d+/);
    }
    const limited = await http('GET', '/v1/catalogue', { key, baseUrl });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ status: 429, title: 'Too many requests', retryAfterSeconds: retryAfter });
    // 429 is distinct from 401 and 403 (no WWW-Authenticate), and another key is not affected.
    expect(limited.headers.get('www-authenticate')).toBeNull();
    expect((await http('GET', '/v1/catalogue', { key: keys.intake, baseUrl })).status).toBe(200);
    // Health checks are never limited.
    expect((await http('GET', '/healthz', { key: null, baseUrl })).status).toBe(200);
  });

  test('keys never reach the log; the key id does', async () => {
    const { key, id: keyId } = await createKey('operations');
    const mark = logs.length;
    const bearer = await http('GET', '/v1/products', { key, baseUrl });
    expect(bearer.status).toBe(200);
    await http('GET', '/v1/nope', { key: null, headers: { 'x-api-key': key }, baseUrl });
    await http('GET', '/v1/products', { key: `${key.slice(0, -1)}Z`, baseUrl });
    // Wait until the process has logged all three requests (its stdout arrives asynchronously).
    for (const deadline = Date.now() + 30_000; logs.slice(mark).filter((l) => l.includes('"msg":"http"')).length < 3; ) {
      if (Date.now() > deadline) throw new Error('the API process did not log the three requests');
      await new Promise((r) => setTimeout(r, 50));
    }
    const text = logs.join('\n');
    expect(text).toContain(`"keyId":"${keyId}"`);
    for (const secret of [key, key.slice(`sla_${keyId}_`.length), adminKey(), `${key.slice(0, -1)}Z`]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/authorization|x-api-key/i);
  });

  // Last: once this address is over its limit, keys this process has not seen yet are refused
  // before any lookup until the window ends.
  test('guessing keys is throttled per client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await http('GET', '/v1/catalogue', { key: `guess-${i}-${'x'.repeat(40)}`, baseUrl })).status);
    // The earlier tests' bad key counted too: 401 until the address's budget of 5 is spent, then 429.
    const refusedFrom = statuses.indexOf(429);
    expect(refusedFrom).toBeGreaterThanOrEqual(3);
    expect(refusedFrom).toBeLessThanOrEqual(5);
    expect(statuses).toEqual([...Array(refusedFrom).fill(401), ...Array(7 - refusedFrom).fill(429)]);
    // A key this process already knows keeps its own budget; a new one waits for the window.
    expect((await http('GET', '/v1/catalogue', { key: keys.intake, baseUrl })).status).toBe(200);
    const fresh = await createKey('agent');
    expect((await http('GET', '/v1/catalogue', { key: fresh.key, baseUrl })).status).toBe(429);
  });
});
