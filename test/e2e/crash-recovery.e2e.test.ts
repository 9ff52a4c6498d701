// Crash tests on a stack of their own (so killing things does not disturb other suites), each
// crash lined up with the machinery it must survive:
//   1. kill -9 of the workers while a webhook is being delivered (the receiver holds the request
//      open): the outbox row's lease runs out and a new worker takes it over and sends it again,
//      with the same event id, which the receiver dedupes;
//   2. kill -9 of the workers while a breach is being handled: the outbox rows are committed but
//      the worker dies before Temporal hears of it, so the enqueue runs again and must give the
//      same rows, not new ones;
//   3. kill -9 of the Temporal dev server while alarms and deliveries are in flight.
// Every actual send is checked (the receiver's raw receipts), apart from what the receiver
// applied after deduping: each outbox row is sent no more often than it was claimed, to its own
// recipient, and applied exactly once.
import type { ChildProcess } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { freePort, freeTemporalPort, spawnService } from '../../infra/node-services';
import { startLocalStack, type LocalStack } from '../../infra/local-stack';
import { createKnex } from '../../db/knex';
import { NOTIFICATION_TIMING } from '../../notifications/types';
import { seedNotifyingSupport } from './fixtures/always-on-contract';
import { startTcpProxy, type TcpProxy } from './fixtures/tcp-proxy';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver';
import { uniqueKey } from './helpers';

const SECRET = 'crash-test-webhook-secret-0123456789';
const ADMIN_KEY = process.env.E2E_ADMIN_API_KEY ?? 'crash-test-admin-key-0123456789abcdefghijklmnopqrstuv';
// Individual contract on the 24x7 calendar: 20 s to first response, so breaches come quickly;
// warnings at 75% and 90% (15 s, 18 s) go to the duty agent, the breach to the lead and the duty agent.
const FIRST_RESPONSE_HOURS = 20 / 3600;
const ROWS_PER_REQUEST = 4;
/** The advisory lock the breach-enqueue hold waits on (trigger installed by test 2). */
const HOLD_LOCK = 4242;

let stack: LocalStack;
let receiver: WebhookReceiver;
let proxy: TcpProxy;
let db: ReturnType<typeof createKnex>;
const workers: ChildProcess[] = [];
const run = uniqueKey('crash');
const dataDir = path.resolve(__dirname, '..', '..', 'data', 'e2e-crash');

async function api(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.apiUrls[0]}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Workers reach Temporal through the proxy (so the test can hold back what they report). */
async function startWorkers(n: number): Promise<void> {
  const started = await Promise.all(Array.from({ length: n }, () => spawnService('worker', { ...stack.serviceEnv, TEMPORAL_ADDRESS: proxy.address })));
  workers.push(...started);
}

async function killWorkers(): Promise<void> {
  for (const worker of workers.splice(0)) {
    const exited = new Promise((r) => worker.once('exit', r));
    worker.kill('SIGKILL');
    await exited;
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  await rm(dataDir, { recursive: true, force: true });
  // A database of its own on the suite's PostgreSQL server.
  const database = `crash_${Date.now()}`;
  const admin = createKnex(process.env.E2E_DATABASE_URL!, { max: 1 });
  await admin.raw(`create database ${database}`);
  await admin.destroy();
  const url = new URL(process.env.E2E_DATABASE_URL!);
  url.pathname = `/${database}`;
  stack = await startLocalStack({
    dataDir,
    databaseUrl: url.toString(),
    namespace: 'default',
    taskQueue: 'crash-support-requests',
    temporalPort: await freeTemporalPort(),
    apiPorts: [await freePort()],
    workers: 0,
    prebundle: true,
    extraEnv: { LOG_LEVEL: 'warn', WEBHOOK_SIGNING_SECRET: SECRET, WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true', ADMIN_API_KEY: ADMIN_KEY },
  });
  const [host, port] = stack.temporalAddress.split(':');
  proxy = await startTcpProxy({ host: host!, port: Number(port) });
  await startWorkers(2);
  db = createKnex(stack.databaseUrl, { max: 2 });
  await seedNotifyingSupport(db, receiver, (url, body) => api('POST', url, body), { id: 'C-fast', firstResponseHours: FIRST_RESPONSE_HOURS });
}, 180_000);

afterAll(async () => {
  await killWorkers();
  await db?.destroy();
  await stack?.stop();
  await proxy?.close();
  await receiver?.close();
});

async function register(count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await api('POST', '/v1/requests', {
      subject: `${label} ${i}`,
      customerId: 'acme',
      productId: 'kompas',
      channel: 'supplier-email',
      category: 'defect-report',
      externalRef: `${run}-${label}-${i}`,
    });
    expect(res.status).toBe(201);
    expect(res.body.level).toBe('individual');
    ids.push(res.body.id);
  }
  return ids;
}

interface OutboxRow {
  id: number;
  idempotency_key: string;
  request_id: string;
  kind: string;
  recipient_id: string;
  status: string;
  attempts: number;
  lease_until: Date | null;
}

const outbox = (ids: string[]): Promise<OutboxRow[]> => db('notification_outbox').whereIn('request_id', ids).orderBy('id');

/** Waits until every request has breached its first response and all its notifications are delivered. */
async function settled(ids: string[], timeoutMs = 150_000): Promise<void> {
  await until(
    `${ids.length} requests to breach and deliver their ${ids.length * ROWS_PER_REQUEST} notifications`,
    async () => {
      const breached = await db('request_events').whereIn('request_id', ids).andWhere({ type: 'sla_breached' }).count({ n: '*' }).first();
      const rows = await outbox(ids);
      return Number(breached?.n) >= ids.length && rows.length >= ids.length * ROWS_PER_REQUEST && rows.every((r) => r.status === 'delivered');
    },
    timeoutMs,
  );
}

const receiptsOf = (key: string) => receiver.receipts.filter((r) => r.eventId === key);

/**
 * Per request: one breach and two warnings in the timeline, and exactly the four outbox rows
 * they call for (two warnings to the duty agent, the breach to the lead and the duty agent);
 * every row sent only to its recipient, no more often than it was claimed, and applied once.
 */
async function expectExactlyOnce(ids: string[]): Promise<OutboxRow[]> {
  const rows = await outbox(ids);
  for (const id of ids) {
    const types = (await db('request_events').where({ request_id: id })).map((e: { type: string }) => e.type);
    expect(types.filter((t) => t === 'sla_breached')).toHaveLength(1);
    expect(types.filter((t) => t === 'sla_warning')).toHaveLength(2);
    const mine = rows.filter((r) => r.request_id === id);
    expect(mine.map((r) => `${r.kind}:${r.recipient_id}`).sort()).toEqual(['breach:duty', 'breach:lead', 'warning:duty', 'warning:duty']);
  }
  for (const row of rows) {
    const sends = receiptsOf(row.idempotency_key);
    expect({ key: row.idempotency_key, status: row.status }).toEqual({ key: row.idempotency_key, status: 'delivered' });
    expect(sends.length).toBeGreaterThanOrEqual(1);
    expect(sends.length).toBeLessThanOrEqual(row.attempts);
    expect(sends.every((s) => s.verified && s.path === `/${row.recipient_id}`)).toBe(true);
    expect(receiver.applied.filter((eventId) => eventId === row.idempotency_key)).toHaveLength(1);
  }
  return rows;
}

test('kill -9 of the workers while a webhook is being delivered: the lease runs out, a new worker takes the row over and sends it once more', async () => {
  receiver.hangNext(1);
  const ids = await register(1, 'mid-send');
  // The first warning's webhook reaches the receiver, which holds it open.
  const held = await until('the first webhook to arrive', async () => receiver.receipts[0]);
  const before = await until('the held row', async () => (await outbox(ids)).find((r) => r.idempotency_key === held.eventId));
  expect(before).toMatchObject({ status: 'sending', attempts: 1 });
  expect(before.lease_until!.getTime()).toBeGreaterThan(Date.now());
  await killWorkers();
  await startWorkers(2);

  await settled(ids);
  const rows = await expectExactlyOnce(ids);
  const taken = rows.find((r) => r.id === before.id)!;
  // Claimed twice: by the killed worker and, once its lease had run out, by a new one.
  expect(taken.attempts).toBe(2);
  const sends = receiptsOf(taken.idempotency_key);
  expect(sends.map((s) => s.status)).toEqual([0, 204]);
  // The lease is enforced in PostgreSQL time; the receiver clock is this machine's too.
  expect(sends[1]!.atMs).toBeGreaterThanOrEqual(before.lease_until!.getTime() - 1_000);
  // Nothing else was interrupted: every other row was sent exactly once.
  for (const row of rows.filter((r) => r.id !== before.id)) {
    expect(receiptsOf(row.idempotency_key)).toHaveLength(1);
    expect(row.attempts).toBe(1);
  }
}, NOTIFICATION_TIMING.deliverStartToCloseMs + 150_000);

test('kill -9 of the workers while a breach is being handled: the enqueue runs again and yields the same outbox rows', async () => {
  // Breach rows wait inside the worker's enqueue transaction until the test lets them through.
  await db.raw(`create or replace function crash_test_hold() returns trigger language plpgsql as $$
    begin if new.kind = 'breach' then perform pg_advisory_xact_lock_shared(${HOLD_LOCK}); end if; return new; end $$`);
  await db.raw('drop trigger if exists crash_test_hold on notification_outbox');
  await db.raw('create trigger crash_test_hold before insert on notification_outbox for each row execute function crash_test_hold()');
  const holder = new PgClient({ connectionString: stack.databaseUrl });
  await holder.connect();
  try {
    await holder.query('select pg_advisory_lock($1)', [HOLD_LOCK]);
    const ids = await register(1, 'mid-breach');
    // The warnings (not held) are delivered first, so no send is in flight when the workers die.
    await until('the warnings to be delivered', async () => (await outbox(ids)).filter((r) => r.kind === 'warning' && r.status === 'delivered').length === 2);
    await until('the breach enqueue to wait', async () => {
      const waiting = await db.raw(`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = ? and not granted`, [HOLD_LOCK]);
      return waiting.rows[0].n > 0;
    });
    // Hold back every report to Temporal, let the enqueue commit, then kill the workers: the
    // rows are in PostgreSQL but Temporal never learns the activity completed.
    proxy.freeze();
    await holder.query('select pg_advisory_unlock($1)', [HOLD_LOCK]);
    await until('the breach rows to commit', async () => (await outbox(ids)).filter((r) => r.kind === 'breach').length === 2);
    await killWorkers();
    await db.raw('drop trigger crash_test_hold on notification_outbox');
    proxy.thaw();
    await startWorkers(2);

    // The enqueue's start-to-close timeout (30 s) runs out and it is retried on a new worker.
    await settled(ids);
    const rows = await expectExactlyOnce(ids);
    for (const row of rows.filter((r) => r.kind === 'breach')) {
      expect(receiptsOf(row.idempotency_key)).toHaveLength(1);
      expect(row.attempts).toBe(1);
    }
  } finally {
    await holder.end();
    await db.raw('drop trigger if exists crash_test_hold on notification_outbox');
  }
}, 240_000);

test('kill -9 of the Temporal dev server while alarms and deliveries are in flight loses no request, timer or notification', async () => {
  const ids = await register(3, 'temporal-kill');
  // Kill it once the first alarm has fired and its notification is on its way.
  await until('a first notification', async () => (await outbox(ids)).length > 0);
  await stack.stopTemporal!('SIGKILL');
  await stack.startTemporal!();
  await settled(ids);
  await expectExactlyOnce(ids);
  // The requests registered before the crash are still there, with their history.
  const res = await api('GET', `/v1/requests/${ids[0]}`);
  expect(res.status).toBe(200);
  expect(res.body.clocks[0].status).toBe('breached');
}, 240_000);

test('a calendar re-plan survives kill -9 of every worker and a restart of the Temporal server: every open request moves once', async () => {
  const calendarId = `replan-${run}`.toLowerCase();
  const everyDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
  expect((await api('PUT', `/v1/calendars/${calendarId}`, { timezone: 'UTC', week: everyDay })).status).toBe(201);
  expect((await api('POST', '/v1/customers', { id: 'replan-co', name: 'Re-plan Co' })).status).toBe(201);
  const contract = await api('POST', '/v1/contracts', {
    id: 'C-replan',
    customerId: 'replan-co',
    counterparty: { kind: 'dealer', name: 'Re-plan Dealer' },
    from: '2020-01-01',
    to: '2099-12-31',
    sla: { calendarId, targets: { kind: 'single', firstResponse: { workingHours: 100 }, resolution: { workingHours: 400 } }, channels: ['messenger'], services: ['customisation'] },
  });
  expect(contract.status).toBe(201);
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) {
    const res = await api('POST', '/v1/requests', { subject: `re-plan ${i}`, customerId: 'replan-co', channel: 'messenger', category: 'customisation', externalRef: `${run}-replan-${i}` });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const added = await fetch(`${stack.apiUrls[0]}/v1/calendars/${calendarId}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}`, prefer: 'respond-async' },
    body: JSON.stringify({ effectiveFrom: new Date().toISOString(), author: 'decree', addExceptions: { holidays: [tomorrow] } }),
  });
  expect(added.status).toBe(202);
  const { version, replan } = (await added.json()) as { version: { id: string }; replan: { progress: string } };

  // Everything that runs the re-plan dies at once; the Temporal server restarts meanwhile.
  for (const worker of stack.workers.splice(0)) {
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
  }
  await stack.stopTemporal!();
  await stack.startTemporal!();
  await Promise.all([stack.startWorker(), stack.startWorker()]);

  let progress = await api('GET', replan.progress);
  const deadline = Date.now() + 120_000;
  while (progress.body.replan?.status !== 'finished' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    progress = await api('GET', replan.progress);
  }
  expect(progress.body).toMatchObject({ openRequests: 20, onVersion: 20, pending: 0, replan: { status: 'finished', total: 20, done: 20, failed: 0 } });
  const rows = await db('support_requests').whereIn('id', ids).pluck('calendar_version_id');
  expect(new Set(rows)).toEqual(new Set([version.id]));
  // Each request re-planned exactly once, however often its Update was resent.
  const events = await db('request_events').whereIn('request_id', ids).where({ type: 'deadlines_replanned' }).select('request_id');
  expect(events.map((e) => e.request_id).sort()).toEqual([...ids].sort());
}, 240_000);
