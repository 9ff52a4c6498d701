import { http, uniqueKey } from './helpers';

// Receipt time over HTTP against the real stack: a request received days before it was typed in
// is admitted on the facts of then, breached at once on its first-response target, its missed
// warnings shown; out-of-bounds and out-of-order instants are refused naming the field.
const run = uniqueKey('rcv');
const ids = { product: `kompas-${run}`, office: `msk-${run}`, customer: `cust-${run}` };
const DAY = 86_400_000;
const isoDaysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

beforeAll(async () => {
  expect((await http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  expect((await http('POST', '/v1/offices', { body: { id: ids.office, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: ids.customer, name: 'Bought two months ago', officeId: ids.office } })).status).toBe(201);
  const licence = await http('POST', `/v1/customers/${ids.customer}/licenses`, { body: { id: `L-${run}`, productId: ids.product, purchasedOn: isoDaysAgo(60).slice(0, 10) } });
  expect(licence.status).toBe(201);
});

const request = (extra: Record<string, unknown>) => ({
  subject: 'Crash on export, reported by phone',
  customerId: ids.customer,
  productId: ids.product,
  channel: 'supplier-email',
  category: 'defect-report',
  externalRef: uniqueKey('crm'),
  ...extra,
});

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a request received 10 days ago is breached on first response at once, its warnings recorded as missed', async () => {
  const receivedAt = isoDaysAgo(10);
  const created = await http('POST', '/v1/requests', { body: request({ receivedAt }) });
  expect(created.status).toBe(201);
  expect(Date.parse(created.body.receivedAt)).toBe(Date.parse(receivedAt));
  expect(Date.parse(created.body.registeredAt)).toBeGreaterThan(Date.parse(receivedAt));
  const fr = created.body.clocks[0];
  expect(Date.parse(fr.dueAt)).toBeLessThan(Date.now());
  expect(fr.warnings.every((w: { missedAt: string | null; firedAt: string | null }) => w.missedAt !== null && w.firedAt === null)).toBe(true);

  const breached = await until(() => http('GET', `/v1/requests/${created.body.id}`), (r) => r.body.clocks[0].status === 'breached', 'the breach');
  expect(breached.body.clocks[0].breachedAt).toBe(fr.dueAt);
  const events = await until(
    () => http('GET', `/v1/requests/${created.body.id}/events`),
    (r) => r.body.items.some((e: { type: string }) => e.type === 'escalated'),
    'the first escalation',
  );
  const types = events.body.items.map((e: { type: string }) => e.type);
  expect(types).toContain('sla_warning_missed');
  expect(types).not.toContain('sla_warning');

  // An action before the request's previous event (the breach) is refused, naming occurredAt.
  const late = await http('POST', `/v1/requests/${created.body.id}/responses`, { body: { visibility: 'public', author: 'agent-1', body: 'called back', occurredAt: isoDaysAgo(9) } });
  expect(late.status).toBe(409);
  expect(late.body).toMatchObject({ reason: 'OccurredOutOfOrder', errors: [{ field: 'occurredAt', rule: 'before-previous-event' }] });
  const now = await http('POST', `/v1/requests/${created.body.id}/responses`, { body: { visibility: 'public', author: 'agent-1', body: 'on it', occurredAt: new Date().toISOString() } });
  expect(now.status).toBe(200);
  expect(now.body.state).toBe('in_progress');
});

test('entitlement is evaluated at the receipt: a request received before the licence was bought has no warranty', async () => {
  const recent = `recent-${run}`;
  expect((await http('POST', '/v1/customers', { body: { id: recent, name: 'Bought five days ago', officeId: ids.office } })).status).toBe(201);
  const licence = await http('POST', `/v1/customers/${recent}/licenses`, { body: { id: `L2-${run}`, productId: ids.product, purchasedOn: isoDaysAgo(5).slice(0, 10) } });
  expect(licence.status).toBe(201);
  const now = await http('POST', '/v1/requests', { body: request({ customerId: recent }) });
  expect(now.status).toBe(201);
  expect(now.body.level).toBe('warranty');
  const before = await http('POST', '/v1/requests', { body: request({ customerId: recent, receivedAt: isoDaysAgo(10) }) });
  expect(before.status).toBe(422);
  expect(before.body.rule).toBeDefined();
});

test('receivedAt and occurredAt out of bounds: 422 naming the field and the rule', async () => {
  const future = await http('POST', '/v1/requests', { body: request({ receivedAt: new Date(Date.now() + 10 * 60_000).toISOString() }) });
  expect(future.status).toBe(422);
  expect(future.body.errors).toEqual([expect.objectContaining({ field: 'receivedAt', rule: 'in-the-future' })]);
  const old = await http('POST', '/v1/requests', { body: request({ receivedAt: isoDaysAgo(31) }) });
  expect(old.status).toBe(422);
  expect(old.body.errors).toEqual([expect.objectContaining({ field: 'receivedAt', rule: 'too-old' })]);
  const noOffset = await http('POST', '/v1/requests', { body: request({ receivedAt: '2026-11-20T10:00:00' }) });
  expect(noOffset.status).toBe(400);
  expect(noOffset.body.errors[0].field).toBe('receivedAt');

  const created = await http('POST', '/v1/requests', { body: request({}) });
  expect(created.status).toBe(201);
  const tooOld = await http('POST', `/v1/requests/${created.body.id}/customer-replies`, { body: { author: 'c', body: 'x', occurredAt: isoDaysAgo(40) } });
  expect(tooOld.status).toBe(422);
  expect(tooOld.body.errors).toEqual([expect.objectContaining({ field: 'occurredAt', rule: 'too-old' })]);
});
