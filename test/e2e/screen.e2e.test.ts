// The desk's screen in a real browser (Debian's chromium driven by playwright-core) against the
// e2e stack: two API processes, two workers, the Temporal dev server, PostgreSQL. Each test
// waits on what a person sees (text, roles) and saves a screenshot under data/screenshots/.
import type { BrowserContext, Page } from 'playwright-core';
import { browserPerTest, signIn as signInWith } from './fixtures/browser';
import { adminKey, apiUrls, createKey, http, testDb, uniqueKey } from './helpers';
import { LISTENER_APPLICATION_NAME } from '../../db/pg-listener';
import { alwaysOnContract } from './fixtures/always-on-contract';

const run = uniqueKey('scr');
const ids = { product: `scr-prod-${run}`, a: `scr-a-${run}`, tiny: `scr-tiny-${run}`, b: `scr-b-${run}` };

/** The few browser globals the page functions below touch (the test compiles without the DOM lib). */
interface Win {
  document: { cookie: string; documentElement: { lang: string }; querySelector(sel: string): { textContent: string | null } | null };
  marker?: number;
}

let context: BrowserContext;
let page: Page;
browserPerTest((p, c) => {
  page = p;
  context = c;
});
let agentKey: string;
let scopedKey: string;

async function register(customerId: string, subject: string, opts: { api?: number; key?: string } = {}): Promise<string> {
  const res = await http('POST', '/v1/requests', {
    body: { subject, customerId, productId: ids.product, channel: 'supplier-email', category: 'defect-report', externalRef: uniqueKey('ext') },
    ...opts,
  });
  if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

beforeAll(async () => {
  expect((await http('POST', '/v1/products', { body: { id: ids.product, name: 'KOMPAS-3D', kind: 'commercial' } })).status).toBe(201);
  for (const id of [ids.a, ids.tiny, ids.b]) expect((await http('POST', '/v1/customers', { body: { id, name: `Customer ${id}` } })).status).toBe(201);
  // Individual contracts on the always-on calendar: hours-long targets, and a tiny one that breaches in seconds.
  expect((await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-a-${run}`, ids.a, 2, 12) })).status).toBe(201);
  expect((await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-tiny-${run}`, ids.tiny, 6 / 3600, 1) })).status).toBe(201);
  expect((await http('POST', '/v1/contracts', { body: alwaysOnContract(`C-b-${run}`, ids.b, 2, 12) })).status).toBe(201);
  agentKey = (await createKey('agent')).key;
  scopedKey = (await createKey('intake', ids.b)).key;
}, 120_000);

const signIn = (key: string, opts?: { live?: boolean }) => signInWith(page, key, opts);

const row = (id: string) => page.locator(`tr[data-id="${id}"]`);

test('sign-in exchanges the key for an httpOnly SameSite=Strict session; changes need the CSRF token; sign-out ends it', async () => {
  await page.goto('/ui/');
  await page.getByLabel('API key').fill('sla_key_not_a_real_key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'Sign-in failed' }).waitFor();

  await signIn(agentKey);
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'sla_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  // The page's script cannot read the session cookie.
  expect(await page.evaluate(() => (globalThis as unknown as Win).document.cookie)).not.toContain('sla_session');
  // A state-changing call riding on the cookie alone (what a forged cross-site form would be) is refused.
  const id = await register(ids.a, `CSRF probe ${run}`);
  const forged = await page.evaluate(async (rid) => {
    const r = await fetch(`/v1/requests/${rid}/responses`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ visibility: 'public', author: 'x', body: 'y' }) });
    return r.status;
  }, id);
  expect(forged).toBe(403);
  // The session holds on the other API process too (sessions live in PostgreSQL).
  const other = await fetch(`${apiUrls()[1]}/ui/session`, { headers: { cookie: `sla_session=${cookie!.value}` } });
  expect(other.status).toBe(200);
  expect(((await other.json()) as { principal: { role: string } }).principal.role).toBe('agent');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const after = await fetch(`${apiUrls()[1]}/ui/api/board`, { headers: { cookie: `sla_session=${cookie!.value}` } });
  expect(after.status).toBe(401);
});

test('revoking the key ends its browser sessions at once, on every API process', async () => {
  const { id, key } = await createKey('operations');
  await signIn(key);
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'sla_session');
  const board = (api: number) => fetch(`${apiUrls()[api]}/ui/api/board`, { headers: { cookie: `sla_session=${cookie!.value}` } });
  expect((await board(1)).status).toBe(200);
  expect((await http('DELETE', `/v1/api-keys/${id}`, { api: 0 })).status).toBe(200);
  expect((await board(1)).status).toBe(401);
  expect((await board(0)).status).toBe(401);
  // The open page notices at its next read (a push, the minute tick, or here a move to another
  // view without a reload) and asks to sign in again.
  await page.evaluate(() => ((globalThis as unknown as { location: { hash: string } }).location.hash = '#/calendars'));
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
});

test('a request registered on the other API process appears on the open board within 2 s, and its countdown moves', async () => {
  await signIn(adminKey());
  const subject = `Live board ${run}`;
  const id = await register(ids.a, subject, { api: 1 });
  await row(id).getByText(subject).waitFor({ timeout: 2_000 });
  const countdown = row(id).locator('.countdown[data-clock="first_response"]');
  const before = await countdown.textContent();
  expect(before).toMatch(/^\d+:\d\d:\d\d left$/);
  await page.waitForFunction(
    ([rid, prev]) => (globalThis as unknown as Win).document.querySelector(`tr[data-id="${rid}"] .countdown[data-clock="first_response"]`)?.textContent !== prev,
    [id, before] as const,
    { timeout: 5_000 },
  );
  // Due instants are shown in the calendar's zone, named.
  expect(await row(id).locator('time').first().textContent()).toMatch(/UTC|GMT/);
});

test('when the listening connections drop, each API process reconnects and the open board catches up', async () => {
  await signIn(adminKey());
  const db = testDb();
  try {
    // The process's one listening connection (db/pg-listener.ts), shared with key changes.
    const listeners = () => db('pg_stat_activity').where('application_name', LISTENER_APPLICATION_NAME).select('pid');
    const before = await listeners();
    expect(before.length).toBeGreaterThanOrEqual(1);
    await db.raw('select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?', [LISTENER_APPLICATION_NAME]);
    const id = await register(ids.a, `After a reconnect ${run}`);
    // The page re-reads on the resync that follows the reconnect, or on the next notification.
    await row(id).waitFor({ timeout: 10_000 });
    for (let i = 0; (await listeners()).length < before.length; i++) {
      if (i > 100) throw new Error('the API processes did not LISTEN again');
      await page.waitForTimeout(100);
    }
    const again = await register(ids.a, `Pushed after the reconnect ${run}`);
    await row(again).waitFor({ timeout: 2_000 });
  } finally {
    await db.destroy();
  }
});

test('a request on a tiny target turns breached on the open board without a reload', async () => {
  await signIn(adminKey());
  await page.evaluate(() => ((globalThis as unknown as Win).marker = 42));
  const id = await register(ids.tiny, `Tiny target ${run}`);
  await row(id).waitFor({ timeout: 2_000 });
  await row(id).locator('.badge.breached', { hasText: 'Breached' }).waitFor({ timeout: 60_000 });
  await row(id).locator('.countdown[data-tone="breached"]', { hasText: 'overdue' }).first().waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as Win).marker)).toBe(42);
});

test('filters: level, customer, text and breached narrow the board', async () => {
  const subjectA = `Filter A ${run}`;
  const subjectB = `Filter B ${run}`;
  const a = await register(ids.a, subjectA);
  const b = await register(ids.b, subjectB);
  await signIn(adminKey());
  await row(a).waitFor();
  await row(b).waitFor();
  await page.getByLabel('Customer').fill(ids.a);
  await page.getByLabel('Level').selectOption('individual');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/customerId=/);
  await row(a).waitFor();
  await row(b).waitFor({ state: 'detached' });
  await page.getByLabel('Search').fill('nothing-matches-this');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByText('No requests match.').waitFor();
  await page.getByRole('button', { name: 'Reset' }).click();
  await page.getByLabel('Breached only').check();
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.waitForURL(/breached=true/);
  await page.getByText(/shown by filter/).waitFor();
  expect(await row(a).count()).toBe(0);
});

test('a customer-scoped key sees its own requests and nothing of another customer', async () => {
  const other = await register(ids.a, `Not yours ${run}`);
  const own = await register(ids.b, `Yours ${run}`, { key: scopedKey });
  await signIn(scopedKey);
  await row(own).waitFor();
  expect(await row(other).count()).toBe(0);
  // Pushed changes of another customer's requests never reach this board either.
  const later = await register(ids.a, `Still not yours ${run}`);
  const ownLater = await register(ids.b, `Yours too ${run}`, { key: scopedKey });
  await row(ownLater).waitFor({ timeout: 2_000 });
  expect(await row(later).count()).toBe(0);
  await page.goto(`/ui/#/requests/${other}`);
  await page.getByRole('alert').filter({ hasText: 'does not exist' }).waitFor();
  // Only this customer's requests, whatever filter the page asks for.
  const board = (await page.evaluate(async (c) => (await fetch(`/ui/api/board?customerId=${c}`)).json(), ids.a)) as { items: unknown[] };
  expect(board.items).toEqual([]);
});

test('the request page shows clocks, the policy in words and the timeline with the workflow history on request; an agent replies from it', async () => {
  const subject = `Request page ${run}`;
  const id = await register(ids.a, subject);
  await signIn(agentKey);
  await row(id).getByRole('link').click();
  await page.getByRole('heading', { name: subject }).waitFor();
  await page.getByText('First response within 2 working hours.').waitFor();
  const timeline = page.getByRole('list', { name: 'Timeline' });
  await timeline.locator('li.domain', { hasText: 'registered' }).first().waitFor();
  // The workflow's own events are behind the switch (screen-request.e2e.test.ts covers it in full).
  await page.getByLabel('Show workflow events (Temporal)').check();
  await timeline.locator('li.temporal').first().waitFor();
  await page.locator('td.countdown[data-clock="first_response"]', { hasText: 'left' }).waitFor();

  await page.getByLabel('Action', { exact: true }).selectOption('reply');
  await page.getByLabel('Reply text').fill('Please send the log');
  await page.getByRole('button', { name: 'Reply to the customer' }).click();
  await page.getByRole('status').filter({ hasText: 'Done: the request is now in progress.' }).waitFor();
  await page.locator('td.countdown[data-clock="first_response"]', { hasText: 'met' }).waitFor();
  await timeline.locator('li.domain', { hasText: 'replied' }).first().waitFor();
  // Only what the state allows is offered: an open request cannot be reopened.
  await page.locator('#action-kind option[value="wait_on_customer"]').waitFor({ state: 'attached' });
  expect(await page.locator('#action-kind option[value="reopen"]').count()).toBe(0);
});

test('in a phone-wide window the board shows each request as a card and no page scrolls sideways', async () => {
  const id = await register(ids.a, `Narrow ${run}`);
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(adminKey());
  const clocks = row(id).locator('td.clocks');
  await clocks.getByText('First response').waitFor();
  // How far the page is wider than the window (the test compiles without the DOM lib).
  const overflow = () => page.evaluate(() => {
    const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
    return d.scrollWidth - d.clientWidth;
  });
  expect(await overflow()).toBeLessThanOrEqual(0);
  // The clocks take the card's width, not a squeezed column of single words.
  // (Measured inside the page: a push may redraw the row at any moment.)
  const clocksWidth = () =>
    page.evaluate((rid) => {
      const doc = (globalThis as unknown as { document: { querySelector(sel: string): { getBoundingClientRect(): { width: number } } | null } }).document;
      return doc.querySelector(`tr[data-id="${rid}"] td.clocks`)?.getBoundingClientRect().width ?? 0;
    }, id);
  let width = 0;
  for (let i = 0; i < 20 && width === 0; i++) {
    width = await clocksWidth();
    if (width === 0) await page.waitForTimeout(100);
  }
  expect(width).toBeGreaterThan(300);
  // Each cell says what it is once the column headings are out of sight.
  await row(id).locator('td.level[data-label="Level"]').waitFor();
  // The request page's wide tables scroll inside their box; the page keeps the window's width.
  await row(id).getByRole('link').click();
  await page.getByRole('heading', { name: `Narrow ${run}` }).waitFor();
  await page.locator('td.countdown[data-clock="first_response"]').waitFor();
  expect(await overflow()).toBeLessThanOrEqual(0);
});

test('a report chart renders with its table and the CSV link', async () => {
  await register(ids.a, `Report ${run}`);
  await signIn(adminKey());
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'SLA compliance' }).waitFor();
  await page.locator('canvas#report-chart[data-rendered="true"]').waitFor();
  await page.getByRole('row', { name: /individual/ }).first().waitFor();
  const href = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  const csv = await page.evaluate(async (u) => (await fetch(u!)).text(), href);
  const [header, first] = csv.split('\n');
  expect(header).toMatch(/^group_by,group,requests/);
  expect(first).toMatch(/^level,/);
});

test('calendars: a month view and a what-if with its reasons', async () => {
  await signIn(adminKey());
  await page.goto('/ui/#/calendars?id=supplier&month=2026-12');
  await page.getByRole('table', { name: /supplier 2026-12/ }).waitFor();
  await page.getByRole('cell', { name: /holiday|day off/ }).first().waitFor();
  await page.getByLabel('Registered at (calendar time)').fill('2026-12-31T17:00');
  await page.getByLabel('Target, working hours').fill('8');
  await page.getByRole('button', { name: 'Compute' }).click();
  await page.getByText(/is due at .*2027/).waitFor();
});

test('a calendar change shows on the board: its re-plan of the open requests, with the count, at a time in the calendar\'s zone', async () => {
  const calendarId = `scr-cal-${run}`;
  const customerId = `scr-replan-${run}`;
  const allDay = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
  // Not the browser's zone (UTC here): the banner must say the calendar's, as the deadlines do.
  expect((await http('PUT', `/v1/calendars/${calendarId}`, { body: { timezone: 'Asia/Novosibirsk', week: allDay } })).status).toBe(201);
  expect((await http('POST', '/v1/customers', { body: { id: customerId, name: 'Re-plan customer' } })).status).toBe(201);
  const contract = alwaysOnContract(`C-replan-${run}`, customerId, 2, 12);
  expect((await http('POST', '/v1/contracts', { body: { ...contract, sla: { ...contract.sla, calendarId } } })).status).toBe(201);
  for (const subject of ['first', 'second']) await register(customerId, `re-plan ${subject}`);

  await signIn(adminKey());
  const holiday = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const added = await http('POST', `/v1/calendars/${calendarId}/versions`, {
    body: { effectiveFrom: new Date().toISOString(), author: 'ops', addExceptions: { holidays: [holiday] } },
    headers: { prefer: 'respond-async' },
  });
  expect(added.status).toBe(202);
  // Running (with its progress bar) or already finished: the board names the calendar, the version and the count.
  const banner = page.getByRole('status').filter({ hasText: `Calendar ${calendarId} changed (version ${added.body.version.id})` });
  await banner.getByText('2 open requests re-planned').waitFor({ timeout: 30_000 });
  await banner.getByText(/re-planned at .* GMT\+7\.$/).waitFor();
  // An agent's board does not ask for it (it counts every customer's requests).
  await context.clearCookies();
  await signIn(agentKey);
  expect(await page.getByText(`Calendar ${calendarId} changed`).count()).toBe(0);
});

test('the RU/EN switch translates the screen and is kept', async () => {
  await signIn(adminKey());
  await page.getByRole('button', { name: 'Переключить на русский язык' }).click();
  await page.getByRole('heading', { name: 'Открытые обращения' }).waitFor();
  expect(await page.evaluate(() => (globalThis as unknown as Win).document.documentElement.lang)).toBe('ru');
  await page.reload();
  await page.getByRole('heading', { name: 'Открытые обращения' }).waitFor();
  await page.getByRole('link', { name: 'Отчёты' }).waitFor();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { name: 'Open requests' }).waitFor();
});
