// Requests left waiting on the customer: under terms with a reminder after N and a resolution
// after M working days, the customer is reminded once, then the request resolves itself, each
// recorded and notified; a reply before then resumes the clock as before and cancels both.
import { endOfWorkingDays } from '../../../domain/calendar';
import type { PinnedPolicy } from '../../../domain/policy/pinned';
import { pendingAlarms } from '../../../domain/request/alarms';
import { calendarOf, Desk, H, msk, policy } from './fixtures';

const T0 = msk('2026-12-01T10:00'); // Tuesday
const author = 'agent-7';
const terms: Partial<PinnedPolicy> = { lifecycle: { waitingOnCustomer: { reminderAfterWorkingDays: 2, autoResolveAfterWorkingDays: 5 } } };
const supplier = calendarOf('supplier');

function waitingDesk(p: Partial<PinnedPolicy>): Desk {
  const d = new Desk(policy({ ...p, warnings: [] }), T0, { recipients: [], quiet: {} });
  d.r = { ...d.r, registration: { ...d.r.registration, reporter: 'ivan@customer.example' } };
  d.do({ type: 'respond', visibility: 'public', author, body: 'Please send the log' }, T0 + H);
  d.do({ type: 'wait_on_customer', author }, T0 + 2 * H);
  return d;
}

describe('waiting on the customer too long', () => {
  it('reminds after N working days, resolves after M, each recorded and notified; the auto-close follows', () => {
    const d = waitingDesk(terms);
    const remindAt = endOfWorkingDays(supplier, T0 + 2 * H, 2)!;
    const resolveAt = endOfWorkingDays(supplier, T0 + 2 * H, 5)!;
    expect(d.r).toMatchObject({ remindCustomerAtMs: remindAt, autoResolveAtMs: resolveAt });
    d.advanceTo(remindAt);
    expect(d.events().at(-1)).toMatchObject({ type: 'customer_reminded', atMs: remindAt, data: { waitingSince: T0 + 2 * H } });
    expect(d.notices().at(-1)).toMatchObject({ kind: 'lifecycle', recipients: [{ email: 'ivan@customer.example' }], payload: { event: 'request.customer_reminder' } });
    expect(d.r.state).toBe('waiting_on_customer');
    d.advanceTo(resolveAt);
    expect(d.r).toMatchObject({ state: 'resolved', resolvedAtMs: resolveAt });
    expect(d.events().at(-1)).toMatchObject({ type: 'resolved', actor: 'system', data: { automatic: true, reason: 'no_customer_reply' } });
    expect(d.notices().map((n) => n.payload.event)).toEqual(['request.customer_reminder', 'request.auto_resolved']);
    // Resolved while paused: the resolution clock stops with the time it had used (2 h).
    expect(d.r.clocks[1]).toMatchObject({ usedBeforeMs: 2 * H, stoppedAtMs: resolveAt });
    expect(pendingAlarms(d.r).map((a) => a.kind)).toEqual(['auto_close']);
  });

  it('a reply before then resumes the clock as before and cancels the reminder and the resolution', () => {
    const d = waitingDesk(terms);
    d.do({ type: 'customer_reply', author: 'c', body: 'here' }, T0 + 24 * H);
    expect(d.r.state).toBe('in_progress');
    expect(pendingAlarms(d.r).map((a) => a.kind)).toEqual(['breach']);
    d.advanceTo(T0 + 30 * 24 * H);
    expect(d.events().map((e) => e.type)).not.toContain('customer_reminded');
  });

  it('terms without them (every pin before support-levels.v2): no reminder, no automatic resolution', () => {
    const d = waitingDesk({});
    expect(d.r.remindCustomerAtMs ?? null).toBeNull();
    expect(pendingAlarms(d.r)).toEqual([]);
  });
});
