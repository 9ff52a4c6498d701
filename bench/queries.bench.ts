import { createKnex } from '../db/knex';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { formatLoad, runLoad } from './stats';

/**
 * Queries that grow with the data: `closed` closed requests of the past year (with their
 * timelines: registered, a warning, for every third a breach, closed) are inserted directly
 * with generate_series, then the operations list's first page, a year's SLA report and
 * /metrics are read over HTTP, each next to a bare indexed select on the same database
 * (a primary-key lookup of one request, over the pg pool, no HTTP).
 */
export async function runQueriesBench(stack: LocalStack, opts: { closed: number; repeats: number }): Promise<string[]> {
  const db = createKnex(stack.databaseUrl, { max: 4 });
  const api = stackApi(stack);
  const run = Date.now().toString(36);
  try {
    const started = performance.now();
    // Spread over the past 360 days, newest last; ids sort like their registration.
    await db.raw(
      `insert into support_requests (id, request_key, workflow_id, customer_id, subject, level, state, clocks, registered_at, breached,
                                     first_response_breached, calendar_id, calendar_version_id, resolved_at, closed_at, revision, policy)
       select 'SR-BENCH-' || ? || '-' || g, 'bench:' || ? || ':' || g, 'bench-closed-' || ? || '-' || g, 'bench-cust-' || (g % 50), 'closed ' || g,
              (array['basic', 'warranty', 'individual'])[1 + g % 3], 'closed', '[]'::jsonb,
              now() - interval '360 days' + (g * interval '360 days' / ?), g % 3 = 0, g % 3 = 0, 'supplier', '1',
              now() - interval '359 days' + (g * interval '360 days' / ?), now() - interval '358 days' + (g * interval '360 days' / ?), 4,
              '{"officeId": "bench-office"}'::jsonb
         from generate_series(1, ?) g`,
      [run, run, run, opts.closed, opts.closed, opts.closed, opts.closed],
    );
    await db.raw(
      `insert into request_events (request_id, seq, type, occurred_at, actor, data)
       select r.id, e.seq, e.type, r.registered_at + e.seq * interval '1 hour', 'bench', '{}'::jsonb
         from support_requests r
         cross join lateral (values (1, 'registered'), (2, 'sla_warning'), (3, case when r.breached then 'sla_breached' else 'responded' end), (4, 'closed')) as e(seq, type)
        where r.id like ?`,
      [`SR-BENCH-${run}-%`],
    );
    await db.raw('analyze support_requests');
    await db.raw('analyze request_events');
    const seedSeconds = (performance.now() - started) / 1000;

    const n = opts.repeats;
    const bare = await runLoad(n, 1, async (i) => {
      await db('support_requests').where({ id: `SR-BENCH-${run}-${1 + ((i * 7919) % opts.closed)}` }).first('id', 'state');
    });
    const list = await runLoad(n, 1, async () => {
      await api.call('GET', '/v1/requests?limit=50', [200]);
    });
    const listClosed = await runLoad(n, 1, async () => {
      await api.call('GET', '/v1/requests?state=closed&breached=true&limit=50', [200]);
    });
    const to = new Date();
    const from = new Date(to.getTime() - 365 * 86_400_000);
    const report = await runLoad(Math.max(3, Math.ceil(n / 10)), 1, async () => {
      await api.call('GET', `/v1/reports/sla?from=${from.toISOString()}&to=${to.toISOString()}&groupBy=level`, [200]);
    });
    const metrics = await runLoad(n, 1, async () => {
      // Prometheus text, not JSON.
      const res = await fetch(`${api.url}/metrics`, { headers: api.headers });
      if (res.status !== 200) throw new Error(`GET /metrics: ${res.status}`);
      await res.text();
    });
    return [
      `queries over ${opts.closed.toLocaleString('en-US')} closed requests (${opts.closed * 4} timeline events; inserted in ${seedSeconds.toFixed(1)} s):`,
      formatLoad('  bare indexed select (pk lookup, no HTTP)', bare),
      formatLoad('  GET /v1/requests first page (50)', list),
      formatLoad('  GET /v1/requests?state=closed&breached=true', listClosed),
      formatLoad("  GET /v1/reports/sla, a year by level", report),
      formatLoad('  GET /metrics (alarm counters)', metrics),
    ];
  } finally {
    await db.destroy();
  }
}
