// /healthz and /readyz on a bare Express app with a fake database and Temporal client that
// count their calls: liveness calls nothing, readiness probes at most once per interval with
// concurrent callers sharing one probe, and no raw error text reaches the public answer.
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import request from 'supertest';
import { healthRouter } from '../../../api/health/router';
import { cachedReadiness } from '../../../api/health/readiness';

function fakes(opts: { dbError?: string; temporalError?: string } = {}) {
  const calls = { db: 0, temporal: 0 };
  const db = {
    raw: async () => {
      calls.db++;
      if (opts.dbError) throw new Error(opts.dbError);
      return { rows: [] };
    },
  } as unknown as Knex;
  const client = {
    options: { namespace: 'default' },
    workflowService: {
      describeNamespace: async () => {
        calls.temporal++;
        if (opts.temporalError) throw new Error(opts.temporalError);
        return {};
      },
      describeTaskQueue: async () => {
        calls.temporal++;
        if (opts.temporalError) throw new Error(opts.temporalError);
        return { pollers: [{ lastAccessTime: { seconds: Math.floor(Date.now() / 1000) } }] };
      },
    },
  } as unknown as Client;
  const app = express();
  app.use(healthRouter(db, client, 'q'));
  return { app, calls };
}

describe('health endpoints', () => {
  test('/healthz answers without calling the database or Temporal', async () => {
    const { app, calls } = fakes({ dbError: 'connect ECONNREFUSED 10.9.8.7:5432' });
    const res = await request(app).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(calls).toEqual({ db: 0, temporal: 0 });
  });

  test('concurrent /readyz calls share one probe, and the answer is reused within the interval', async () => {
    const { app, calls } = fakes();
    const answers = await Promise.all(Array.from({ length: 25 }, () => request(app).get('/readyz')));
    expect(answers.map((a) => a.status)).toEqual(Array(25).fill(200));
    expect(answers[0]!.body).toEqual({ status: 'ready', components: { database: { status: 'up' }, temporal: { status: 'up' }, worker: { status: 'up' } } });
    expect(calls).toEqual({ db: 1, temporal: 2 });
    await request(app).get('/readyz').expect(200);
    expect(calls).toEqual({ db: 1, temporal: 2 });
  });

  test('/readyz is 503 with Retry-After when the database or Temporal is down, naming the component but not the error', async () => {
    for (const [opts, down] of [
      [{ dbError: 'connect ECONNREFUSED 10.9.8.7:5432' }, ['database']],
      [{ temporalError: '14 UNAVAILABLE: No connection established. Last error: connect ECONNREFUSED 10.9.8.7:7233' }, ['temporal', 'worker']],
    ] as const) {
      const { app } = fakes(opts);
      const res = await request(app).get('/readyz').expect(503);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.status).toBe('not ready');
      expect(Object.entries(res.body.components).filter(([, c]) => (c as { status: string }).status === 'down').map(([n]) => n)).toEqual(down);
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/10\.9\.8\.7|5432|7233|ECONNREFUSED|UNAVAILABLE/);
    }
  });
});

describe('cachedReadiness', () => {
  test('probes again once the answer is older than the interval; a failed probe is not cached', async () => {
    let t = 0;
    let probes = 0;
    let fail = true;
    const r = cachedReadiness(
      async () => {
        probes++;
        if (fail) throw new Error('boom');
        return { database: { status: 'up' as const } };
      },
      1000,
      undefined,
      () => t,
    );
    await expect(r.current()).rejects.toThrow('boom');
    fail = false;
    await r.current();
    await r.current();
    expect(probes).toBe(2);
    t += 999;
    await r.current();
    expect(probes).toBe(2);
    t += 1;
    await r.current();
    expect(probes).toBe(3);
  });
});
