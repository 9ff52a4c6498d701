// Operations over HTTP: the request list and its filters and pages, a request's merged history
// (PostgreSQL timeline + Temporal event history, across continue-as-new), SLA reports in JSON
// and CSV, and /metrics. Everything here is unique to this run (ids carry `run`), so other
// suites writing requests at the same time never change the counts asserted.
import type { Knex } from 'knex';
import { findRequest } from '../../db/queries/requests';
import { requestIdentity } from '../../services/registration/identity';
import type { SlaClock } from '../../domain/request/sla-clock';
import { createKey, http, testDb, testTemporalClient, uniqueKey } from './helpers';

let db: Knex;
const run = uniqueKey('ops');
const ids = {
  product: `prod-${run}`,
  office: `office-${run}`,
  warranty: `warranty-${run}`,
  basic: `basic-${run}`,
  /** Customer of the crafted fixture rows (no policy facts needed: nothing is admitted for it). */
  fixture: `fixture-${run}`,
  /** Customer of the request started directly with a low continue-as-new limit. */
  chain: `chain-${run}`,
};
const agent1 = `agent1-${run}`;
const agent2 = `agent2-${run}`;
const group = `cad-${run}`;
const today = new Date().toISOString().slice(0, 10);
const H = 3_600_000;

/** The requests this suite registers, by name; set in beforeAll. */
const r: Record<'w1' | 'w2' | 'w3' | 'w4' | 'i1' | 'b1' | 'b2', string> = { w1: '', w2: '', w3: '', w4: '', i1: '', b1: '', b2: '' };
let startedAt: string;
let endedAt: string;

const act = async (id: string, action: string, body: unknown) => {
  const res = await http('POST', `/v1/requests/${id}/${action}`, { body });
  expect(res.status).toBe(200);
  return res.body;
};
const register = async (customerId: string, extra: Record<string, unknown> = {}) => {
  const res = await http('POST', '/v1/requests', {
    body: { subject: `Ops ${run}`, customerId, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('ops-crm'), ...extra },
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const reply = { visibility: 'public', author: 'agent', body: 'On it' };

beforeAll(async () => {
  db = testDb();
  startedAt = new Date(Date.now() - 1000).toISOString();
  for (const res of await Promise.all([
    http('POST', '/v1/products', { body: { id: ids.product, name: 'Ops product', kind: 'commercial' } }),
    http('POST', '/v1/offices', { body: { id: ids.office, name: 'Ops office', operator: 'supplier', calendarId: 'office-moscow' } }),
  ])) expect(res.status).toBe(201);
  for (const [id, purchasedOn] of [
    [ids.warranty, today],
    [ids.basic, '2019-03-01'],
  ] as const) {
    expect((await http('POST', '/v1/customers', { body: { id, name: id, officeId: ids.office } })).status).toBe(201);
    expect((await http('POST', `/v1/customers/${id}/licenses`, { body: { id: `L-${id}`, productId: ids.product, purchasedOn } })).status).toBe(201);
  }

  [r.w1, r.w2, r.w3, r.w4, r.b1, r.b2] = await Promise.all([
    register(ids.warranty),
    register(ids.warranty),
    register(ids.warranty),
    register(ids.warranty),
    register(ids.basic),
    register(ids.basic),
  ]);
  r.i1 = await register(ids.warranty, { channel: 'office-phone', category: 'promotions-events', productId: undefined });

  await Promise.all([
    (async () => {
      await act(r.w1, 'responses', reply);
      await act(r.w1, 'assignment', { author: 'lead', agent: agent1, group });
      await act(r.w1, 'resolve', { author: agent1, summary: 'fixed' });
    })(),
    (async () => {
      await act(r.w2, 'responses', reply);
      await act(r.w2, 'resolve', { author: 'agent', summary: 'fixed?' });
      await act(r.w2, 'reopen', { author: 'customer', note: 'not fixed' });
    })(),
    act(r.w3, 'cancel', { author: 'agent', reason: 'duplicate' }),
    (async () => {
      await act(r.i1, 'responses', reply);
      await act(r.i1, 'resolve', { author: 'office', summary: 'sent the price list' });
    })(),
    (async () => {
      await act(r.b2, 'responses', reply);
      await act(r.b2, 'assignment', { author: 'lead', agent: agent2 });
    })(),
  ]);
  endedAt = new Date(Date.now() + 1000).toISOString();
}, 120_000);

afterAll(async () => {
  await db.destroy();
});

// --- fixture rows for the metrics gauges (the list filters are tested on product-written rows) ---

/** FIXTURE DATA, not written by a workflow: support_requests rows with breached / at-risk clocks. */
const fixture = {
  breached: requestIdentity('e2e-fixture', `${run}-breached`),
  atRisk: requestIdentity('e2e-fixture', `${run}-at-risk`),
};
const fixtureClock = (kind: SlaClock['kind'], o: Partial<SlaClock>): SlaClock => ({
  kind,
  targetMs: 8 * H,
  runningSinceMs: null,
  usedBeforeMs: 0,
  dueAtMs: null,
  warnings: [],
  metAtMs: null,
  breachedAtMs: null,
  escalations: [],
  pauses: [],
  stoppedAtMs: null,
  cancelled: false,
  reopenCount: 0,
  ...o,
});

async function insertFixtures(): Promise<{ atRiskDueMs: number }> {
  const now = Date.now();
  const base = (identity: { requestId: string; requestKey: string; workflowId: string }) => ({
    id: identity.requestId,
    request_key: identity.requestKey,
    workflow_id: identity.workflowId,
    customer_id: ids.fixture,
    subject: 'FIXTURE: crafted by operations.e2e.test.ts',
    level: 'warranty',
    policy: JSON.stringify({ level: 'warranty', officeId: null, note: 'e2e fixture' }),
    calendar_id: 'supplier',
    calendar_version_id: 'fixture',
    registered_at: new Date(now - 60_000),
    revision: 1,
  });
  // First response answered 9 h into an 8 h target; resolution breached while waiting on the customer.
  const breachedClocks = [
    fixtureClock('first_response', { usedBeforeMs: 9 * H, dueAtMs: now - 50 * H, breachedAtMs: now - 50 * H, stoppedAtMs: now - 49 * H }),
    fixtureClock('resolution', { targetMs: 40 * H, usedBeforeMs: 41 * H, dueAtMs: now - 2 * H, breachedAtMs: now - 2 * H, pauses: [{ fromMs: now - 3 * H, toMs: null, reason: 'waiting_on_customer' }] }),
  ];
  const atRiskDueMs = now + 1 * H;
  const atRiskClocks = [fixtureClock('first_response', { runningSinceMs: now - 60_000, dueAtMs: atRiskDueMs, warnings: [{ fraction: 0.75, atMs: now - 1000, firedAtMs: now - 1000 }] })];
  await db('support_requests').insert([
    { ...base(fixture.breached), state: 'waiting_on_customer', clocks: JSON.stringify(breachedClocks), breached: true, first_response_breached: true, resolution_breached: true, at_risk: false },
    { ...base(fixture.atRisk), state: 'registered', clocks: JSON.stringify(atRiskClocks), at_risk: true, next_due_at: new Date(atRiskDueMs) },
  ]);
  return { atRiskDueMs };
}
const deleteFixtures = () => db('support_requests').whereIn('id', [fixture.breached.requestId, fixture.atRisk.requestId]).delete();

// --- the list -----------------------------------------------------------------------------------

const list = async (query: string, opts: { key?: string } = {}) => {
  const res = await http('GET', `/v1/requests?${query}`, opts);
  expect(res.status).toBe(200);
  return res.body as { items: any[]; nextCursor: string | null };
};
const idsOf = (page: { items: Array<{ id: string }> }) => page.items.map((i) => i.id).sort();
const sorted = (...xs: string[]) => [...xs].sort();

describe('GET /v1/requests', () => {
  test('items are compact, newest first, with instants in the calendar zone', async () => {
    const page = await list(`customerId=${ids.warranty}`);
    expect(idsOf(page)).toEqual(sorted(r.w1, r.w2, r.w3, r.w4, r.i1));
    const registered = page.items.map((i) => Date.parse(i.registeredAt));
    expect([...registered].sort((a, b) => b - a)).toEqual(registered);
    const w2 = page.items.find((i) => i.id === r.w2);
    expect(w2).toEqual({
      id: r.w2,
      state: 'in_progress',
      level: 'warranty',
      customerId: ids.warranty,
      subject: `Ops ${run}`,
      priority: expect.any(String),
      assignee: { agent: null, group: null },
      registeredAt: expect.stringMatching(/\+03:00$/),
      nextDueAt: expect.stringMatching(/\+03:00$/),
      breached: false,
      atRisk: false,
      allowedActions: ['reply', 'note', 'wait_on_customer', 'wait_on_third_party', 'customer_reply', 'resolve', 'cancel', 'assign', 'set_priority'],
      links: { self: `/v1/requests/${r.w2}` },
    });
    expect(page.nextCursor).toBeNull();
  });

  test('each filter narrows the list', async () => {
    const w = `customerId=${ids.warranty}`;
    expect(idsOf(await list(`${w}&state=registered`))).toEqual([r.w4]);
    expect(idsOf(await list(`${w}&state=registered,in_progress`))).toEqual(sorted(r.w2, r.w4));
    expect(idsOf(await list(`${w}&state=cancelled`))).toEqual([r.w3]);
    expect(idsOf(await list(`${w}&level=initial`))).toEqual([r.i1]);
    expect(idsOf(await list(`${w}&level=warranty,basic`))).toEqual(sorted(r.w1, r.w2, r.w3, r.w4));
    expect(idsOf(await list(`customerId=${ids.basic}`))).toEqual(sorted(r.b1, r.b2));
    expect(idsOf(await list(`assignee=${agent1}`))).toEqual([r.w1]);
    expect(idsOf(await list(`assignee=${agent2}`))).toEqual([r.b2]);
    expect(idsOf(await list(`group=${group}`))).toEqual([r.w1]);
    // Only running clocks have a deadline: the reopened and the untouched warranty requests.
    expect(idsOf(await list(`${w}&dueBefore=2100-01-01T00:00:00Z`))).toEqual(sorted(r.w2, r.w4));
    expect(idsOf(await list(`${w}&registeredTo=${encodeURIComponent(startedAt)}`))).toEqual([]);
    expect(idsOf(await list(`${w}&registeredFrom=${encodeURIComponent(startedAt)}&registeredTo=${encodeURIComponent(endedAt)}`))).toHaveLength(5);
    expect(idsOf(await list(`${w}&breached=false`))).toHaveLength(5);
    expect(idsOf(await list(`${w}&breached=true`))).toEqual([]);
  });

  test('breached, atRisk and dueBefore on requests the product drove there (tiny targets, 24x7 calendar)', async () => {
    // An individual contract on the always-on calendar: critical requests breach their first
    // response after 5 s; normal ones warn at 75% (45 s) of 60 s and breach at 60 s.
    const customerId = `fast-${run}`;
    expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Fast SLA customer' } })).status).toBe(201);
    const target = (seconds: number) => ({ firstResponse: { workingHours: seconds / 3600 }, resolution: { workingHours: 100 } });
    const contract = await http('POST', '/v1/contracts', {
      body: {
        id: `C-fast-${run}`,
        customerId,
        counterparty: { kind: 'central-service', name: 'Central support' },
        from: '2020-01-01',
        to: '2099-12-31',
        sla: {
          calendarId: 'always-on',
          targets: { kind: 'per-priority', byPriority: { critical: target(5), high: target(60), normal: target(60), low: target(60) } },
          channels: ['supplier-email'],
          services: ['defect-report'],
        },
      },
    });
    expect(contract.status).toBe(201);
    const [late, risky] = await Promise.all([register(customerId, { priority: 'critical' }), register(customerId, { priority: 'normal' })]);
    const row = (id: string) => db('support_requests').where({ id }).first();
    for (const deadline = Date.now() + 120_000; !((await row(late))?.breached && (await row(risky))?.at_risk); ) {
      if (Date.now() > deadline) throw new Error('the requests did not reach breach / at risk');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const f = `customerId=${customerId}`;
    expect(idsOf(await list(`${f}&breached=true`))).toEqual([late]);
    expect(idsOf(await list(`${f}&breached=false`))).toEqual([risky]);
    expect(idsOf(await list(`${f}&atRisk=true`))).toEqual([risky]);
    expect(idsOf(await list(`${f}&atRisk=false`))).toEqual([late]);
    // The running, unbreached first response is the only deadline left: the risky one's.
    const riskyRow = await row(risky);
    expect(riskyRow).toMatchObject({ breached: false, at_risk: true });
    const due: Date = riskyRow.next_due_at;
    expect(idsOf(await list(`${f}&dueBefore=${encodeURIComponent(new Date(due.getTime() + 1000).toISOString())}`))).toContain(risky);
    expect(idsOf(await list(`${f}&dueBefore=${encodeURIComponent(due.toISOString())}`))).not.toContain(risky);
    const items = (await list(f)).items;
    expect(items.find((i: { id: string }) => i.id === late)).toMatchObject({ breached: true, atRisk: false });
    expect(items.find((i: { id: string }) => i.id === risky)).toMatchObject({ breached: false, atRisk: true });
  }, 180_000);

  test('cursor pages neither skip nor repeat, and end with a null cursor', async () => {
    const all = await list(`customerId=${ids.warranty}&limit=200`);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: any[]; nextCursor: string | null } = await list(`customerId=${ids.warranty}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(all.items.map((i) => i.id));
    expect(new Set(seen).size).toBe(5);
  });

  test('a scoped key lists its customer only, and a filter naming another customer finds nothing', async () => {
    const { key } = await createKey('operations', ids.basic);
    expect(idsOf(await list(`assignee=${agent1}`, { key }))).toEqual([]);
    expect(idsOf(await list(`customerId=${ids.warranty}`, { key }))).toEqual([]);
    const own = await list(`limit=200`, { key });
    expect(idsOf(own)).toEqual(sorted(r.b1, r.b2));
    expect((await http('GET', `/v1/requests/${r.w1}/history`, { key })).status).toBe(404);
    expect((await http('GET', `/v1/requests/${r.b1}/history`, { key })).status).toBe(200);
  });

  test('bad query parameters get a 400 naming query:<name> and the rule', async () => {
    const cases: Array<[string, string, string?]> = [
      ['colour=red', 'query:colour', 'unrecognized_key'],
      ['state=bogus', 'query:state'],
      ['state=registered,', 'query:state'],
      ['level=gold', 'query:level'],
      ['breached=yes', 'query:breached'],
      ['limit=0', 'query:limit'],
      ['limit=201', 'query:limit'],
      ['dueBefore=yesterday', 'query:dueBefore'],
      ['registeredFrom=2026-12-01T10:00:00', 'query:registeredFrom'],
      ['cursor=not-a-cursor', 'query:cursor', 'invalid_cursor'],
    ];
    for (const [query, field, rule] of cases) {
      const res = await http('GET', `/v1/requests?${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(rule ? { rule } : {}) })]));
    }
  });
});

// --- history ------------------------------------------------------------------------------------

describe('GET /v1/requests/:id/history', () => {
  test('merges the domain timeline with the Temporal history: timers, local-activity markers, updates, activities', async () => {
    const res = await http('GET', `/v1/requests/${r.w2}/history`);
    expect(res.status).toBe(200);
    const h = res.body;
    expect(h.temporal).toMatchObject({ available: true, runs: [expect.any(String)], truncated: false });
    expect(h.links.temporalUi).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/namespaces/default/workflows/support-request-${r.w2}$`));
    const domain = h.items.filter((i: any) => i.source === 'domain');
    const temporal = h.items.filter((i: any) => i.source === 'temporal');
    expect(domain.map((i: any) => i.type)).toEqual(['registered', 'replied', 'resolved', 'reopened']);
    const types = new Set(temporal.map((i: any) => i.type));
    // Projection writes and calendar arithmetic are local activities: they show as markers.
    for (const t of ['WorkflowExecutionStarted', 'TimerStarted', 'MarkerRecorded', 'WorkflowExecutionUpdateAccepted', 'WorkflowExecutionUpdateCompleted']) {
      expect(types).toContain(t);
    }
    expect(types).not.toContain('WorkflowTaskCompleted');
    const updates = temporal.filter((i: any) => i.type === 'WorkflowExecutionUpdateCompleted').map((i: any) => i.detail.updateName);
    expect(updates).toEqual(expect.arrayContaining(['registered', 'respond', 'resolve', 'reopen']));
    const timer = temporal.find((i: any) => i.type === 'TimerStarted');
    expect(timer.detail).toEqual({ timerId: expect.any(String), durationMs: expect.any(Number), firesAt: expect.stringMatching(/\+03:00$/) });
    expect(Date.parse(timer.detail.firesAt) - Date.parse(timer.at)).toBe(timer.detail.durationMs);
    // The run's one patch marker (workflows/patches.ts: the set of changes a run started on this
    // code takes), then local activities only: calendar arithmetic and the writes.
    const markers = temporal.filter((i: any) => i.type === 'MarkerRecorded');
    expect(markers[0].detail).toEqual(expect.objectContaining({ markerName: 'core_patch', localActivity: false }));
    expect(markers.slice(1).every((m: any) => m.detail.localActivity)).toBe(true);
    // Registration's clocks and its write come planned by the API (the write committed by it):
    // no local activity before its answer; later changes ask the calendar and write by local activities.
    const registered = temporal.find((i: any) => i.type === 'WorkflowExecutionUpdateCompleted' && i.detail.updateName === 'registered');
    expect(markers.filter((m: any) => m.detail.localActivity && Date.parse(m.at) <= Date.parse(registered.at))).toEqual([]);
    expect(markers.map((m: any) => m.detail.activityType)).toEqual(expect.arrayContaining(['measureWorkingTime', 'writeRequest']));
    // One time line, instants with the calendar's offset.
    const times = h.items.map((i: any) => Date.parse(i.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(h.items[0].at).toMatch(/\+03:00$/);

    const withTasks = await http('GET', `/v1/requests/${r.w2}/history?workflowTasks=true`);
    expect(withTasks.body.items.map((i: any) => i.type)).toContain('WorkflowTaskCompleted');
    const bad = await http('GET', `/v1/requests/${r.w2}/history?verbose=1`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('query:verbose');
    expect((await http('GET', '/v1/requests/SR-00000000000000000000000000/history')).status).toBe(404);
  });

  test('follows a continue-as-new chain across runs', async () => {
    // A request whose workflow continues as new after a few dozen events (the product's limit is
    // thousands): started directly, with the pinned policy of a request admitted above.
    const row = (await findRequest(db, r.w4))!;
    const identity = requestIdentity('e2e-can', run);
    const { client, close } = await testTemporalClient();
    try {
      await client.workflow.start('supportRequest', {
        workflowId: identity.workflowId,
        taskQueue: process.env.E2E_TASK_QUEUE!,
        args: [
          {
            requestId: identity.requestId,
            requestKey: identity.requestKey,
            registration: { subject: `CAN ${run}`, customerId: ids.chain, productId: ids.product, channel: 'supplier-email', category: 'defect-report' },
            policy: row.policy,
            options: { historyEventLimit: 40 },
          },
        ],
      });
      let h: any;
      for (let i = 0; i < 15; i++) {
        // The row appears once the first run has persisted the registration.
        const note = await http('POST', `/v1/requests/${identity.requestId}/responses`, { body: { visibility: 'internal', author: 'agent', body: `note ${i}` } });
        if (note.status === 404) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          continue;
        }
        expect(note.status).toBe(200);
        h = (await http('GET', `/v1/requests/${identity.requestId}/history`)).body;
        if (h.temporal.runs?.length >= 2) break;
      }
      expect(h.temporal).toMatchObject({ available: true, truncated: false });
      expect(h.temporal.runs.length).toBeGreaterThanOrEqual(2);
      const cans = h.items.filter((i: any) => i.type === 'WorkflowExecutionContinuedAsNew');
      expect(cans.length).toBe(h.temporal.runs.length - 1);
      expect(cans[0].detail.newRunId).toBe(h.temporal.runs[1]);
      // Events of each run, starts in chain order.
      const starts = h.items.filter((i: any) => i.type === 'WorkflowExecutionStarted');
      expect(starts.map((s: any) => s.runId)).toEqual(h.temporal.runs);
      expect(new Set(h.items.filter((i: any) => i.source === 'temporal').map((i: any) => i.runId))).toEqual(new Set(h.temporal.runs));
      await http('POST', `/v1/requests/${identity.requestId}/cancel`, { body: { author: 'agent', reason: 'withdrawn' } });
    } finally {
      await close();
    }
  });
});

// --- reports ------------------------------------------------------------------------------------

const period = () => `from=${encodeURIComponent(startedAt)}&to=${encodeURIComponent(endedAt)}`;

describe('SLA reports', () => {
  test('per level for one customer: the counts set up above', async () => {
    const res = await http('GET', `/v1/reports/sla?${period()}&groupBy=level&customerId=${ids.warranty}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ groupBy: 'level', customerId: ids.warranty, period: { from: startedAt, to: endedAt } });
    const [initial, warranty] = res.body.groups;
    expect(res.body.groups.map((g: any) => g.key)).toEqual(['initial', 'warranty']);
    expect(warranty).toMatchObject({
      requests: 4,
      open: 2,
      cancelled: 1,
      firstResponse: { clocks: 4, regulated: 4, withinTarget: 2, breached: 0, pending: 1, cancelled: 1, withinTargetPct: 100, measured: 2, running: 1 },
      resolution: { clocks: 4, regulated: 4, withinTarget: 1, breached: 0, pending: 2, cancelled: 1, withinTargetPct: 100, measured: 1, running: 2 },
      breaches: { total: 0, items: [] },
      reopens: { total: 1, requests: 1 },
    });
    expect(warranty.firstResponse.medianHours).toBeGreaterThanOrEqual(0);
    // Initial support is not regulated: measured, never within or over a target.
    expect(initial).toMatchObject({
      requests: 1,
      firstResponse: { regulated: 0, notRegulated: 1, withinTarget: 0, withinTargetPct: null, measured: 1 },
      resolution: { regulated: 0, notRegulated: 1, withinTargetPct: null, measured: 1 },
    });
    expect(res.body.total).toMatchObject({ requests: 5, reopens: { total: 1 } });
  });

  test('per customer and per agent', async () => {
    const byCustomer = await http('GET', `/v1/reports/sla?${period()}&groupBy=customer`);
    expect(byCustomer.status).toBe(200);
    const basic = byCustomer.body.groups.find((g: any) => g.key === ids.basic);
    expect(basic).toMatchObject({ requests: 2, open: 2, firstResponse: { withinTarget: 1, pending: 1, withinTargetPct: 100 } });
    expect(byCustomer.body.groups.find((g: any) => g.key === ids.warranty).requests).toBe(5);
    const byAgent = await http('GET', `/v1/reports/sla?${period()}&groupBy=agent&customerId=${ids.warranty}`);
    expect(byAgent.body.groups.map((g: any) => [g.key, g.requests])).toEqual([
      [agent1, 1],
      [null, 4],
    ]);
  });

  test('breaches with their causes, from crafted fixture rows', async () => {
    await insertFixtures();
    try {
      const res = await http('GET', `/v1/reports/sla?from=${encodeURIComponent(new Date(Date.now() - H).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + H).toISOString())}&groupBy=level&customerId=${ids.fixture}`);
      expect(res.status).toBe(200);
      const [g] = res.body.groups;
      expect(g).toMatchObject({ key: 'warranty', requests: 2, firstResponse: { withinTarget: 0, breached: 1, pending: 1, withinTargetPct: 0, measured: 1, medianHours: 9 } });
      expect(g.breaches).toMatchObject({ total: 2, firstResponse: 1, resolution: 1, duringPause: 1, byLevel: { warranty: 2 }, truncated: false });
      expect(g.breaches.items).toEqual([
        expect.objectContaining({ requestId: fixture.breached.requestId, clock: 'first_response', duringPause: null, stillOpen: false, breachedAt: expect.stringMatching(/Z$/) }),
        expect.objectContaining({ requestId: fixture.breached.requestId, clock: 'resolution', duringPause: 'waiting_on_customer', stillOpen: true }),
      ]);
    } finally {
      await deleteFixtures();
    }
  });

  test('CSV: a header row and one RFC 4180 row per group', async () => {
    const res = await http('GET', `/v1/reports/sla?${period()}&groupBy=level&customerId=${ids.warranty}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="?sla-report-[A-Za-z0-9._-]+\.csv"?$/);
    const lines = (res.body as string).split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const header = lines[0]!.split(',');
    const rows = lines.slice(1, 3).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    expect(rows.map((x) => [x.group, x.requests, x.first_response_within_target, x.first_response_within_target_pct, x.reopens])).toEqual([
      ['initial', '1', '0', '', '0'],
      ['warranty', '4', '2', '100', '1'],
    ]);
    const accept = await http('GET', `/v1/reports/sla?${period()}&groupBy=level&customerId=${ids.warranty}`, { headers: { accept: 'text/csv' } });
    expect(accept.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  });

  test("the customer's periodic report, and what a scoped key may see", async () => {
    const own = await http('GET', `/v1/customers/${ids.warranty}/reports/sla?${period()}`);
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ groupBy: 'level', customerId: ids.warranty, total: { requests: 5 } });
    expect((await http('GET', `/v1/customers/nobody-${run}/reports/sla?${period()}`)).status).toBe(404);

    const { key } = await createKey('operations', ids.basic);
    const scoped = await http('GET', `/v1/reports/sla?${period()}&groupBy=customer`, { key });
    expect(scoped.status).toBe(200);
    expect(scoped.body.groups.map((g: any) => g.key)).toEqual([ids.basic]);
    expect((await http('GET', `/v1/reports/sla?${period()}&customerId=${ids.warranty}`, { key })).status).toBe(404);
    expect((await http('GET', `/v1/customers/${ids.warranty}/reports/sla?${period()}`, { key })).status).toBe(404);
    expect((await http('GET', `/v1/customers/${ids.basic}/reports/sla?${period()}`, { key })).body.total.requests).toBe(2);
  });

  test('bad report queries get a 400 naming the field', async () => {
    const cases: Array<[string, string]> = [
      [`to=${encodeURIComponent(endedAt)}`, 'query:from'],
      [`${period()}&groupBy=planet`, 'query:groupBy'],
      [`${period()}&format=xml`, 'query:format'],
      [`${period()}&extra=1`, 'query:extra'],
      [`from=${encodeURIComponent(endedAt)}&to=${encodeURIComponent(startedAt)}`, 'query:to'],
      ['from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', 'query:to'],
    ];
    for (const [query, field] of cases) {
      const res = await http('GET', `/v1/reports/sla?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.errors.map((e: any) => e.field)).toContain(field);
    }
  });
});

// --- metrics ------------------------------------------------------------------------------------

describe('GET /metrics', () => {
  test('Prometheus text with HTTP latency by route pattern and the projection gauges', async () => {
    await insertFixtures();
    try {
      await http('GET', `/v1/requests/${r.w1}`);
      // An operations (or admin) key without a customer scope; no key is a 401 (see security.e2e.test.ts).
      expect((await http('GET', '/metrics', { key: null })).status).toBe(401);
      const key = (await createKey('operations')).key;
      // The gauges are read from PostgreSQL at most every 5 s per API process: wait for a scrape
      // that counts the fixtures (the waiting warranty one is new; older data cannot satisfy this).
      const waiting = await db('support_requests').where({ state: 'waiting_on_customer', level: 'warranty' }).count({ n: '*' }).first();
      const seesFixtures = (text: unknown) => new RegExp(`^sla_requests\\{state="waiting_on_customer",level="warranty"\\} ${Number(waiting?.n)}$`, 'm').test(String(text));
      let res = await http('GET', '/metrics', { key });
      for (const deadline = Date.now() + 30_000; !seesFixtures(res.body) && Date.now() < deadline; ) {
        await new Promise((done) => setTimeout(done, 250));
        res = await http('GET', '/metrics', { key });
      }
      expect(seesFixtures(res.body)).toBe(true);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = res.body as string;
      for (const name of ['sla_api_http_request_duration_seconds', 'sla_requests', 'sla_requests_breached', 'sla_requests_at_risk', 'sla_warnings_total', 'sla_breaches_total', 'sla_notifications']) {
        expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
      }
      const value = (pattern: string) => Number(new RegExp(`^${pattern} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
      expect(value('sla_api_http_request_duration_seconds_count\\{method="GET",route="/v1/requests/:id",status="200"\\}')).toBeGreaterThan(0);
      expect(value('sla_requests\\{state="in_progress",level="warranty"\\}')).toBeGreaterThan(0);
      expect(value('sla_requests_breached\\{clock="first_response"\\}')).toBeGreaterThanOrEqual(1);
      expect(value('sla_requests_at_risk')).toBeGreaterThanOrEqual(1);
      expect(value('sla_notifications\\{status="failed"\\}')).toBeGreaterThanOrEqual(0);
      expect(value('sla_metrics_database_up')).toBe(1);
      expect(text).not.toMatch(/route="\/v1\/requests\/SR-/);
      // The list's 400s are counted under its pattern too (the route is captured when matched).
      expect(value('sla_api_http_request_duration_seconds_count\\{method="GET",route="/v1/requests",status="400"\\}')).toBeGreaterThan(0);
    } finally {
      await deleteFixtures();
    }
  });
});
