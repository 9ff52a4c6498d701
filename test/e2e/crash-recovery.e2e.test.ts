// Crash tests on a stack of their own (so killing things does not disturb other suites):
// kill -9 every worker while requests are in flight, and stop and restart the Temporal dev
// server (SQLite file). In both, every request reaches its breach exactly once and every
// notification is delivered, none lost and none applied twice.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../infra/node-services';
import { startLocalStack, type LocalStack } from '../../infra/local-stack';
import { createKnex } from '../../db/knex';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver';
import { uniqueKey } from './helpers';

const SECRET = 'crash-test-webhook-secret-0123456789';
const ADMIN_KEY = process.env.E2E_ADMIN_API_KEY ?? 'crash-test-admin-key-0123456789abcdefghijklmnopqrstuv';
// Individual contract on the 24x7 calendar: 20 s to first response, so breaches come quickly.
const FIRST_RESPONSE_HOURS = 20 / 3600;

let stack: LocalStack;
let receiver: WebhookReceiver;
let db: ReturnType<typeof createKnex>;
const run = uniqueKey('crash');

async function api(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${stack.apiUrls[0]}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver(SECRET);
  const dataDir = path.resolve(__dirname, '..', '..', 'data', 'e2e-crash');
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
    temporalPort: await freePort(),
    apiPorts: [await freePort()],
    workers: 2,
    prebundle: true,
    extraEnv: { LOG_LEVEL: 'warn', WEBHOOK_SIGNING_SECRET: SECRET, WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true', ADMIN_API_KEY: ADMIN_KEY },
  });
  db = createKnex(stack.databaseUrl, { max: 2 });
  await db('notification_recipients').insert([
    { id: 'lead', name: 'Team lead', roles: ['team-lead'], webhook_url: receiver.url('/lead') },
    { id: 'duty', name: 'Duty agent', roles: ['duty-agent'], webhook_url: receiver.url('/duty') },
  ]);
  const facts: Array<[string, unknown]> = [
    ['/v1/products', { id: 'kompas', name: 'KOMPAS-3D', kind: 'commercial' }],
    ['/v1/customers', { id: 'acme', name: 'ACME' }],
    [
      '/v1/contracts',
      {
        id: 'C-fast',
        customerId: 'acme',
        counterparty: { kind: 'central-service', name: 'Central support' },
        from: '2020-01-01',
        to: '2099-12-31',
        sla: {
          calendarId: 'always-on',
          targets: { kind: 'single', firstResponse: { workingHours: FIRST_RESPONSE_HOURS }, resolution: { workingHours: 1 } },
          channels: ['supplier-email'],
          services: ['defect-report'],
        },
      },
    ],
  ];
  for (const [url, body] of facts) expect((await api('POST', url, body)).status).toBe(201);
}, 180_000);

afterAll(async () => {
  await db?.destroy();
  await stack?.stop();
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

/** Waits until every request has breached its first response and its notifications are out. */
async function settled(ids: string[], timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const breached = await db('request_events').whereIn('request_id', ids).andWhere({ type: 'sla_breached' }).count({ n: '*' }).first();
    const open = await db('notification_outbox').whereIn('request_id', ids).whereNot({ status: 'delivered' }).count({ n: '*' }).first();
    const rows = await db('notification_outbox').whereIn('request_id', ids).count({ n: '*' }).first();
    // Per request: 2 warnings (to the duty agent) + 1 breach (to the team lead and the duty agent).
    if (Number(breached?.n) === ids.length && Number(open?.n) === 0 && Number(rows?.n) === ids.length * 4) return;
    if (Date.now() > deadline) throw new Error(`not settled: ${breached?.n} breaches, ${rows?.n} outbox rows, ${open?.n} undelivered`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function expectExactlyOnce(ids: string[]): Promise<void> {
  for (const id of ids) {
    const events = await db('request_events').where({ request_id: id }).orderBy('seq');
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'sla_breached')).toHaveLength(1);
    expect(types.filter((t) => t === 'sla_warning')).toHaveLength(2);
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    // Every outbox row reached the receiver, and the receiver applied each event id once.
    const rows = await db('notification_outbox').where({ request_id: id });
    for (const row of rows) {
      expect(receiver.applied.filter((eventId) => eventId === row.idempotency_key)).toHaveLength(1);
    }
  }
}

test('kill -9 of every worker while requests are in flight loses no request, timer or notification', async () => {
  const ids = await register(6, 'kill');
  for (const worker of stack.workers.splice(0)) {
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
  }
  // Nobody works for a while: the timers keep their instants on the server.
  await new Promise((r) => setTimeout(r, 5_000));
  await Promise.all([stack.startWorker(), stack.startWorker()]);
  await settled(ids);
  await expectExactlyOnce(ids);
});

test('stopping and restarting the Temporal dev server loses no request, timer or notification', async () => {
  const ids = await register(4, 'restart');
  await stack.stopTemporal!();
  await new Promise((r) => setTimeout(r, 3_000));
  await stack.startTemporal!();
  await settled(ids);
  await expectExactlyOnce(ids);
  // The requests registered before the restart are still there, with their history.
  const res = await api('GET', `/v1/requests/${ids[0]}`);
  expect(res.status).toBe(200);
  expect(res.body.clocks[0].status).toBe('breached');
});

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
