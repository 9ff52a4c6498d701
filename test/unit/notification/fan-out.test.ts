import { batchProblem, fanOut, intentProblem } from '../../../domain/notification/fan-out';
import type { NotificationIntent } from '../../../domain/notification/intent';
import { HTTPS_ONLY } from '../../../domain/notification/webhook-url';

const intent = (over: Partial<NotificationIntent> = {}): NotificationIntent => ({ idempotencyKey: 'SR-1:first_response:escalation:0', requestId: 'SR-1', kind: 'breach', subject: 'breached', body: 'b', payload: { event: 'sla.breach' }, ...over });
const lead = { id: 'lead', name: 'Team lead', email: 'lead@vendor.test', webhookUrl: 'https://hooks.vendor.test/lead' };

describe('outbox fan-out', () => {
  it('one row per recipient and channel, keyed <intent>:<recipient>:<channel>', () => {
    const rows = fanOut(intent(), [lead, { id: 'head', name: 'Head', email: 'head@vendor.test', webhookUrl: null }], HTTPS_ONLY);
    expect(rows.map((r) => [r.idempotencyKey, r.channel, r.destination])).toEqual([
      ['SR-1:first_response:escalation:0:lead:email', 'email', 'lead@vendor.test'],
      ['SR-1:first_response:escalation:0:lead:webhook', 'webhook', 'https://hooks.vendor.test/lead'],
      ['SR-1:first_response:escalation:0:head:email', 'email', 'head@vendor.test'],
    ]);
    expect(rows[0]).toMatchObject({ intentKey: 'SR-1:first_response:escalation:0', requestId: 'SR-1', kind: 'breach', recipientName: 'Team lead', subject: 'breached', payload: { event: 'sla.breach' } });
    expect(rows.every((r) => r.rejected === undefined)).toBe(true);
  });

  it('a destination reached twice gets one row (e-mail compared without case)', () => {
    const rows = fanOut(intent({ recipients: [{ name: 'Lead again', email: 'LEAD@vendor.test' }] }), [lead, lead], HTTPS_ONLY);
    expect(rows.map((r) => r.destination)).toEqual(['lead@vendor.test', 'https://hooks.vendor.test/lead']);
  });

  it('an explicit contact with a malformed address becomes a rejected row; directory entries are trusted', () => {
    const rows = fanOut(intent({ recipients: [{ name: 'Eve', email: 'eve at acme' }, { name: 'Hook', webhookUrl: 'ftp://x' }] }), [], HTTPS_ONLY);
    expect(rows.map((r) => [r.recipientId, r.rejected])).toEqual([
      ['contact:eve at acme', 'not sent: "eve at acme" is not a valid e-mail address (contact "Eve")'],
      ['contact:ftp://x', 'not sent: webhookUrl "ftp://x" refused (https_required): webhook URLs must use https: (got ftp:) (contact "Hook")'],
    ]);
  });

  it('a plain http: webhook is refused for every recipient, directory or contact, unless loopback is allowed', () => {
    const hook = { id: 'hook', name: 'Hook', email: null, webhookUrl: 'http://127.0.0.1:9/hook' };
    expect(fanOut(intent(), [hook], HTTPS_ONLY)[0]!.rejected).toMatch(/refused \(https_required\)/);
    expect(fanOut(intent(), [hook], { allowHttpLoopback: true })[0]!.rejected).toBeUndefined();
    expect(fanOut(intent(), [{ ...hook, webhookUrl: 'http://hooks.vendor.test/x' }], { allowHttpLoopback: true })[0]!.rejected).toMatch(/https_required/);
  });

  it('refuses intents that can never be enqueued, and a key used twice in one batch', () => {
    expect(intentProblem(intent())).toBeNull();
    expect(intentProblem(intent({ idempotencyKey: ' ' }))).toBe('notification intent needs an idempotencyKey');
    expect(intentProblem(intent({ kind: 'gossip' as never }))).toMatch(/kind must be one of warning, breach, escalation, lifecycle/);
    expect(intentProblem(intent({ recipients: [{ name: 'Nobody' }] }))).toMatch(/recipient "Nobody" needs a name and an email or webhookUrl/);
    expect(batchProblem([intent(), intent()])).toBe('idempotencyKey "SR-1:first_response:escalation:0" appears twice');
  });
});
