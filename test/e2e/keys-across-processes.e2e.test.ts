// API keys and rate limits across API processes (issue 15, finding 9), on extra API processes
// started by this file against the stack's PostgreSQL and Temporal:
// - a revoke on one process is refused on another within seconds although its key cache
//   would trust the key for an hour (PostgreSQL LISTEN/NOTIFY);
// - a listener that lost its connection drops its whole cache when it reconnects;
// - one rate limit spread over two processes admits the limit once between them.
import type { ChildProcess } from 'node:child_process';
import type { Knex } from 'knex';
import { LISTENER_APPLICATION_NAME } from '../../db/pg-listener';
import { stopChild } from '../../infra/temporal-dev-server';
import { createKey, http, spawnExtraApi, testDb, type HttpResult } from './helpers';

const DEADLINE_MS = 10_000;

/** Polls `probe` until `done` holds or the deadline passes; returns the last result. */
async function until<T>(probe: () => Promise<T>, done: (t: T) => boolean, deadlineMs = DEADLINE_MS): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const result = await probe();
    if (done(result) || Date.now() > end) return result;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts `n` API processes with `env`; resolves once each one listens for key changes. */
async function startApis(n: number, env: NodeJS.ProcessEnv): Promise<{ urls: string[]; children: ChildProcess[]; logs: string[] }> {
  const logs: string[] = [];
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  for (let i = 0; i < n; i++) {
    const { child, url } = await spawnExtraApi({ LOG_LEVEL: 'info', ...env }, (line) => logs.push(line));
    children.push(child);
    urls.push(url);
  }
  // Listening before the test starts: otherwise the verifier trusts its cache for a few
  // seconds only, and the revocation test could pass without any notification.
  const listening = await until(
    async () => children.filter((c) => logs.some((l) => l.includes(`[api ${c.pid}]`) && l.includes('listening for API key changes'))).length,
    (count) => count === n,
  );
  if (listening !== n) throw new Error(`API processes did not start listening for key changes:\n${logs.join('\n')}`);
  return { urls, children, logs };
}

let db: Knex;
beforeAll(() => {
  db = testDb();
});
afterAll(async () => {
  await db?.destroy();
});

describe('key revocation across API processes with a one-hour key cache', () => {
  let apis: Awaited<ReturnType<typeof startApis>>;
  beforeAll(async () => {
    apis = await startApis(2, { API_KEY_CACHE_SECONDS: '3600', RATE_LIMIT_PER_MINUTE: '1000000' });
  }, 120_000);
  afterAll(async () => {
    await Promise.all((apis?.children ?? []).map((c) => stopChild(c)));
  });

  const get = (key: string, i: number) => http('GET', '/v1/catalogue', { key, baseUrl: apis.urls[i] });

  test('a key revoked through one process is refused by the other within seconds', async () => {
    const { id, key } = await createKey('agent');
    // Used on both, so both have it cached as valid (for an hour).
    expect((await get(key, 0)).status).toBe(200);
    expect((await get(key, 1)).status).toBe(200);
    expect((await get(key, 1)).status).toBe(200);

    const revoked = await http('DELETE', `/v1/api-keys/${id}`, { baseUrl: apis.urls[0] });
    expect(revoked.status).toBe(200);
    expect((await get(key, 0)).status).toBe(401);
    const other: HttpResult = await until(
      () => get(key, 1),
      (r) => r.status !== 200,
    );
    expect(other.status).toBe(401);
    expect(other.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  test('a key revoked in the database by hand is refused by every process', async () => {
    const { id, key } = await createKey('operations');
    for (const i of [0, 1]) expect((await get(key, i)).status).toBe(200);
    await db('api_keys').where({ id }).update({ revoked_at: db.fn.now() });
    for (const i of [0, 1]) expect((await until(() => get(key, i), (r) => r.status !== 200)).status).toBe(401);
  });

  test('a listener that lost its connection drops its cache on reconnect (changes it missed count)', async () => {
    const { id, key } = await createKey('agent');
    for (const i of [0, 1]) expect((await get(key, i)).status).toBe(200);
    // Revoke without the trigger (no notification at all), then cut the listening connections:
    // only the reconnect's cache drop can make the processes see it.
    await db.transaction(async (trx) => {
      await trx.raw('set local session_replication_role = replica');
      await trx('api_keys').where({ id }).update({ revoked_at: trx.fn.now() });
    });
    expect((await get(key, 1)).status).toBe(200); // still cached: nothing told this process
    const { rows } = await db.raw<{ rows: Array<{ ok: boolean }> }>('select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = ? and pid <> pg_backend_pid()', [LISTENER_APPLICATION_NAME]);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const i of [0, 1]) expect((await until(() => get(key, i), (r) => r.status !== 200)).status).toBe(401);
    // And both listen again afterwards: a later revoke still propagates.
    const next = await createKey('agent');
    for (const i of [0, 1]) expect((await get(next.key, i)).status).toBe(200);
    await until(
      async () => (await db.raw<{ rows: unknown[] }>('select 1 from pg_stat_activity where application_name = ?', [LISTENER_APPLICATION_NAME])).rows.length,
      (n) => n >= 2,
    );
    expect((await http('DELETE', `/v1/api-keys/${next.id}`, { baseUrl: apis.urls[0] })).status).toBe(200);
    expect((await until(() => get(next.key, 1), (r) => r.status !== 200)).status).toBe(401);
  });
});

describe('one rate limit across two API processes', () => {
  const LIMIT = 6;
  let apis: Awaited<ReturnType<typeof startApis>>;
  beforeAll(async () => {
    apis = await startApis(2, { RATE_LIMIT_PER_MINUTE: String(LIMIT) });
  }, 120_000);
  afterAll(async () => {
    await Promise.all((apis?.children ?? []).map((c) => stopChild(c)));
  });

  /** The end of the window a response was counted in, from its RateLimit header (±1 s). */
  const windowOf = (r: HttpResult) => {
    const reset = /reset=(\d+)/.exec(r.headers.get('ratelimit') ?? '');
    if (!reset) throw new Error(`no RateLimit header: ${r.status} ${JSON.stringify(r.body)}`);
    return Math.round(Date.now() / 1000 + Number(reset[1]));
  };

  /** How many results with `status` fell in each window. */
  const perWindow = (results: HttpResult[], status: number): number[] => {
    const counts = new Map<number, number>();
    for (const r of results.filter((x) => x.status === status)) {
      const w = [...counts.keys()].find((k) => Math.abs(k - windowOf(r)) <= 1) ?? windowOf(r);
      counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    return [...counts.values()];
  };

  test('requests spread over both processes are admitted at most LIMIT times per window', async () => {
    const { key } = await createKey('agent');
    const results: HttpResult[] = [];
    for (let i = 0; i < 2 * LIMIT + 2; i++) results.push(await http('GET', '/v1/catalogue', { key, baseUrl: apis.urls[i % 2] }));
    expect(results.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    // Never more than LIMIT in one window (a burst may straddle a window boundary).
    for (const count of perWindow(results, 200)) expect(count).toBeLessThanOrEqual(LIMIT);
    // Both processes answered both ways: the budget is one, not one per process.
    const refused = results.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused[0]!.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused[0]!.body).toMatchObject({ status: 429, title: 'Too many requests' });
  });

  test('key guesses spread over both processes are throttled once between them', async () => {
    const results: HttpResult[] = [];
    for (let i = 0; i < 2 * LIMIT; i++) results.push(await http('GET', '/v1/catalogue', { key: `sla_key_${'a'.repeat(20)}_${'b'.repeat(42)}${i % 10}`, baseUrl: apis.urls[i % 2] }));
    for (const count of perWindow(results, 401)) expect(count).toBeLessThanOrEqual(LIMIT);
    expect(results.slice(-2).map((r) => r.status)).toEqual([429, 429]);
  });
});
