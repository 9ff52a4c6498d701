// Registration at the edges (issue 15, findings 3, 4, 5, 7): intake keys scoped by caller and
// customer with replays compared, legacy requests still found, all-or-nothing registration,
// quota registrations that never exhaust the pool, and the calling key on every recorded action.
import type { Knex } from 'knex';
import { markerActivityType } from '../../api/requests/history';
import { findRequest } from '../../db/queries/requests';
import { intakeIdentity } from '../../services/registration/identity';
import { requestIdentity } from '../../services/registration/identity';
import { createKey, http, testDb, testTemporalClient, uniqueKey } from './helpers';
import { oneSlotQuotaContract } from './fixtures/always-on-contract';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { backfillLegacyIntake } = require('../../db/migrations/20261201100000_request_intake.js') as { backfillLegacyIntake: (db: Knex) => Promise<void> };

let db: Knex;
const run = uniqueKey('reg');
const id = (label: string) => `${label}-${run}`;
const today = new Date().toISOString().slice(0, 10);
const PRODUCT = id('kompas');
const OFFICE = id('msk');
const A = id('acme');
const B = id('globex');
const keys = {} as Record<'intake' | 'intake2' | 'agent', { id: string; key: string }>;

const registration = (customerId: string | undefined, externalRef?: string, extra: Record<string, unknown> = {}) => ({
  subject: `Crash on export for ${customerId ?? 'anyone'}`,
  ...(customerId !== undefined && { customerId, productId: PRODUCT }),
  channel: 'supplier-email',
  category: 'defect-report',
  ...(externalRef !== undefined && { externalRef }),
  ...extra,
});

async function ok(method: string, path: string, body: unknown, expected = 201): Promise<any> {
  const res = await http(method, path, { body });
  if (res.status !== expected) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function keyWithSource(intakeSource: string): Promise<{ id: string; key: string }> {
  const body = await ok('POST', '/v1/api-keys', { name: `e2e crm ${run}`, role: 'intake', intakeSource });
  expect(body.intakeSource).toBe(intakeSource);
  return { id: body.id, key: body.key };
}

beforeAll(async () => {
  db = testDb();
  await ok('POST', '/v1/products', { id: PRODUCT, name: 'KOMPAS-3D', kind: 'commercial' });
  await ok('POST', '/v1/offices', { id: OFFICE, name: 'Moscow office', operator: 'supplier', calendarId: 'office-moscow' });
  for (const c of [A, B]) {
    await ok('POST', '/v1/customers', { id: c, name: `Customer ${c}`, officeId: OFFICE });
    await ok('POST', `/v1/customers/${c}/licenses`, { id: `L-${c}`, productId: PRODUCT, purchasedOn: today });
  }
  keys.intake = await createKey('intake');
  keys.intake2 = await createKey('intake');
  keys.agent = await createKey('agent');
});
afterAll(async () => {
  await db.destroy();
});

describe('idempotency: the key is the caller\'s and the customer\'s (finding 3)', () => {
  test.each([
    ['externalRef', (ref: string) => ({ body: {}, headers: {}, ref })],
    ['Idempotency-Key', (ref: string) => ({ body: {}, headers: { 'idempotency-key': ref }, ref })],
  ])('two customers using the same %s through one key get two requests', async (kind) => {
    const ref = id(`X-1-${kind}`);
    const send = (customerId: string, api = 0) =>
      http('POST', '/v1/requests', {
        key: keys.intake.key,
        api,
        body: registration(customerId, kind === 'externalRef' ? ref : undefined),
        ...(kind === 'Idempotency-Key' && { headers: { 'idempotency-key': ref } }),
      });
    const a = await send(A);
    expect(a.status).toBe(201);
    const b = await send(B);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
    expect([b.body.customerId, b.body.subject]).toEqual([B, `Crash on export for ${B}`]);
    // Each retry still finds its own request, on either API process.
    for (const [customerId, first] of [[A, a], [B, b]] as const) {
      const again = await send(customerId, 1);
      expect([again.status, again.body.id]).toEqual([200, first.body.id]);
    }
    expect(await db('support_requests').whereIn('id', [a.body.id, b.body.id])).toHaveLength(2);
  });

  test('the pinned policy is stored as the request\'s own fields plus shared terms, once per digest, and read back whole', async () => {
    const [a, b] = [await http('POST', '/v1/requests', { body: registration(A, id('TERMS-a')) }), await http('POST', '/v1/requests', { body: registration(A, id('TERMS-b')) })];
    expect([a.status, b.status]).toEqual([201, 201]);
    const rows = [await db('support_requests').where({ id: a.body.id }).first('policy'), await db('support_requests').where({ id: b.body.id }).first('policy')];
    const refs = rows.map((r) => r.policy.termsRef);
    expect(refs[0]).toEqual(expect.any(String));
    expect(refs[1]).toBe(refs[0]);
    // The row keeps what SQL reads and what is the request's own; the level name and targets are shared.
    expect(rows[0].policy).toMatchObject({ level: a.body.level, customerId: A, pinnedAtMs: expect.any(Number) });
    expect(rows[0].policy).not.toHaveProperty('levelName');
    // The intake claim stores its copy the same way.
    expect((await db('request_intake').where({ request_id: a.body.id }).first()).policy).toMatchObject({ termsRef: refs[0], pinnedAtMs: rows[0].policy.pinnedAtMs });
    const terms = await db('pinned_policy_terms').where({ digest: refs[0] });
    expect(terms).toHaveLength(1);
    expect(terms[0].terms).toMatchObject({ levelName: a.body.levelName });
    const whole = (await findRequest(db, a.body.id))!.policy;
    expect(whole).toMatchObject({ level: a.body.level, levelName: a.body.levelName, customerId: A, pinnedAtMs: rows[0].policy.pinnedAtMs });
    expect(whole).not.toHaveProperty('termsRef');
    // The API reads it whole: the level name and the targets come from the shared terms.
    const got = await http('GET', `/v1/requests/${a.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ levelName: a.body.levelName, policy: { level: a.body.level, targets: a.body.policy.targets } });
  });

  test('a replay with other content answers 422 idempotency-key-reused naming the differing fields; nothing is registered', async () => {
    const ref = id('X-2');
    const first = await http('POST', '/v1/requests', { key: keys.intake.key, body: registration(A, ref) });
    expect(first.status).toBe(201);
    const changed = await http('POST', '/v1/requests', { key: keys.intake.key, api: 1, body: registration(A, ref, { subject: 'Something else', priority: 'high' }) });
    expect(changed.status).toBe(422);
    expect(changed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(changed.body).toMatchObject({ rule: 'idempotency-key-reused', requestId: first.body.id, differingFields: ['subject', 'priority'] });
    expect(changed.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'externalRef', rule: 'idempotency-key-reused' }),
        expect.objectContaining({ field: 'subject', rule: 'idempotency-key-reused' }),
        expect.objectContaining({ field: 'priority', rule: 'idempotency-key-reused' }),
      ]),
    );
    expect(await db('support_requests').where({ customer_id: A, external_ref: ref })).toHaveLength(1);
    const same = await http('POST', '/v1/requests', { key: keys.intake.key, body: registration(A, ref) });
    expect([same.status, same.body.id, same.body.subject]).toEqual([200, first.body.id, first.body.subject]);
  });

  test('another intake key is another namespace; keys sharing an intake source share one', async () => {
    const ref = id('X-3');
    const mine = await http('POST', '/v1/requests', { key: keys.intake.key, body: registration(A, ref) });
    const theirs = await http('POST', '/v1/requests', { key: keys.intake2.key, body: registration(A, ref) });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.body.id).not.toBe(mine.body.id);

    const [crm1, crm2] = [await keyWithSource(id('crm')), await keyWithSource(id('crm'))];
    const viaOld = await http('POST', '/v1/requests', { key: crm1.key, body: registration(A, ref) });
    const viaRotated = await http('POST', '/v1/requests', { key: crm2.key, body: registration(A, ref), api: 1 });
    expect([viaOld.status, viaRotated.status]).toEqual([201, 200]);
    expect(viaRotated.body.id).toBe(viaOld.body.id);
    expect(viaOld.body.id).not.toBe(mine.body.id);
  });

  test('a request registered before keys were scoped keeps its id and is still found by its key (migration)', async () => {
    const ref = id('LEGACY');
    const template = await http('POST', '/v1/requests', { body: registration(A, id('template')) });
    expect(template.status).toBe(201);
    const policy = (await findRequest(db, template.body.id))!.policy;
    // What the old scheme made of an unscoped externalRef: a workflow and row under `external-ref:<ref>`.
    const legacy = requestIdentity('external-ref', ref);
    // And what it made of a customer-scoped key's Idempotency-Key: `customer:<scope>:idempotency-key:<key>`.
    const scopedRef = id('LEGACY-SCOPED');
    const legacyScoped = requestIdentity(`customer:${A}:idempotency-key`, scopedRef);
    const { client, close } = await testTemporalClient();
    try {
      for (const [identity, externalRef] of [[legacy, ref], [legacyScoped, undefined]] as const) {
        const handle = await client.workflow.start('supportRequest', {
          workflowId: identity.workflowId,
          taskQueue: process.env.E2E_TASK_QUEUE!,
          args: [{ requestId: identity.requestId, requestKey: identity.requestKey, registration: registration(A, externalRef), policy }],
        });
        await handle.executeUpdate('registered');
      }
    } finally {
      await close();
    }
    await backfillLegacyIntake(db);
    expect(await db('request_intake').where({ request_id: legacy.requestId }).first()).toMatchObject({ namespace: 'legacy:unscoped', customer_key: A, key_kind: 'external-ref', intake_key: ref });
    expect(await db('request_intake').where({ request_id: legacyScoped.requestId }).first()).toMatchObject({
      namespace: `legacy:customer:${A}`,
      customer_key: A,
      key_kind: 'idempotency-key',
      intake_key: scopedRef,
    });
    // A request an API process of the previous release registered after the backfill ran (rolling upgrade): found by its row.
    const lateRef = id('LEGACY-LATE');
    const late = requestIdentity('external-ref', lateRef);
    const temporal = await testTemporalClient();
    try {
      const handle = await temporal.client.workflow.start('supportRequest', {
        workflowId: late.workflowId,
        taskQueue: process.env.E2E_TASK_QUEUE!,
        args: [{ requestId: late.requestId, requestKey: late.requestKey, registration: registration(A, lateRef), policy }],
      });
      await handle.executeUpdate('registered');
    } finally {
      await temporal.close();
    }
    const lateAgain = await http('POST', '/v1/requests', { body: registration(A, lateRef) });
    expect([lateAgain.status, lateAgain.body.id]).toEqual([200, late.requestId]);
    expect((await http('POST', '/v1/requests', { body: registration(A, lateRef, { subject: 'changed' }) })).body.differingFields).toEqual(['subject']);

    const scopedKey = await createKey('intake', A);
    const scopedAgain = await http('POST', '/v1/requests', { key: scopedKey.key, body: registration(A), headers: { 'idempotency-key': scopedRef } });
    expect([scopedAgain.status, scopedAgain.body.id]).toEqual([200, legacyScoped.requestId]);

    const again = await http('POST', '/v1/requests', { body: registration(A, ref) });
    expect([again.status, again.body.id]).toEqual([200, legacy.requestId]);
    const changed = await http('POST', '/v1/requests', { body: registration(A, ref, { description: 'more' }) });
    expect([changed.status, changed.body.differingFields]).toEqual([422, ['description']]);
    // Another customer's request under the old shared key is not this customer's.
    const other = await http('POST', '/v1/requests', { body: registration(B, ref) });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(legacy.requestId);
  });
});

describe('registration is all or nothing (finding 4)', () => {
  test('offices and contracts refuse a calendar that does not exist, naming the field', async () => {
    const office = await http('POST', '/v1/offices', { body: { id: id('bad-office'), name: 'Nowhere', operator: 'partner', calendarId: id('no-such-calendar') } });
    expect(office.status).toBe(422);
    expect(office.body.errors).toEqual([expect.objectContaining({ field: 'calendarId', rule: 'unknown_reference' })]);
    const contract = await http('POST', '/v1/contracts', {
      body: {
        id: id('bad-contract'),
        customerId: A,
        counterparty: { kind: 'dealer', name: 'CAD Dealer' },
        from: '2020-01-01',
        to: '2099-12-31',
        sla: { calendarId: id('no-such-calendar'), targets: { kind: 'single', firstResponse: { workingHours: 4 }, resolution: null }, channels: ['messenger'], services: ['customisation'] },
      },
    });
    expect(contract.status).toBe(422);
    expect(contract.body.errors).toEqual([expect.objectContaining({ field: 'sla.calendarId', rule: 'unknown_reference' })]);
    // A run-time calendar and a shipped one are both fine.
    expect((await http('POST', '/v1/offices', { body: { id: id('shipped-office'), name: 'Shipped', operator: 'partner', calendarId: 'office-yekaterinburg' } })).status).toBe(201);
  });

  test('text the database cannot store (a UTF-16 surrogate without its pair) is a 400 naming the field; nothing is claimed', async () => {
    const ref = id('LONE');
    // JSON carries a lone surrogate as "\ud800": it parses, but no text or jsonb column takes it as sent.
    const subject = await http('POST', '/v1/requests', { body: registration(A, ref, { subject: 'Crash \ud800 on export' }) });
    expect([subject.status, subject.body.errors]).toEqual([400, [expect.objectContaining({ field: 'subject', rule: 'lone_surrogate' })]]);
    const externalRef = await http('POST', '/v1/requests', { body: registration(A, `${ref}-\udc00`) });
    expect([externalRef.status, externalRef.body.errors]).toEqual([400, [expect.objectContaining({ field: 'externalRef', rule: 'lone_surrogate' })]]);
    expect(await db('request_intake').where('intake_key', 'like', `${ref}%`)).toHaveLength(0);
    // The same key, well formed: registered.
    expect((await http('POST', '/v1/requests', { body: registration(A, ref, { subject: 'Crash \ud83d\ude00 on export' }) })).status).toBe(201);
  });

  test('a registration refused for its configuration leaves nothing behind; once fixed, the same retry registers', async () => {
    // An office stored before calendars were checked, on a calendar that does not exist.
    const calendarId = id('later-cal');
    const officeId = id('legacy-office');
    await db('sales_offices').insert({ id: officeId, name: 'Legacy office', operator: 'partner', calendar_id: calendarId });
    const ref = id('INITIAL');
    const body = { subject: 'How do I install it?', officeId, channel: 'support-site-form', category: 'demo', externalRef: ref };
    const send = () => http('POST', '/v1/requests', { key: keys.intake.key, body });

    const refused = await send();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ rule: 'unknown-calendar', calendarId });
    expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'officeId', rule: 'unknown-calendar' })]);
    const identity = intakeIdentity({ namespace: `key:${keys.intake.id}`, customerKey: '', kind: 'external-ref', key: ref });
    expect(await db('support_requests').where({ id: identity.requestId })).toHaveLength(0);
    expect(await db('request_intake').where({ request_id: identity.requestId })).toHaveLength(0);

    // What an earlier failure could leave in Temporal: a failed run under the request's workflow id.
    const { client, close } = await testTemporalClient();
    try {
      const stored = await db('support_requests').whereNotNull('policy').first('id');
      const policy: Record<string, unknown> = { ...(await findRequest(db, stored.id))!.policy, calendar: { id: calendarId } };
      delete policy.calendarVersionId;
      const failed = await client.workflow.start('supportRequest', {
        workflowId: identity.workflowId,
        taskQueue: process.env.E2E_TASK_QUEUE!,
        args: [{ requestId: identity.requestId, requestKey: identity.requestKey, registration: { subject: 'x' }, policy }],
      });
      await expect(failed.result()).rejects.toThrow();
    } finally {
      await close();
    }

    // The configuration is fixed: the identical retry registers (the failed run does not block it).
    expect((await http('PUT', `/v1/calendars/${calendarId}`, { body: { name: 'Later', timezone: 'UTC', week: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])) } })).status).toBe(201);
    const registered = await send();
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ id: identity.requestId, level: 'initial', policy: { calendar: { id: calendarId } } });
    const again = await send();
    expect([again.status, again.body.id]).toEqual([200, identity.requestId]);
  });
});

describe('contract quotas never hold the pool (finding 5)', () => {
  const contract = (customerId: string, contractId: string) => oneSlotQuotaContract(contractId, customerId);
  const quotaRequest = (customerId: string, externalRef: string) => ({ subject: 'quota', customerId, channel: 'messenger', category: 'customisation', externalRef });

  async function quotaCustomer(label: string): Promise<{ customerId: string; contractId: string }> {
    const customerId = id(label);
    await ok('POST', '/v1/customers', { id: customerId, name: `Quota ${label}` });
    await ok('POST', '/v1/contracts', contract(customerId, `C-${customerId}`));
    return { customerId, contractId: `C-${customerId}` };
  }

  test('more concurrent quota registrations under different contracts than one API process has pooled connections all register', async () => {
    const N = 24; // the API's pool holds 10
    const customers: Array<{ customerId: string }> = [];
    for (let i = 0; i < N; i++) customers.push(await quotaCustomer(`pool-${i}`));
    const results = await Promise.all(customers.map((c) => http('POST', '/v1/requests', { api: 0, body: quotaRequest(c.customerId, id('pool')) })));
    expect(results.map((r) => r.status)).toEqual(customers.map(() => 201));
  }, 120_000);

  test('a registration waiting too long for its contract\'s lock answers 503 with Retry-After; nothing is registered', async () => {
    const { customerId, contractId } = await quotaCustomer('locked');
    const ref = id('locked');
    await db.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`contract-quota:${contractId}`]);
      const busy = await http('POST', '/v1/requests', { body: quotaRequest(customerId, ref) });
      expect(busy.status).toBe(503);
      expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
    });
    expect(await db('request_intake').where({ contract_id: contractId })).toHaveLength(0);
    const later = await http('POST', '/v1/requests', { body: quotaRequest(customerId, ref) });
    expect(later.status).toBe(201);
  }, 60_000);
});

describe('audit: every recorded action carries the calling key (finding 7)', () => {
  test('registration and agent actions show the key id and role in the history and the timeline; author stays the human name', async () => {
    const reg = await http('POST', '/v1/requests', { key: keys.intake.key, body: registration(A, id('audit'), { reporter: 'ivan@acme.example' }) });
    expect(reg.status).toBe(201);
    const reply = await http('POST', `/v1/requests/${reg.body.id}/responses`, { key: keys.agent.key, body: { visibility: 'public', author: 'agent-7', body: 'Please send the log' } });
    expect(reply.status).toBe(200);

    const history = await http('GET', `/v1/requests/${reg.body.id}/history`, { key: keys.agent.key });
    expect(history.status).toBe(200);
    const domain = history.body.items.filter((i: any) => i.source === 'domain');
    expect(domain.find((i: any) => i.type === 'registered')).toMatchObject({ actor: 'ivan@acme.example', by: { keyId: keys.intake.id, role: 'intake' } });
    expect(domain.find((i: any) => i.type === 'replied')).toMatchObject({ actor: 'agent-7', by: { keyId: keys.agent.id, role: 'agent' } });
    const events = await http('GET', `/v1/requests/${reg.body.id}/events`, { key: keys.agent.key });
    expect(events.body.items.find((i: any) => i.type === 'replied')).toMatchObject({ actor: 'agent-7', by: { keyId: keys.agent.id, role: 'agent' } });
    expect(await db('request_events').where({ request_id: reg.body.id, type: 'replied' }).first()).toMatchObject({ actor_key_id: keys.agent.id, actor_role: 'agent' });
  });
});

describe('registration\'s first write, committed by the API that planned it', () => {
  /** A request as answered, without what is measured at the instant of answering. */
  const unmeasured = (body: any) => ({ ...body, clocks: body.clocks.map(({ usedHours: _u, remainingHours: _r, overdueHours: _o, ...clock }: any) => clock) });

  test('the workflow registers without an activity; the answer is what a read of the request gives; row and events are written', async () => {
    const reg = await http('POST', '/v1/requests', { key: keys.intake.key, body: registration(A, id('handed'), { reporter: 'ivan@acme.example' }) });
    expect(reg.status).toBe(201);
    const got = await http('GET', `/v1/requests/${reg.body.id}`);
    expect(got.status).toBe(200);
    expect(unmeasured(reg.body)).toEqual(unmeasured(got.body));
    expect(await db('request_events').where({ request_id: reg.body.id }).select('type', 'actor', 'actor_key_id')).toEqual([{ type: 'registered', actor: 'ivan@acme.example', actor_key_id: keys.intake.id }]);

    // The API committed it: no local activity (the workflow's own write) before the registration's Update completed.
    const { workflow_id: workflowId } = await db('support_requests').where({ id: reg.body.id }).first('workflow_id');
    const { client, close } = await testTemporalClient();
    try {
      const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      const completed = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
      expect(completed).toBeGreaterThan(0);
      const activities = events.slice(0, completed).flatMap((e) => (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [markerActivityType(e.markerRecordedEventAttributes)] : []));
      expect(activities).toEqual([]);
    } finally {
      await close();
    }
  });
});
