// Periodic contract reports over HTTP against the real stack (issue 11, item 7): the reporting
// terms create, update and remove the contract's Temporal Schedule; a triggered run stores the
// report of the last complete month, fetchable as JSON and CSV, and e-mails it with the CSV attached.
import { ScheduleNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { http, testDb, testTemporalClient, uniqueKey } from './helpers';

const run = uniqueKey('crep');
const id = (label: string) => `${label}-${run}`;
const CUSTOMER = id('acme');
const CONTRACT = id('C');
const REQUEST = id('SR-REP');
const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
// The 15th of last month, noon Moscow: inside the last complete month whatever today is. The
// month is Moscow's (the contract calendar's zone), which runs 3 hours ahead of UTC.
const moscowNow = new Date(Date.now() + 3 * 3_600_000);
const lastMonth15 = new Date(Date.UTC(moscowNow.getUTCFullYear(), moscowNow.getUTCMonth() - 1, 15, 9));
const H = 3_600_000;

let db: Knex;
let client: Client;
let closeClient: () => Promise<void>;

async function ok(method: string, path: string, body?: unknown, expected = [201]): Promise<any> {
  const res = await http(method, path, { body });
  if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits on a condition (a run of the schedule finishing its report), polling. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  db = testDb();
  ({ client, close: closeClient } = await testTemporalClient());
  await ok('POST', '/v1/customers', { id: CUSTOMER, name: 'ACME' });
  await ok('POST', '/v1/contracts', {
    id: CONTRACT,
    customerId: CUSTOMER,
    counterparty: { kind: 'dealer', name: 'CAD Dealer' },
    from: day(-400),
    to: day(300),
    sla: { calendarId: 'always-on', targets: { kind: 'single', firstResponse: { workingHours: 2 }, resolution: { workingHours: 16 } }, channels: ['messenger'], services: ['periodic-reports', 'customisation'] },
  });
  // A request of last month under the contract, as the workflow projects it: first response breached.
  const at = lastMonth15.getTime();
  await db('support_requests').insert({
    id: REQUEST,
    request_key: REQUEST,
    workflow_id: `support-request-${REQUEST}`,
    customer_id: CUSTOMER,
    subject: 'Export hangs',
    reporter: 'ivan@acme.example',
    state: 'resolved',
    level: 'individual',
    assignee: 'agent-7',
    policy: JSON.stringify({ level: 'individual', contractId: CONTRACT, reporter: { as: 'ivan@acme.example', representativeId: 'ivan', name: 'Ivan Petrov' } }),
    clocks: JSON.stringify([
      { kind: 'first_response', targetMs: 2 * H, runningSinceMs: null, usedBeforeMs: 3 * H, dueAtMs: at + 2 * H, warnings: [], metAtMs: at + 3 * H, breachedAtMs: at + 2 * H, escalations: [], pauses: [], stoppedAtMs: at + 3 * H, cancelled: false, reopenCount: 0 },
      { kind: 'resolution', targetMs: 16 * H, runningSinceMs: null, usedBeforeMs: 5 * H, dueAtMs: at + 16 * H, warnings: [], metAtMs: at + 5 * H, breachedAtMs: null, escalations: [], pauses: [], stoppedAtMs: at + 5 * H, cancelled: false, reopenCount: 0 },
    ]),
    registered_at: lastMonth15,
    revision: 1,
  });
});
afterAll(async () => {
  await client.schedule.getHandle(`contract-report-${CONTRACT}`).delete().catch(() => undefined);
  await db('support_requests').where({ id: REQUEST }).delete();
  await closeClient();
  await db.destroy();
});

describe('periodic contract reports', () => {
  test('recipients are checked: an http webhook is 422 naming it, an unknown contract 404', async () => {
    const bad = await http('PUT', `/v1/contracts/${CONTRACT}/reporting`, { body: { period: 'month', recipients: [{ name: 'Hooks', webhookUrl: 'http://hooks.example/r' }, { name: 'Nobody' }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual([
      expect.objectContaining({ field: 'recipients.0.webhookUrl', rule: 'https_required' }),
      expect.objectContaining({ field: 'recipients.1.email', rule: 'channel_required' }),
    ]);
    expect((await http('PUT', `/v1/contracts/${id('none')}/reporting`, { body: { period: 'month', recipients: [{ name: 'A', email: 'a@example.test' }] } })).status).toBe(404);
    expect((await http('GET', `/v1/contracts/${CONTRACT}/reporting`)).status).toBe(404);
  });

  test('the schedule is created, triggered, updated and removed with the reporting terms; the report is stored and fetchable', async () => {
    const set = await http('PUT', `/v1/contracts/${CONTRACT}/reporting`, { body: { period: 'month', recipients: [{ name: 'ACME head of IT', email: 'it-head@acme.example' }] } });
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({ contractId: CONTRACT, period: 'month', scheduleId: `contract-report-${CONTRACT}`, timezone: 'Europe/Moscow', updatedBy: { role: 'admin' } });
    const handle = client.schedule.getHandle(`contract-report-${CONTRACT}`);
    const described = await handle.describe();
    expect(described.spec.timezone).toBe('Europe/Moscow');
    expect(described.spec.calendars?.[0]).toMatchObject({ dayOfMonth: [{ start: 1, end: 1, step: 1 }], hour: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 5, end: 5, step: 1 }] });
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'contractReport' });

    await handle.trigger();
    const list = await until('the triggered report', async () => {
      const res = await http('GET', `/v1/contracts/${CONTRACT}/reports`);
      return res.body.items?.length > 0 ? res.body.items : undefined;
    });
    const from = `${lastMonth15.toISOString().slice(0, 7)}-01`;
    expect(list).toEqual([expect.objectContaining({ contractId: CONTRACT, period: 'month', from, requestCount: 1 })]);

    const report = await http('GET', `/v1/contracts/${CONTRACT}/reports/${list[0].id}`);
    expect(report.status).toBe(200);
    expect(report.body.report.byReporter).toEqual([
      {
        reporter: 'Ivan Petrov',
        requests: [
          expect.objectContaining({
            id: REQUEST,
            clocks: [
              { kind: 'first_response', targetHours: 2, usedHours: 3, outcome: 'breached', breachedAtMs: lastMonth15.getTime() + 2 * H },
              { kind: 'resolution', targetHours: 16, usedHours: 5, outcome: 'within_target', breachedAtMs: null },
            ],
          }),
        ],
      },
    ]);
    expect(report.body.report.summary).toMatchObject({ requests: 1, firstResponse: { withinTargetPct: 0 }, resolution: { withinTargetPct: 100 }, breaches: { total: 1 } });
    const csv = await http('GET', `/v1/contracts/${CONTRACT}/reports/${list[0].id}?format=csv`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(String(csv.body)).toContain(`Ivan Petrov,${REQUEST},Export hangs,`);

    // Its e-mail went to the outbox with the CSV attached (the e2e stack has no SMTP: it waits there).
    const mail = await until('the report e-mail', async () => {
      const rows = await db('notification_outbox').where({ intent_key: `contract-report:${CONTRACT}:month:${from}` });
      return rows.length > 0 ? rows : undefined;
    });
    expect(mail.map((r) => [r.channel, r.destination, r.attachment?.filename])).toEqual([['email', 'it-head@acme.example', expect.stringMatching(new RegExp(`^contract-${CONTRACT}-${from}-.*\\.csv$`))]]);
    expect(mail[0].attachment.content).toContain(`Ivan Petrov,${REQUEST}`);

    // Changed to quarterly: the same schedule, now on the first day of each quarter.
    const changed = await http('PUT', `/v1/contracts/${CONTRACT}/reporting`, { body: { period: 'quarter', recipients: [{ name: 'ACME head of IT', email: 'it-head@acme.example' }] } });
    expect(changed.status).toBe(200);
    expect((await handle.describe()).spec.calendars?.[0]?.month).toEqual([
      { start: 'JANUARY', end: 'JANUARY', step: 1 },
      { start: 'APRIL', end: 'APRIL', step: 1 },
      { start: 'JULY', end: 'JULY', step: 1 },
      { start: 'OCTOBER', end: 'OCTOBER', step: 1 },
    ]);

    // Removed: the schedule is gone, the reports stay.
    expect((await http('DELETE', `/v1/contracts/${CONTRACT}/reporting`)).status).toBe(204);
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
    expect((await http('GET', `/v1/contracts/${CONTRACT}/reporting`)).status).toBe(404);
    expect((await http('GET', `/v1/contracts/${CONTRACT}/reports`)).body.items).toHaveLength(1);
    expect((await http('DELETE', `/v1/contracts/${CONTRACT}/reporting`)).status).toBe(404);
  });
});
