import { http, uniqueKey } from './helpers';
import { alwaysOnContract } from './fixtures/always-on-contract';

// Requests left waiting on the customer, over HTTP against the real stack. The terms count whole
// working days (integers from 1: a reminder "after half a day" is not a rule a desk states), so
// the reminder and the automatic resolution cannot come within a real-time test without changing
// product rules; they fire on the time-skipping server (test/workflow/waiting-too-long.test.ts).
// Here: the contract's terms are pinned and shown, a fractional day is refused naming the field,
// and the instants planned when the desk starts waiting are the ends of the 1st and 2nd working
// days after that day on the always-on calendar (Europe/Moscow, UTC+3 all year, every day working
// round the clock), computed by hand; a customer's reply resumes the request, a new wait re-plans.
const run = uniqueKey('wtl');
const customerId = `cust-${run}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MOSCOW_OFFSET = 3 * HOUR;
const waitingOnCustomer = { reminderAfterWorkingDays: 1, autoResolveAfterWorkingDays: 2 };

const contract = (id: string, lifecycle: unknown) => alwaysOnContract(id, customerId, 1, 8, lifecycle);

beforeAll(async () => {
  expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Slow to answer' } })).status).toBe(201);
  expect((await http('POST', '/v1/contracts', { body: contract(`C-${run}`, { waitingOnCustomer }) })).status).toBe(201);
});

const act = (id: string, path: string, body: unknown) => http('POST', `/v1/requests/${id}/${path}`, { body });

/** Midnight (Moscow) starting the Moscow day that contains `ms`. */
const moscowDayStart = (ms: number) => Math.floor((ms + MOSCOW_OFFSET) / DAY) * DAY - MOSCOW_OFFSET;
/** The end of the `n`-th working day after the day containing `ms`, on the always-on calendar. */
const endOfWorkingDaysAlwaysOn = (ms: number, n: number) => moscowDayStart(ms) + (n + 1) * DAY;

type Event = { type: string; at: string; data?: Record<string, unknown> };
const lastOf = (items: Event[], type: string) => items.filter((e) => e.type === type).at(-1)!;

test('fractional working days are refused, naming the field and the rule', async () => {
  const res = await http('POST', '/v1/contracts', { body: contract(`C-half-${run}`, { waitingOnCustomer: { reminderAfterWorkingDays: 0.5, autoResolveAfterWorkingDays: 2 } }) });
  expect(res.status).toBe(400);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body.errors).toEqual([expect.objectContaining({ field: expect.stringMatching(/waitingOnCustomer\.reminderAfterWorkingDays$/), rule: 'invalid_type', message: expect.stringMatching(/int/i) })]);
  expect((await http('GET', `/v1/contracts/C-half-${run}`)).status).toBe(404);
});

test('waiting on the customer plans the reminder and the automatic resolution at the ends of working days 1 and 2', async () => {
  const created = await http('POST', '/v1/requests', { body: { subject: 'Licence server does not start', customerId, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('crm') } });
  expect(created.status).toBe(201);
  // The contract's term, pinned, with the catalogue's defaults for the rest.
  expect(created.body.policy).toMatchObject({ level: 'individual', contractId: `C-${run}`, calendar: { id: 'always-on', timezone: 'Europe/Moscow' } });
  expect(created.body.policy.lifecycle).toEqual({
    pauses: { waiting_on_customer: ['resolution'], waiting_on_third_party: [] },
    nextReply: null,
    waitingOnCustomer,
    replyAfterResolution: 'reopen',
  });
  const id = created.body.id;
  expect((await act(id, 'responses', { visibility: 'public', author: 'agent-3', body: 'Please send the licence server log' })).status).toBe(200);

  const waiting = await act(id, 'wait-on-customer', { author: 'agent-3', note: 'log requested' });
  expect(waiting.status).toBe(200);
  expect(waiting.body.state).toBe('waiting_on_customer');
  const resolution = waiting.body.clocks.find((c: { kind: string }) => c.kind === 'resolution');
  expect(resolution).toMatchObject({ status: 'paused', pauses: [expect.objectContaining({ reason: 'waiting_on_customer', to: null })] });

  const events = (await http('GET', `/v1/requests/${id}/events`)).body.items as Event[];
  const waited = lastOf(events, 'waiting_on_customer');
  const since = Date.parse(waited.at);
  expect(since).toBe(Date.parse(resolution.pauses[0].from));
  expect(waited).toMatchObject({ data: { note: 'log requested', remindAt: endOfWorkingDaysAlwaysOn(since, 1), autoResolveAt: endOfWorkingDaysAlwaysOn(since, 2) } });
  // Sanity of the hand computation: midnights in Moscow, one and two days after the next one.
  expect(new Date((waited.data!.remindAt as number) + MOSCOW_OFFSET).toISOString()).toMatch(/T00:00:00\.000Z$/);
  expect((waited.data!.autoResolveAt as number) - (waited.data!.remindAt as number)).toBe(DAY);
  expect(waited.data!.remindAt as number).toBeGreaterThan(since + DAY);
  expect(waited.data!.remindAt as number).toBeLessThanOrEqual(since + 2 * DAY);
  // The request itself says when (ISO instants in the calendar's zone), for the desk.
  expect(Date.parse(waiting.body.remindCustomerAt)).toBe(endOfWorkingDaysAlwaysOn(since, 1));
  expect(Date.parse(waiting.body.autoResolveAt)).toBe(endOfWorkingDaysAlwaysOn(since, 2));
  expect(waiting.body.remindCustomerAt).toMatch(/\+03:00$/);

  // Nothing fires early: the request still waits, neither reminded nor resolved.
  const types = events.map((e) => e.type);
  expect(types).not.toContain('customer_reminded');
  expect(types).not.toContain('resolved');

  // The customer's reply resumes the clock; waiting again plans from the new instant.
  const replied = await act(id, 'customer-replies', { author: 'ivan', body: 'Log attached' });
  expect(replied.status).toBe(200);
  expect(replied.body.state).toBe('in_progress');
  expect(replied.body).toMatchObject({ remindCustomerAt: null, autoResolveAt: null });
  expect(replied.body.clocks.find((c: { kind: string }) => c.kind === 'resolution').status).toBe('running');
  expect((await act(id, 'wait-on-customer', { author: 'agent-3' })).status).toBe(200);
  const again = lastOf((await http('GET', `/v1/requests/${id}/events`)).body.items as Event[], 'waiting_on_customer');
  expect(Date.parse(again.at)).toBeGreaterThan(since);
  const since2 = Date.parse(again.at);
  expect(again.data).toEqual({ remindAt: endOfWorkingDaysAlwaysOn(since2, 1), autoResolveAt: endOfWorkingDaysAlwaysOn(since2, 2) });
});
