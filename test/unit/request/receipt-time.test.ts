// Receipt time: a request registered after it reached the desk (an e-mail relayed late, a call
// typed in afterwards) runs its clocks from its receipt; warnings it slept through are recorded
// as missed, a target already passed breaches at once and escalates; actions may say when they
// happened, within bounds and never before the request's previous event.
import { pendingAlarms } from '../../../domain/request/alarms';
import { DEFAULT_INSTANT_BOUNDS, effectiveAt, instantBoundsViolation, orderViolation } from '../../../domain/request/occurred-at';
import { lastEventAtOf, receivedAtOf } from '../../../domain/request/snapshot';
import { Desk, H, msk, policy } from './fixtures';

const MIN = 60_000;

describe('receipt time', () => {
  it('clocks start at the receipt, not at registration', () => {
    const d = new Desk(policy(), msk('2026-12-07T12:00'), undefined, msk('2026-12-07T10:00'));
    expect(receivedAtOf(d.r)).toBe(msk('2026-12-07T10:00'));
    expect(d.r.registeredAtMs).toBe(msk('2026-12-07T12:00'));
    // 8 working hours from Monday 10:00 (not from 12:00).
    const fresh = new Desk(policy(), msk('2026-12-07T10:00'));
    expect(d.r.clocks[0]!.dueAtMs).toBe(fresh.r.clocks[0]!.dueAtMs);
    expect(d.r.clocks[1]!.dueAtMs).toBe(fresh.r.clocks[1]!.dueAtMs);
    expect(d.events()[0]).toMatchObject({ type: 'registered', atMs: msk('2026-12-07T12:00'), data: { receivedAt: msk('2026-12-07T10:00') } });
  });

  it('registered past its first-response target: the warning is recorded as missed, never sent; the breach is due at once and escalates', () => {
    const receivedAt = msk('2026-12-04T10:00'); // Friday
    const registeredAt = msk('2026-12-08T12:00'); // Tuesday: 8 working hours went by on Monday
    const d = new Desk(policy({ warningNotify: ['assignee'] }), registeredAt, undefined, receivedAt);
    const fr = d.r.clocks[0]!;
    expect(fr.dueAtMs).toBeLessThan(registeredAt);
    expect(fr.warnings).toEqual([expect.objectContaining({ fraction: 0.75, firedAtMs: null, missedAtMs: registeredAt })]);
    expect(d.events().map((e) => [e.type, e.data?.clock])).toEqual([
      ['registered', undefined],
      ['sla_warning_missed', 'first_response'],
    ]);
    // The resolution clock (40 h) is not past its warning yet: nothing missed there.
    expect(d.r.clocks[1]!.warnings[0]).not.toHaveProperty('missedAtMs');
    const due = pendingAlarms(d.r).filter((a) => a.atMs <= registeredAt);
    expect(due).toEqual([{ kind: 'breach', atMs: fr.dueAtMs, clock: 0 }]);

    d.advanceTo(registeredAt);
    expect(d.r.clocks[0]!.breachedAtMs).toBe(fr.dueAtMs);
    // The ladder runs from the due instant: both steps (0 h and 4 h after breach) passed on Monday, both go out now.
    expect(d.r.clocks[0]!.escalations.map((e) => e.atMs < registeredAt)).toEqual([true, true]);
    expect(d.events().map((e) => e.type)).toEqual(['registered', 'sla_warning_missed', 'sla_breached', 'escalated', 'escalated']);
    expect(d.notices()).toHaveLength(2);
    expect(d.notices().some((n) => /warning/.test(n.idempotencyKey))).toBe(false);
  });

  it('an action between receipt and registration may still be told; one before the previous event is refused', () => {
    const d = new Desk(policy(), msk('2026-12-07T12:00'), undefined, msk('2026-12-07T10:00'));
    expect(lastEventAtOf(d.r)).toBe(msk('2026-12-07T10:00'));
    const reply = { type: 'respond' as const, visibility: 'public' as const, author: 'a', body: 'answered on the phone', occurredAt: '2026-12-07T10:20:00+03:00' };
    expect(orderViolation(d.r, reply)).toBeNull();
    d.do(reply);
    expect(d.r.clocks[0]).toMatchObject({ metAtMs: msk('2026-12-07T10:20'), usedBeforeMs: 20 * MIN });
    expect(d.events().at(-1)).toMatchObject({ type: 'replied', atMs: msk('2026-12-07T10:20') });
    expect(lastEventAtOf(d.r)).toBe(msk('2026-12-07T10:20'));
    const earlier = { type: 'wait_on_customer' as const, author: 'a', occurredAt: '2026-12-07T10:10:00+03:00' };
    expect(orderViolation(d.r, earlier)).toMatchObject({ rule: 'before-previous-event' });
  });

  it('a backdated customer reply resumes the clock from when it was written; warnings passed since are missed', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    d.do({ type: 'respond', visibility: 'public', author: 'a', body: 'log?' }, msk('2026-12-07T11:00'));
    d.do({ type: 'wait_on_customer', author: 'a' }, msk('2026-12-07T11:00'));
    // 1 h of 40 used. The customer wrote Monday 11:00 a week later; intake relays it 4 working days later.
    d.do({ type: 'customer_reply', author: 'c', body: 'here', occurredAt: '2026-12-14T11:00:00+03:00' }, msk('2026-12-18T11:00'));
    const res = d.r.clocks[1]!;
    expect(res.pauses).toEqual([{ fromMs: msk('2026-12-07T11:00'), toMs: msk('2026-12-14T11:00'), reason: 'waiting_on_customer' }]);
    expect(res.runningSinceMs).toBe(msk('2026-12-14T11:00'));
    expect(res.warnings[0]).toMatchObject({ missedAtMs: msk('2026-12-18T11:00') });
    expect(d.events().slice(-2).map((e) => [e.type, e.atMs])).toEqual([
      ['customer_replied', msk('2026-12-14T11:00')],
      ['sla_warning_missed', msk('2026-12-18T11:00')],
    ]);
  });

  it('an instant a little ahead is taken as now; bounds refuse the far future and the too old', () => {
    const now = msk('2026-12-07T12:00');
    expect(effectiveAt({ type: 'close', author: 'a', occurredAt: new Date(now + MIN).toISOString() }, now)).toBe(now);
    expect(instantBoundsViolation(now + 2 * MIN, now, DEFAULT_INSTANT_BOUNDS)).toBeNull();
    expect(instantBoundsViolation(now + 2 * MIN + 1, now, DEFAULT_INSTANT_BOUNDS)).toMatchObject({ rule: 'in-the-future' });
    expect(instantBoundsViolation(now - 30 * 24 * H, now, DEFAULT_INSTANT_BOUNDS)).toBeNull();
    expect(instantBoundsViolation(now - 30 * 24 * H - 1, now, DEFAULT_INSTANT_BOUNDS)).toMatchObject({ rule: 'too-old' });
  });

  it('snapshots of older runs (no lastEventAtMs) derive the previous event from the instants they keep', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    d.do({ type: 'respond', visibility: 'public', author: 'a', body: 'b' }, msk('2026-12-07T11:00'));
    d.do({ type: 'wait_on_customer', author: 'a' }, msk('2026-12-07T13:00'));
    const { lastEventAtMs: _l, receivedAtMs: _r, ...old } = d.r;
    expect(lastEventAtOf(old)).toBe(msk('2026-12-07T13:00'));
    expect(receivedAtOf(old)).toBe(msk('2026-12-07T10:00'));
  });
});
