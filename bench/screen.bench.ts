import { Client as PgClient } from 'pg';
import { requestIdentity } from '../services/registration/identity';
import { createKnex } from '../db/knex';
import type { LocalStack } from '../infra/local-stack';
import { stackApi } from '../infra/stack-api';
import { seedWarrantyCustomer } from './seed';
import { fmt, percentile } from './stats';

/**
 * The desk's screen:
 * - the board's first answer (GET /ui/api/board: the 200 most urgent open requests with every
 *   clock measured on its calendar, plus the counts) with `openRequests` open requests, next to
 *   a bare read of the list API (GET /v1/requests?limit=200) on the same rows. The open rows are
 *   copies of one registered request's projection row (the board reads only the table).
 * - push latency: a registration (POST start) until the event stream names it, and until a
 *   board read shows it (what an open board does), next to the bare PostgreSQL NOTIFY -> LISTEN
 *   round trip and the registration's own round trip, measured in the same run.
 */
export async function runScreenBench(stack: LocalStack, opts: { openRequests: number; pushes: number }): Promise<string[]> {
  const run = `screen-${Date.now().toString(36)}`;
  const api = stackApi(stack);
  const body = await seedWarrantyCustomer(api, run);
  const lines: string[] = [];
  const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
  const summary = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return `p50 ${fmt(percentile(s, 50)).padStart(7)} ms   p99 ${fmt(percentile(s, 99)).padStart(7)} ms`;
  };

  // Open requests: one real registration, its row copied N-1 times.
  const first = await api.call<{ id: string }>('POST', '/v1/requests', [201], body(0));
  const db = createKnex(stack.databaseUrl, { max: 2 });
  try {
    await db.raw(
      `insert into support_requests (id, request_key, workflow_id, customer_id, product_id, channel, category, priority, subject, level, policy, state, clocks,
         assignee, assignee_group, registered_at, first_response_due_at, resolution_due_at, breached, revision, calendar_id, calendar_version_id, at_risk, next_due_at)
       select r.id || '-' || g, r.request_key || '-' || g, r.workflow_id || '-' || g, customer_id, product_id, channel, category, priority, subject || ' ' || g, level, policy, state, clocks,
         assignee, assignee_group, registered_at - make_interval(secs => g), first_response_due_at, resolution_due_at, breached, revision, calendar_id, calendar_version_id, at_risk, next_due_at
       from support_requests r, generate_series(1, ?) g where r.id = ?`,
      [Math.max(0, opts.openRequests - 1), first.id],
    );
  } finally {
    await db.destroy();
  }
  const get = async (path: string) => {
    const t0 = process.hrtime.bigint();
    await api.call('GET', path, [200]);
    return ms(t0);
  };
  const board = [await get('/ui/api/board')];
  const list = [await get('/v1/requests?limit=200')];
  for (let i = 0; i < 20; i++) {
    board.push(await get('/ui/api/board'));
    list.push(await get('/v1/requests?limit=200'));
  }
  lines.push(`screen board, ${opts.openRequests} open: first answer ${fmt(board[0]!).padStart(7)} ms, then ${summary(board.slice(1))}   (200 most urgent, every clock measured, counts)`);
  lines.push(`  baseline list API read (limit 200):   first ${fmt(list[0]!).padStart(7)} ms, then ${summary(list.slice(1))}`);

  // Push latency: an event-stream reader in this process, as a browser would hold one.
  const controller = new AbortController();
  const res = await fetch(`${api.url}/ui/events`, { headers: api.headers, signal: controller.signal });
  const waiters = new Map<string, (t: bigint) => void>();
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((r) => (ready = r));
  const reader = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (event.includes('event: ready')) ready();
          const m = /event: changed\ndata: (.*)/.exec(event);
          if (m) waiters.get((JSON.parse(m[1]!) as { id: string }).id)?.(process.hrtime.bigint());
        }
      }
    } catch {
      // aborted at the end
    }
  })();
  await readyP;
  const toEvent: number[] = [];
  const toBoard: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 1; i <= opts.pushes; i++) {
    const fields = body(i);
    // The id follows from the intake key, so the event can be awaited before the POST answers.
    const { requestId } = requestIdentity('external-ref', fields.externalRef);
    const pushed = new Promise<bigint>((resolve) => waiters.set(requestId, resolve));
    const t0 = process.hrtime.bigint();
    await api.call('POST', '/v1/requests', [201], fields);
    roundTrip.push(ms(t0));
    toEvent.push(Number((await pushed) - t0) / 1e6);
    waiters.delete(requestId);
    // What every open board does on the push: re-read itself (the default board, 200 most urgent).
    const { counts } = await api.call<{ counts: { total: number } }>('GET', '/ui/api/board', [200]);
    if (counts.total < 1) throw new Error('the board is empty');
    toBoard.push(ms(t0));
  }
  controller.abort();
  await reader;

  // Baseline: the bare PostgreSQL round trip the push rides on.
  const listener = new PgClient({ connectionString: stack.databaseUrl });
  const sender = new PgClient({ connectionString: stack.databaseUrl });
  await Promise.all([listener.connect(), sender.connect()]);
  const bare: number[] = [];
  try {
    await listener.query('LISTEN bench_bare');
    for (let i = 0; i < opts.pushes; i++) {
      const t0 = process.hrtime.bigint();
      const got = new Promise<void>((resolve) => listener.once('notification', () => resolve()));
      await sender.query(`select pg_notify('bench_bare', $1)`, [String(i)]);
      await got;
      bare.push(ms(t0));
    }
  } finally {
    await Promise.all([listener.end(), sender.end()]);
  }
  lines.push(`screen push, registration -> event stream: ${summary(toEvent)}   (${toEvent.length} registrations, POST start to "changed")`);
  lines.push(`  registration -> open board re-read:      ${summary(toBoard)}   (the event, then the board read it triggers)`);
  lines.push(`  baseline registration round trip:        ${summary(roundTrip)}`);
  lines.push(`  baseline bare NOTIFY -> LISTEN:          ${summary(bare)}`);
  return lines;
}
