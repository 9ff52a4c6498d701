// Notifications against the real PostgreSQL of the e2e stack, a loopback SMTP server and a
// loopback webhook receiver: the outbox is written once, each notification takes effect
// once through retries, rejections and a worker dying mid-delivery, and failures stay visible.
import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createNotificationActivities, type NotificationActivityDeps } from '../../activities/notifications';
import { claimOutboxRow, getOutboxRow, listOutbox, markOutboxAttemptFailed, upsertRecipient } from '../../db/queries/notifications';
import { createMailer, messageIdFor } from '../../notifications/email';
import type { NotificationIntent } from '../../notifications/types';
import { sendWebhook, signWebhook, verifyWebhookSignature } from '../../notifications/webhook';
import { startSmtpReceiver, type SmtpReceiver } from './fixtures/smtp-receiver';
import { startWebhookReceiver, type WebhookReceiver } from './fixtures/webhook-receiver';
import { testDb, uniqueKey } from './helpers';

const SECRET = 'e2e-webhook-secret-0123456789';
const FROM = 'SLA desk <sla@example.test>';

let db: Knex;
let smtp: SmtpReceiver;
let hooks: WebhookReceiver;
const logs: LogEntry[] = [];
const logger = new DefaultLogger('DEBUG', (entry) => logs.push(entry));

beforeAll(async () => {
  db = testDb();
  smtp = await startSmtpReceiver();
  hooks = await startWebhookReceiver(SECRET);
});
afterAll(async () => {
  await hooks?.close();
  await smtp?.close();
  await db?.destroy();
});

type Acts = ReturnType<typeof createNotificationActivities>;

function activities(overrides: Partial<NotificationActivityDeps> = {}): Acts {
  return createNotificationActivities({
    db,
    // The receiver listens on plain http on loopback: allowed only with this setting.
    webhook: { secret: SECRET, timeoutMs: 2000, allowHttpLoopback: true },
    smtp: { url: smtp.url, from: FROM, timeoutMs: 5000 },
    leaseMs: 10_000,
    ...overrides,
  });
}

/** Runs an activity function in a mocked activity context, as the worker would. */
function inActivity<P extends unknown[], R>(fn: (...args: P) => Promise<R>, attempt: number, ...args: P): Promise<R> {
  return new MockActivityEnvironment({ attempt }, { logger }).run(fn, ...args);
}

/** What Temporal's retry policy does, without the waiting: retries until success or a non-retryable failure. */
async function deliverWithRetries(acts: Acts, id: number, maxAttempts = 5): Promise<{ outcome: string; failures: ApplicationFailure[] }> {
  const failures: ApplicationFailure[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    try {
      return { outcome: await inActivity(acts.deliverNotification, attempt, id), failures };
    } catch (err) {
      if (!(err instanceof ApplicationFailure)) throw err;
      failures.push(err);
      if (err.nonRetryable) throw err;
    }
  }
  throw new Error(`not delivered after ${maxAttempts} attempts: ${failures.map((f) => f.message).join('; ')}`);
}

async function caught(p: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected the activity to fail');
}

/** A fresh directory recipient with a role unique to this test. */
async function recipient(channels: { email?: boolean; webhook?: boolean; path?: string } = {}) {
  const id = uniqueKey('rcpt');
  const role = uniqueKey('role');
  await upsertRecipient(db, {
    id,
    name: `Recipient ${id}`,
    roles: [role, 'team-lead-e2e'],
    email: channels.email ? `${id}@example.test` : null,
    webhookUrl: channels.webhook ? hooks.url(channels.path ?? `/${id}`) : null,
  });
  return { id, role, email: `${id}@example.test` };
}

const intent = (over: Partial<NotificationIntent> & Pick<NotificationIntent, 'idempotencyKey'>): NotificationIntent => ({
  kind: 'warning',
  subject: 'SR-1: first response due in 2 working hours',
  body: '75% of the first-response target has elapsed.',
  payload: { event: 'first_response.warning', threshold: 0.75 },
  ...over,
});

async function enqueueOne(acts: Acts, over: Partial<NotificationIntent> & Pick<NotificationIntent, 'idempotencyKey'>): Promise<number> {
  const ids = await inActivity(acts.enqueueNotifications, 1, [intent(over)]);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

const receiptsFor = (eventId: string) => hooks.receipts.filter((r) => r.eventId === eventId);

/** Waits (in PostgreSQL's time, which the claim uses) until a row's lease has run out. */
async function leaseOver(id: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const row = await db('notification_outbox').where({ id }).select(db.raw('lease_until < now() as over')).first();
    if (row?.over) return;
    if (Date.now() > deadline) throw new Error(`the lease of outbox row ${id} did not run out`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('notification outbox, signed webhooks and SMTP e-mail', () => {
  test('enqueueing the same intents twice writes one row per (recipient, channel)', async () => {
    const acts = activities();
    const both = await recipient({ email: true, webhook: true });
    const inactiveId = uniqueKey('gone');
    await upsertRecipient(db, { id: inactiveId, name: 'Gone', roles: [both.role], email: 'gone@example.test', active: false });
    const key = uniqueKey('SR-enq') + ':first_response:warning:0.75';
    const intents = [
      intent({
        idempotencyKey: key,
        roles: [both.role],
        // Same address as the directory entry (different case): still one e-mail row.
        recipients: [{ name: 'Dedicated engineer', email: both.email.toUpperCase() }, { name: 'Escalation desk', email: 'escalation@example.test' }],
      }),
    ];

    const first = await inActivity(acts.enqueueNotifications, 1, intents);
    const second = await inActivity(acts.enqueueNotifications, 2, intents);
    expect(second).toEqual(first);
    expect(first).toHaveLength(3);

    const rows = await db('notification_outbox').where({ intent_key: key }).orderBy('id');
    expect(rows.map((r) => [r.idempotency_key, r.channel, r.destination, r.status, r.attempts])).toEqual([
      [`${key}:${both.id}:email`, 'email', both.email, 'pending', 0],
      [`${key}:${both.id}:webhook`, 'webhook', hooks.url(`/${both.id}`), 'pending', 0],
      [`${key}:contact:escalation@example.test:email`, 'email', 'escalation@example.test', 'pending', 0],
    ]);
    expect(rows[0].payload).toEqual({ event: 'first_response.warning', threshold: 0.75 });
  });

  test('a malformed intent fails without retrying and writes nothing; a bad contact address becomes a visible failed row', async () => {
    const acts = activities();
    const key = uniqueKey('SR-bad');
    const failure = await caught(inActivity(acts.enqueueNotifications, 1, [intent({ idempotencyKey: key, recipients: [{ name: 'Nobody' }] })]));
    expect(failure).toMatchObject({ type: 'InvalidNotificationIntent', nonRetryable: true });
    expect(await db('notification_outbox').where({ intent_key: key })).toHaveLength(0);

    // Nobody to tell (e.g. no dedicated engineer on the contract): nothing to enqueue.
    expect(await inActivity(acts.enqueueNotifications, 1, [intent({ idempotencyKey: uniqueKey('SR-none'), roles: [uniqueKey('no-such-role')], recipientIds: [] })])).toEqual([]);

    const r = await recipient({ email: true });
    const mixed = uniqueKey('SR-mixed');
    const ids = await inActivity(acts.enqueueNotifications, 1, [intent({ idempotencyKey: mixed, roles: [r.role], recipients: [{ name: 'Typo', email: 'engineer@@example' }] })]);
    expect(ids).toHaveLength(2);
    const rows = await listOutbox(db, { requestId: undefined }).then((all) => all.filter((x) => x.intentKey === mixed).sort((a, b) => a.id - b.id));
    expect(rows.map((x) => [x.destination, x.status])).toEqual([
      [r.email, 'pending'],
      ['engineer@@example', 'failed'],
    ]);
    expect(rows[1]!.lastError).toMatch(/not a valid e-mail address \(contact "Typo"\)/);
    expect(await caught(inActivity(acts.deliverNotification, 1, rows[1]!.id))).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
  });

  test('a signed webhook is delivered once; delivering again after success sends nothing', async () => {
    const acts = activities();
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-wh'), roles: [r.role], kind: 'breach' });
    const row = (await getOutboxRow(db, id))!;

    expect(await inActivity(acts.deliverNotification, 1, id)).toBe('delivered');
    expect(await inActivity(acts.deliverNotification, 2, id)).toBe('already-delivered');

    const got = receiptsFor(row.idempotencyKey);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ verified: true, status: 204, body: { event: 'first_response.warning', threshold: 0.75 } });
    expect(got[0]!.signature).toBe(signWebhook(SECRET, row.idempotencyKey, got[0]!.timestamp, got[0]!.rawBody));
    expect(got[0]!.signature).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(hooks.applied.filter((e) => e === row.idempotencyKey)).toHaveLength(1);
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null, leaseUntil: null, deliveredAt: expect.any(Date) });
  });

  test('an e-mail is delivered once with a Message-ID derived from its idempotency key', async () => {
    const acts = activities();
    const r = await recipient({ email: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-mail'), roles: [r.role] });
    const row = (await getOutboxRow(db, id))!;

    expect(await inActivity(acts.deliverNotification, 1, id)).toBe('delivered');
    expect(await inActivity(acts.deliverNotification, 2, id)).toBe('already-delivered');

    const mails = smtp.messages.filter((m) => m.to.includes(r.email));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.header('message-id')).toBe(messageIdFor(row.idempotencyKey, FROM));
    expect(mails[0]!.header('message-id')).toMatch(/^<sla\.[0-9a-f]{40}@example\.test>$/);
    expect(mails[0]!.header('x-sla-event-id')).toBe(row.idempotencyKey);
    expect(mails[0]!.header('subject')).toBe(row.subject);
    expect(mails[0]!.from).toBe('sla@example.test');
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  test('receiver fails twice with 500, then accepts: one receipt takes effect, attempts = 3, the errors stay recorded', async () => {
    const acts = activities();
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-retry'), roles: [r.role] });
    const row = (await getOutboxRow(db, id))!;
    hooks.failNext(2, 500);

    const { outcome, failures } = await deliverWithRetries(acts, id);
    expect(outcome).toBe('delivered');
    expect(failures.map((f) => [f.type, f.nonRetryable])).toEqual([
      ['NotificationDeliveryFailed', false],
      ['NotificationDeliveryFailed', false],
    ]);
    expect(receiptsFor(row.idempotencyKey).map((x) => x.status)).toEqual([500, 500, 204]);
    expect(hooks.applied.filter((e) => e === row.idempotencyKey)).toHaveLength(1);
    const after = (await getOutboxRow(db, id))!;
    expect(after).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(after.lastError).toMatch(/^attempt 2 \(activity attempt 2\): webhook answered HTTP 500/);
  });

  test('429 with Retry-After is retried no sooner than the receiver asked', async () => {
    const acts = activities();
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-429'), roles: [r.role] });
    hooks.failNext(1, 429, { 'retry-after': '7' });
    const failure = await caught(inActivity(acts.deliverNotification, 1, id));
    expect(failure).toMatchObject({ nonRetryable: false, nextRetryDelay: 7000 });
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 429') });
    expect(await inActivity(acts.deliverNotification, 2, id)).toBe('delivered');
  });

  test('a permanent rejection (410) marks the row failed with the error visible, and is not retried', async () => {
    const acts = activities();
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-410'), roles: [r.role] });
    const row = (await getOutboxRow(db, id))!;
    hooks.failNext(1, 410);

    const failure = await caught(deliverWithRetries(acts, id));
    expect(failure).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    const failed = (await getOutboxRow(db, id))!;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, leaseUntil: null });
    expect(failed.lastError).toMatch(/HTTP 410: injected failure 410/);
    expect((await listOutbox(db, { status: 'failed' })).map((x) => x.id)).toContain(id);

    // Calling it again (a confused caller) sends nothing and reports the same rejection.
    expect(await caught(inActivity(acts.deliverNotification, 1, id))).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(receiptsFor(row.idempotencyKey)).toHaveLength(1);
  });

  test('SMTP 5xx is permanent, 4xx is retried', async () => {
    const acts = activities();
    const bounce = `bounce-${uniqueKey('x')}@example.test`;
    const later = `later-${uniqueKey('x')}@example.test`;
    smtp.rejectRecipient(bounce, 550);
    smtp.rejectRecipient(later, 451);
    const [bounceId, laterId] = await inActivity(acts.enqueueNotifications, 1, [
      intent({ idempotencyKey: uniqueKey('SR-550'), recipients: [{ name: 'Bounce', email: bounce }] }),
      intent({ idempotencyKey: uniqueKey('SR-451'), recipients: [{ name: 'Later', email: later }] }),
    ]);

    expect(await caught(inActivity(acts.deliverNotification, 1, bounceId!))).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });
    expect(await getOutboxRow(db, bounceId!)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/550/) });

    expect(await caught(inActivity(acts.deliverNotification, 1, laterId!))).toMatchObject({ nonRetryable: false });
    expect(await getOutboxRow(db, laterId!)).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/451/) });
  });

  test('a worker dies mid-delivery: the retry waits for the lease, then sends again and the receiver applies it once', async () => {
    const acts = activities({ leaseMs: 1500, webhook: { secret: SECRET, timeoutMs: 1000, allowHttpLoopback: true }, smtp: { url: smtp.url, from: FROM, timeoutMs: 1000 } });
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-crash'), roles: [r.role], kind: 'escalation' });

    // Attempt 1 on the doomed worker: claims the row, the receiver accepts, the worker dies
    // before recording it.
    const claimed = (await claimOutboxRow(db, id, 1500))!;
    expect(claimed).toMatchObject({ status: 'sending', attempts: 1 });
    await sendWebhook({ url: claimed.destination, eventId: claimed.idempotencyKey, payload: claimed.payload }, { secret: SECRET, timeoutMs: 1000, urlPolicy: { allowHttpLoopback: true } });

    // Temporal retries; while the dead attempt's lease runs, the retry neither sends nor steals the row.
    const held = await caught(inActivity(acts.deliverNotification, 2, id));
    expect(held).toMatchObject({ type: 'NotificationLeaseHeld', nonRetryable: false });
    expect(Number(held.nextRetryDelay)).toBeGreaterThanOrEqual(1000);
    expect(receiptsFor(claimed.idempotencyKey)).toHaveLength(1);

    await leaseOver(id);
    expect(await inActivity(acts.deliverNotification, 3, id)).toBe('delivered');

    const got = receiptsFor(claimed.idempotencyKey);
    expect(got).toHaveLength(2); // sent twice at the transport level…
    expect(got.every((x) => x.verified && x.status === 204)).toBe(true);
    expect(hooks.applied.filter((e) => e === claimed.idempotencyKey)).toHaveLength(1); // …applied once
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  test('an e-mail re-sent after a crash carries the same Message-ID', async () => {
    const acts = activities({ leaseMs: 1500, webhook: { secret: SECRET, timeoutMs: 1000, allowHttpLoopback: true }, smtp: { url: smtp.url, from: FROM, timeoutMs: 1000 } });
    const r = await recipient({ email: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-crash-mail'), roles: [r.role] });
    expect(await claimOutboxRow(db, id, 1)).toBeDefined(); // the doomed attempt's lease: already over
    const row = (await getOutboxRow(db, id))!;
    await createMailer({ url: smtp.url, from: FROM, timeoutMs: 1000 }).send({ to: row.destination, subject: row.subject, text: row.body, eventId: row.idempotencyKey });
    await leaseOver(id);

    expect(await inActivity(acts.deliverNotification, 2, id)).toBe('delivered');
    const ids = smtp.messages.filter((m) => m.to.includes(r.email)).map((m) => m.header('message-id'));
    expect(ids).toEqual([messageIdFor(row.idempotencyKey, FROM), messageIdFor(row.idempotencyKey, FROM)]);
  });

  test('a hanging receiver times out; the attempt is recorded and the next one delivers', async () => {
    const acts = activities({ leaseMs: 2000, webhook: { secret: SECRET, timeoutMs: 300, allowHttpLoopback: true }, smtp: { url: smtp.url, from: FROM, timeoutMs: 1000 } });
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-hang'), roles: [r.role] });
    hooks.hangNext(1);

    const { outcome, failures } = await deliverWithRetries(acts, id);
    expect(outcome).toBe('delivered');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.message).toMatch(/timed out after 300 ms/);
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'delivered', attempts: 2, lastError: expect.stringMatching(/timed out/) });
  });

  test('a late failure report from a superseded attempt does not overwrite the current claim', async () => {
    const acts = activities();
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-fence'), roles: [r.role] });
    await claimOutboxRow(db, id, 1); // attempt 1 (lease over at once)
    await leaseOver(id);
    const second = (await claimOutboxRow(db, id, 60_000))!; // attempt 2 takes over
    expect(second.attempts).toBe(2);
    expect(await markOutboxAttemptFailed(db, id, 1, 'zombie says: failed')).toBe(false);
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'sending', attempts: 2, lastError: null });
  });

  test('without WEBHOOK_SIGNING_SECRET nothing is sent unsigned; the reason is on the row', async () => {
    const acts = activities({ webhook: { secret: undefined, timeoutMs: 2000, allowHttpLoopback: true } });
    const r = await recipient({ webhook: true });
    const id = await enqueueOne(acts, { idempotencyKey: uniqueKey('SR-nosecret'), roles: [r.role] });
    const row = (await getOutboxRow(db, id))!;
    const failure = await caught(inActivity(acts.deliverNotification, 1, id));
    expect(failure).toMatchObject({ type: 'NotificationMisconfigured', nonRetryable: false });
    expect(await getOutboxRow(db, id)).toMatchObject({ status: 'pending', attempts: 0, lastError: expect.stringMatching(/WEBHOOK_SIGNING_SECRET/) });
    expect(receiptsFor(row.idempotencyKey)).toHaveLength(0);
    await expect(sendWebhook({ url: row.destination, eventId: 'x', payload: {} }, { secret: undefined, timeoutMs: 1000 })).rejects.toThrow(/never sent unsigned/);
  });

  test('when the workflow gives up, the row is failed with the reason; a delivered row is left alone', async () => {
    const acts = activities();
    const r = await recipient({ email: true, webhook: true });
    const [mailId, hookId] = await inActivity(acts.enqueueNotifications, 1, [intent({ idempotencyKey: uniqueKey('SR-giveup'), roles: [r.role] })]);
    expect(await inActivity(acts.deliverNotification, 1, mailId!)).toBe('delivered');
    hooks.failNext(1, 503);
    await caught(inActivity(acts.deliverNotification, 1, hookId!));

    await inActivity(acts.markNotificationFailed, 1, hookId!, 'activity retries exhausted: webhook answered HTTP 503');
    await inActivity(acts.markNotificationFailed, 1, mailId!, 'should not apply');
    expect(await getOutboxRow(db, hookId!)).toMatchObject({ status: 'failed', lastError: 'gave up after 1 attempt(s): activity retries exhausted: webhook answered HTTP 503' });
    expect(await getOutboxRow(db, mailId!)).toMatchObject({ status: 'delivered', lastError: null });
  });

  test('notifications of a request are listed for the ops view and go with the request', async () => {
    const acts = activities();
    const requestId = uniqueKey('SR-ops');
    await db('support_requests').insert({
      id: requestId,
      request_key: requestId,
      workflow_id: `support-request-${requestId}`,
      subject: 'Ops view',
      state: 'registered',
      registered_at: new Date(),
      revision: 1,
    });
    const r = await recipient({ email: true });
    const id = await enqueueOne(acts, { idempotencyKey: `${requestId}:first_response:breach`, requestId, kind: 'breach', roles: [r.role] });
    expect((await listOutbox(db, { requestId })).map((x) => [x.id, x.kind, x.status])).toEqual([[id, 'breach', 'pending']]);

    const recipients = await inActivity(acts.resolveRecipients, 1, { roles: [r.role], recipientIds: [r.id] });
    expect(recipients).toEqual([{ id: r.id, name: `Recipient ${r.id}`, roles: [r.role, 'team-lead-e2e'], hasEmail: true, hasWebhook: false, quietCalendarId: null }]);

    await db('support_requests').where({ id: requestId }).delete();
    expect(await getOutboxRow(db, id)).toBeUndefined();
  });

  test('signature verification covers the event id, the timestamp and the body; rejects a wrong secret and stale timestamps', () => {
    const now = Date.now();
    const timestamp = String(Math.floor(now / 1000));
    const eventId = 'SR-1:first_response:breach:lead:webhook';
    const rawBody = JSON.stringify({ event: 'breach', requestId: 'SR-1' });
    const signature = signWebhook(SECRET, eventId, timestamp, rawBody);
    const got = { eventId, timestamp, signature, rawBody };
    expect(verifyWebhookSignature(SECRET, got, 300_000, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, { ...got, rawBody: Buffer.from(rawBody) }, 300_000, now)).toBe(true);
    expect(verifyWebhookSignature(SECRET, { ...got, rawBody: rawBody.replace('SR-1', 'SR-2') }, 300_000, now)).toBe(false);
    // A captured delivery replayed under a new event id (to pass the receiver's dedupe) fails.
    expect(verifyWebhookSignature(SECRET, { ...got, eventId: `${eventId}-replay` }, 300_000, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...got, eventId: undefined }, 300_000, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret-0123456789', got, 300_000, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...got, timestamp: String(Number(timestamp) + 1) }, 300_000, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, got, 300_000, now + 301_000)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...got, signature: 'v1=zz' }, 300_000, now)).toBe(false);
    expect(verifyWebhookSignature(SECRET, { ...got, signature: undefined }, 300_000, now)).toBe(false);
    // The old scheme (sha256= over "<timestamp>.<body>", no event id) is not accepted.
    const old = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest('hex')}`;
    expect(verifyWebhookSignature(SECRET, { ...got, signature: old }, 300_000, now)).toBe(false);
    // Several signatures (secret rotation): any match verifies.
    expect(verifyWebhookSignature(SECRET, { ...got, signature: `${signWebhook('old-secret-0123456789', eventId, timestamp, rawBody)}, ${signature}` }, 300_000, now)).toBe(true);
  });

  test('plain http webhook targets are refused unless loopback is explicitly allowed; nothing is sent', async () => {
    const httpsOnly = activities({ webhook: { secret: SECRET, timeoutMs: 2000 } });
    const r = await recipient({ webhook: true });
    const key = uniqueKey('SR-http');
    const ids = await inActivity(httpsOnly.enqueueNotifications, 1, [intent({ idempotencyKey: key, roles: [r.role] })]);
    expect(ids).toHaveLength(1);
    const row = (await getOutboxRow(db, ids[0]!))!;
    expect(row).toMatchObject({ channel: 'webhook', status: 'failed', lastError: expect.stringMatching(/webhookUrl "http:\/\/127\.0\.0\.1:\d+\/.*" refused \(https_required\).*WEBHOOK_ALLOW_HTTP_LOOPBACK/) });
    expect(await caught(inActivity(httpsOnly.deliverNotification, 1, row.id))).toMatchObject({ type: 'NotificationRejected', nonRetryable: true });

    // A non-loopback http target is refused even with the setting: by the directory's check
    // constraint, at enqueue (a contact's URL) and at send.
    await expect(upsertRecipient(db, { id: uniqueKey('rcpt'), name: 'Remote', roles: [r.role], webhookUrl: 'http://hooks.example.test/sla' })).rejects.toMatchObject({
      constraint: 'notification_recipients_webhook_https_ck',
    });
    await expect(upsertRecipient(db, { id: uniqueKey('rcpt'), name: 'Trick', roles: [r.role], webhookUrl: 'http://127.0.0.1@hooks.example.test/sla' })).rejects.toMatchObject({
      constraint: 'notification_recipients_webhook_https_ck',
    });
    const allowed = activities();
    const [remoteId] = await inActivity(allowed.enqueueNotifications, 1, [
      intent({ idempotencyKey: uniqueKey('SR-http-remote'), recipients: [{ name: 'Remote', webhookUrl: 'http://hooks.example.test/sla' }] }),
    ]);
    expect(await getOutboxRow(db, remoteId!)).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/webhookUrl "http:\/\/hooks\.example\.test\/sla" refused \(https_required\).*\(contact "Remote"\)/) });
    await expect(sendWebhook({ url: 'http://hooks.example.test/sla', eventId: 'e1', payload: {} }, { secret: SECRET, timeoutMs: 1000, urlPolicy: { allowHttpLoopback: true } })).rejects.toMatchObject({
      permanent: true,
      message: expect.stringMatching(/must use https/),
    });
    await expect(sendWebhook({ url: hooks.url('/x'), eventId: 'e2', payload: {} }, { secret: SECRET, timeoutMs: 1000 })).rejects.toMatchObject({ permanent: true });
    expect(receiptsFor('e1')).toHaveLength(0);
    expect(receiptsFor('e2')).toHaveLength(0);
    expect(receiptsFor(row.idempotencyKey)).toHaveLength(0);
  });
});
