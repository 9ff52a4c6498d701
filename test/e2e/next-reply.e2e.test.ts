import { http, uniqueKey } from './helpers';
import { alwaysOnContract } from './fixtures/always-on-contract';

// The next-reply target over HTTP against the real stack: an individual contract on the
// always-on calendar whose lifecycle terms set a next-reply target of 0.003 working hours
// (10.8 s; the term takes any positive number of hours). Each customer reply after the first
// answer opens a round: the next public reply meets it; a reply left unanswered breaches it on
// the worker's timer, and the breach is in the timeline and counted by the SLA report.
const run = uniqueKey('nr');
const customerId = `cust-${run}`;
const TARGET_HOURS = 0.003;
const TARGET_MS = TARGET_HOURS * 3_600_000;

beforeAll(async () => {
  expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Round the clock' } })).status).toBe(201);
  const contract = await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-${run}`, customerId, 1, 8, { nextReply: { workingHours: TARGET_HOURS } }) });
  expect(contract.status).toBe(201);
});

const act = (id: string, path: string, body: unknown) => http('POST', `/v1/requests/${id}/${path}`, { body });

/** Reads until `ok` holds, for at most `ms`; the breach comes from the worker's timer, not from us. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last read ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Clock = { kind: string; status: string; dueAt: string | null; metAt: string | null; breachedAt: string | null; targetHours: number | null };
const rounds = (clocks: Clock[]) => clocks.filter((c) => c.kind === 'next_reply');

test('a round met by the next public reply, a round left unanswered breached, in the timeline and the report', async () => {
  const registeredFrom = new Date(Date.now() - 60_000).toISOString();
  const created = await http('POST', '/v1/requests', { body: { subject: 'Export fails', customerId, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('crm') } });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ level: 'individual', policy: { contractId: `C-${run}`, calendar: { id: 'always-on' }, lifecycle: { nextReply: { workingHours: TARGET_HOURS } } } });
  expect(rounds(created.body.clocks)).toEqual([]);
  const id = created.body.id;

  expect((await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'Send the log please' })).status).toBe(200);
  // Still no round: the first answer is the first-response clock's, not a reply to a reply.
  expect(rounds((await http('GET', `/v1/requests/${id}`)).body.clocks)).toEqual([]);

  // Round 1: opened by the customer's reply, due TARGET_MS of (always-on) working time later.
  const replied = await act(id, 'customer-replies', { author: 'ivan', body: 'Log attached' });
  expect(replied.status).toBe(200);
  const shown = await http('GET', `/v1/requests/${id}`);
  expect(shown.status).toBe(200);
  const [first] = rounds(shown.body.clocks);
  expect(first).toMatchObject({ kind: 'next_reply', status: 'running', targetHours: TARGET_HOURS, metAt: null, breachedAt: null });
  const openedAt = (await http('GET', `/v1/requests/${id}/events`)).body.items.filter((e: { type: string }) => e.type === 'customer_replied').at(-1).at;
  expect(Date.parse(first!.dueAt!)).toBe(Date.parse(openedAt) + TARGET_MS);

  const answered = await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'Reproduced, a fix is coming' });
  expect(answered.status).toBe(200);
  const [met] = rounds(answered.body.clocks);
  expect(met).toMatchObject({ status: 'met', breachedAt: null, dueAt: first!.dueAt });
  expect(Date.parse(met!.metAt!)).toBeLessThan(Date.parse(first!.dueAt!));

  // Round 2: the customer writes again and nobody answers.
  expect((await act(id, 'customer-replies', { author: 'ivan', body: 'Any news?' })).status).toBe(200);
  const breached = await until(
    () => http('GET', `/v1/requests/${id}`),
    (r) => rounds(r.body.clocks)[1]?.status === 'breached',
    'the second round to breach',
  );
  const [stillMet, second] = rounds(breached.body.clocks);
  expect(stillMet!.status).toBe('met');
  expect(second!.breachedAt).toBe(second!.dueAt);
  expect(breached.body.clocks.find((c: Clock) => c.kind === 'resolution').status).toBe('running');

  const timeline = await until(
    () => http('GET', `/v1/requests/${id}/events`),
    (r) => r.body.items.some((e: { type: string; data?: { clock?: string } }) => e.type === 'sla_breached' && e.data?.clock === 'next_reply'),
    'the breach in the timeline',
  );
  const breachEvents = timeline.body.items.filter((e: { type: string }) => e.type === 'sla_breached');
  expect(breachEvents).toEqual([expect.objectContaining({ actor: 'system', data: expect.objectContaining({ clock: 'next_reply', dueAt: Date.parse(second!.dueAt!) }) })]);

  // The report counts both rounds: one within target, one breached (listed with the request).
  const to = new Date(Date.now() + 60_000).toISOString();
  const report = await until(
    () => http('GET', `/v1/reports/sla?from=${encodeURIComponent(registeredFrom)}&to=${encodeURIComponent(to)}&groupBy=level&customerId=${customerId}`),
    (r) => r.status === 200 && r.body.total?.breaches?.nextReply === 1,
    'the report to count the breach',
  );
  expect(report.body.total.nextReply).toMatchObject({ clocks: 2, regulated: 2, withinTarget: 1, breached: 1, withinTargetPct: 50 });
  expect(report.body.total.breaches).toMatchObject({ total: 1, firstResponse: 0, resolution: 0, nextReply: 1 });
  expect(report.body.total.breaches.items).toEqual([expect.objectContaining({ requestId: id, clock: 'next_reply', stillOpen: true })]);

  // The late reply closes the breached round; the breach stays on record.
  const late = await act(id, 'responses', { visibility: 'public', author: 'agent-7', body: 'Sorry, fixed in 24.1' });
  expect(rounds(late.body.clocks)[1]).toMatchObject({ status: 'breached', breachedAt: second!.breachedAt });
});
