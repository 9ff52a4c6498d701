// The desk's screen for a person acting on requests, in a real browser (Debian's chromium driven
// by playwright-core) against the e2e stack: the request page offers only what the request's
// state allows (the API's `allowedActions`), tells the request's story in words (RU/EN) with the
// workflow's own events behind a switch, and the board flags requests at risk. Each test waits on
// what a person sees and saves a screenshot under data/screenshots/.
import type { Page } from 'playwright-core';
import { browserPerTest, signIn as signInWith } from './fixtures/browser';
import { adminKey, createKey, http, uniqueKey } from './helpers';
import { alwaysOnContract } from './fixtures/always-on-contract';

const run = uniqueKey('scq');
const product = `scq-prod-${run}`;
const customer = `scq-c-${run}`;
const MINUTE = 60_000;

let page: Page;
browserPerTest((p) => {
  page = p;
});
let agentKey: string;

async function register(subject: string, receivedAgoMs?: number, extra: Record<string, unknown> = {}): Promise<string> {
  const receivedAt = receivedAgoMs === undefined ? {} : { receivedAt: new Date(Date.now() - receivedAgoMs).toISOString() };
  const res = await http('POST', '/v1/requests', {
    body: { subject, customerId: customer, productId: product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('ext'), ...receivedAt, ...extra },
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

async function act(id: string, path: string, body: Record<string, unknown>): Promise<void> {
  const res = await http('POST', `/v1/requests/${id}/${path}`, { body: { author: 'agent-7', ...body } });
  if (res.status !== 200) throw new Error(`${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
}

const allowedByApi = async (id: string): Promise<string[]> => (await http('GET', `/v1/requests/${id}`)).body.allowedActions;

beforeAll(async () => {
  expect((await http('POST', '/v1/products', { body: { id: product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: customer, name: `Customer ${customer}` } })).status).toBe(201);
  // Always-on calendar: first response in 2 h, warnings at 75 % and 90 % of it (the catalogue's).
  expect((await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-scq-${run}`, customer, 2, 12) })).status).toBe(201);
  agentKey = (await createKey('agent')).key;
}, 120_000);

const signIn = (key: string, opts?: { live?: boolean }) => signInWith(page, key, opts);

async function openRequest(id: string) {
  await page.goto(`/ui/#/requests/${id}`);
  await page.locator('h1 .rid', { hasText: id }).waitFor();
}

const offered = () => page.locator('#action-kind option').evaluateAll((options) => options.map((o) => (o as unknown as { value: string }).value));
const option = (action: string) => page.locator(`#action-kind option[value="${action}"]`);
const row = (id: string) => page.locator(`tr[data-id="${id}"]`);

test('the request page offers only the actions its state allows, the same list as the API, from registration to closing', async () => {
  const id = await register(`Actions follow the state ${run}`);
  await signIn(agentKey);
  await openRequest(id);
  await option('reply').waitFor({ state: 'attached' });
  expect(await offered()).toEqual(['reply', 'note', 'customer_reply', 'resolve', 'cancel', 'assign', 'set_priority']);
  expect(await offered()).toEqual(await allowedByApi(id));

  await page.getByLabel('Action', { exact: true }).selectOption('reply');
  await page.getByLabel('Reply text').fill('Please send the log');
  await page.getByRole('button', { name: 'Reply to the customer' }).click();
  await page.getByRole('status').filter({ hasText: 'now in progress' }).waitFor();
  await option('wait_on_customer').waitFor({ state: 'attached' });
  expect(await offered()).toEqual(await allowedByApi(id));
  // What was sent is not left in the box to be sent twice.
  expect(await page.getByLabel('Reply text').inputValue()).toBe('');

  await page.getByLabel('Action', { exact: true }).selectOption('resolve');
  await page.getByLabel('Resolution summary').fill('Fixed in 24.1');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.getByRole('status').filter({ hasText: 'now resolved' }).waitFor();
  await option('close').waitFor({ state: 'attached' });
  expect(await offered()).toEqual(['note', 'customer_reply', 'close', 'reopen', 'assign']);
  expect(await offered()).toEqual(await allowedByApi(id));

  await page.getByLabel('Action', { exact: true }).selectOption('close');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('status').filter({ hasText: 'now closed' }).waitFor();
  await option('close').waitFor({ state: 'detached' });
  expect(await offered()).toEqual(['customer_reply', 'reopen']);
  expect(await offered()).toEqual(await allowedByApi(id));
  // The operations list carries the same list.
  const listed = (await http('GET', `/v1/requests?customerId=${customer}&state=closed`)).body.items.find((i: { id: string }) => i.id === id);
  expect(listed.allowedActions).toEqual(['customer_reply', 'reopen']);
});

test('an action whose pushed update redraws the form before its answer arrives still reports success', async () => {
  const id = await register(`Push before answer ${run}`);
  await act(id, 'resolve', { summary: 'Fixed' });
  await signIn(agentKey);
  await openRequest(id);
  await option('close').waitFor({ state: 'attached' });
  // Hold the answer until the push of the change has made the page offer what a closed request allows.
  await page.route(`**/v1/requests/${id}/close`, async (route) => {
    const response = await route.fetch();
    await option('close').waitFor({ state: 'detached' });
    await route.fulfill({ response });
  });
  await page.getByLabel('Action', { exact: true }).selectOption('close');
  await page.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('status').filter({ hasText: 'now closed' }).waitFor();
  expect(await page.locator('form.actions [role="alert"]').count()).toBe(0);
});

test('sending an action again after its answer was lost records it once (the same Idempotency-Key)', async () => {
  const id = await register(`Lost answer ${run}`);
  await signIn(agentKey);
  await openRequest(id);
  await option('note').waitFor({ state: 'attached' });
  // The first send reaches the server and is applied, but its answer never reaches the page.
  const keys: string[] = [];
  await page.route(`**/v1/requests/${id}/responses`, async (route) => {
    keys.push(route.request().headers()['idempotency-key'] ?? '');
    if (keys.length === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else await route.continue();
  });
  await page.getByLabel('Action', { exact: true }).selectOption('note');
  await page.getByLabel('Note text').fill('Called the customer back');
  await page.getByRole('button', { name: 'Internal note' }).click();
  await page.locator('form.actions [role="alert"]').waitFor();
  // The agent sends it again, as they would.
  await page.getByRole('button', { name: 'Internal note' }).click();
  // (A note changes nothing but the timeline: the request is still registered.)
  await page.getByRole('status').filter({ hasText: 'now registered' }).waitFor();

  expect(keys).toHaveLength(2);
  expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
  expect(keys[1]).toBe(keys[0]);
  const events = (await http('GET', `/v1/requests/${id}/events`)).body.items.filter((e: { type: string }) => e.type === 'internal_note');
  expect(events).toHaveLength(1);
});

test('a cancelled request offers nothing and says why', async () => {
  const id = await register(`Cancelled ${run}`);
  await signIn(agentKey);
  await openRequest(id);
  await page.getByLabel('Action', { exact: true }).selectOption('cancel');
  await page.getByLabel('Reason').selectOption('duplicate');
  await page.getByRole('button', { name: 'Cancel the request' }).click();
  await page.getByText('Nothing can be done to this request in its current state (cancelled).').waitFor();
  expect(await page.getByLabel('Action', { exact: true }).isVisible()).toBe(false);
  expect(await allowedByApi(id)).toEqual([]);
  await page.getByRole('list', { name: 'Timeline' }).locator('li', { hasText: 'Cancelled: duplicate' }).waitFor();
});

test('an action the request stopped allowing meanwhile is refused with the reason, and the page then offers what it allows now', async () => {
  // No pushed updates: the page keeps what it read, as it would between a change and its push.
  await page.route('**/ui/events', (r) => r.abort());
  const id = await register(`Changed meanwhile ${run}`);
  await signIn(agentKey, { live: false });
  await openRequest(id);
  await option('resolve').waitFor({ state: 'attached' });
  await act(id, 'resolve', { summary: 'Resolved by a colleague' });
  await page.getByLabel('Action', { exact: true }).selectOption('resolve');
  await page.getByLabel('Resolution summary').fill('Me too');
  await page.getByRole('button', { name: 'Resolve' }).click();
  await page.getByRole('alert').filter({ hasText: 'already resolved' }).waitFor();
  await option('close').waitFor({ state: 'attached' });
  expect(await option('resolve').count()).toBe(0);
  // The refusal stays on screen to be read.
  expect(await page.getByRole('alert').filter({ hasText: 'already resolved' }).isVisible()).toBe(true);
});

test("the timeline tells the request's story in words; workflow events are behind a remembered switch; in Russian too", async () => {
  const id = await register(`Timeline in words ${run}`, undefined, { description: 'Dimensions vanish.\nSteps: open any .cdw from 2022.', reporter: 'petrov@acme.example' });
  await act(id, 'responses', { visibility: 'public', body: 'Please send the log' });
  await act(id, 'responses', { visibility: 'internal', body: 'Looks like the STEP exporter' });
  await signIn(agentKey);
  await openRequest(id);
  // What the customer wrote, and who, come first.
  await page.locator('p.description', { hasText: 'Steps: open any .cdw from 2022.' }).waitFor();
  await page.locator('dl.meta dd', { hasText: 'petrov@acme.example' }).waitFor();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await timeline.locator('li', { hasText: 'Registered on the individual level' }).waitFor();
  await timeline.locator('li', { hasText: 'Replied to the customer' }).filter({ hasText: 'Please send the log' }).waitFor();
  await timeline.locator('li', { hasText: 'Internal note' }).filter({ hasText: 'Looks like the STEP exporter' }).waitFor();
  // The registration names its deadlines in the calendar's time.
  expect(await timeline.locator('li', { hasText: 'Registered on' }).textContent()).toMatch(/First response due .*GMT\+3/);
  // No raw event names and no workflow events by default.
  expect(await timeline.locator('li.temporal').count()).toBe(0);
  expect(await timeline.textContent()).not.toMatch(/WorkflowExecutionStarted|internal_note|\breplied\b/);

  const toggle = page.getByLabel('Show workflow events (Temporal)');
  await toggle.check();
  await timeline.locator('li.temporal', { hasText: 'WorkflowExecutionStarted' }).waitFor();
  await page.reload();
  await timeline.locator('li.temporal').first().waitFor();
  expect(await page.getByLabel('Show workflow events (Temporal)').isChecked()).toBe(true);
  await page.getByLabel('Show workflow events (Temporal)').uncheck();
  await timeline.locator('li.temporal').first().waitFor({ state: 'detached' });

  await page.getByRole('button', { name: 'Переключить на русский язык' }).click();
  const ru = page.getByRole('list', { name: 'Хронология' });
  await ru.locator('li', { hasText: 'Зарегистрировано, уровень «индивидуальный»' }).waitFor();
  await ru.locator('li', { hasText: 'Ответ клиенту' }).waitFor();
  await ru.locator('li', { hasText: 'Внутренняя заметка' }).waitFor();
  await page.getByLabel('Показать события процесса (Temporal)').waitFor();
  await page.getByLabel('Действие', { exact: true }).waitFor();
});

test('the board flags a request at risk (a warning fired or missed, the deadline still ahead), and only that one', async () => {
  const fresh = await register(`Fresh ${run}`);
  // Received 100 min ago on a 2 h target: its 75 % warning (at 90 min) passed before registration.
  const missed = await register(`Warning missed ${run}`, 100 * MINUTE);
  // Its 75 % warning falls due seconds from now: the open board flips without a reload.
  const soon = await register(`Warning soon ${run}`, 90 * MINUTE - 5_000);
  await signIn(adminKey());
  await row(missed).waitFor();
  await row(fresh).waitFor();
  const badge = (id: string) => row(id).locator('.badge.risk', { hasText: 'At risk' });
  await badge(missed).waitFor();
  expect(await row(missed).getAttribute('class')).toContain('risk');
  expect(await row(missed).locator('.countdown[data-clock="first_response"]').getAttribute('data-tone')).toBe('risk');
  expect(await badge(fresh).count()).toBe(0);
  expect(await row(fresh).locator('.countdown[data-clock="first_response"]').getAttribute('data-tone')).toBe('ok');
  await badge(soon).waitFor({ timeout: 60_000 });

  await page.getByLabel('At risk only').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/atRisk=true/);
  await row(fresh).waitFor({ state: 'detached' });
  await badge(missed).waitFor();

  await page.getByRole('button', { name: 'Переключить на русский язык' }).click();
  await row(missed).locator('.badge.risk', { hasText: 'Под угрозой' }).waitFor();
});

test('a request handed to a third party stays on the open board, in words', async () => {
  const id = await register(`Handed to the developers ${run}`);
  await act(id, 'responses', { visibility: 'public', body: 'Passed to the developers' });
  await act(id, 'wait-on-third-party', { party: 'developers' });
  await signIn(agentKey);
  await row(id).getByText('waiting on a third party').waitFor();
  await page.getByLabel('State').selectOption('waiting_on_third_party');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/state=waiting_on_third_party/);
  await row(id).waitFor();
});
