// The next-reply (update) target: after a customer's reply the agent's next public reply is due
// within the pinned term's working hours. One clock per round, with warnings, breach and
// escalation like the others; none at all under terms without a target (the seed levels).
import { addWorkingTime } from '../../../domain/calendar';
import { buildSlaReport } from '../../../domain/reports/sla-report';
import { statusOf } from '../../../domain/request/sla-clock';
import { calendarOf, Desk, H, msk, policy } from './fixtures';
import type { PinnedPolicy } from '../../../domain/policy/pinned';

const T0 = msk('2026-12-01T10:00'); // Tuesday
const author = 'agent-7';
const customer = (body: string) => ({ type: 'customer_reply' as const, author: 'c', body });
const reply = { type: 'respond' as const, visibility: 'public' as const, author, body: 'answer' };
const withNextReply = (nextReply: NonNullable<PinnedPolicy['lifecycle']>['nextReply']): Partial<PinnedPolicy> => ({ lifecycle: { nextReply } });
const supplier = calendarOf('supplier');

const duty = { id: 'duty', name: 'Duty', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId: null };

function answeredDesk(p: Partial<PinnedPolicy>): Desk {
  const d = new Desk(policy(p), T0, { recipients: [duty], quiet: {} });
  d.do(reply, T0 + H);
  return d;
}

describe('next-reply target', () => {
  it('a customer reply starts a round due N working hours later; the agent’s public reply meets it; another reply, another round', () => {
    const d = answeredDesk(withNextReply({ workingHours: 4 }));
    d.do(customer('it still crashes'), T0 + 2 * H);
    const round1 = d.r.clocks[2]!;
    expect(round1).toMatchObject({ kind: 'next_reply', targetMs: 4 * H, runningSinceMs: T0 + 2 * H });
    expect(round1.dueAtMs).toBe(addWorkingTime(supplier, T0 + 2 * H, 4 * H).dueMs);
    // Writing again before the answer does not restart the round: it counts from the first unanswered message.
    d.do(customer('hello?'), T0 + 3 * H);
    expect(d.r.clocks).toHaveLength(3);
    d.do(reply, T0 + 4 * H);
    expect(statusOf(d.r.clocks[2]!)).toBe('met');
    expect(d.r.clocks[2]!.usedBeforeMs).toBe(2 * H);
    d.do(customer('and now this'), T0 + 5 * H);
    expect(d.r.clocks.map((c) => [c.kind, statusOf(c)])).toEqual([
      ['first_response', 'met'],
      ['resolution', 'running'],
      ['next_reply', 'met'],
      ['next_reply', 'running'],
    ]);
  });

  it('an unanswered round warns, breaches and escalates on its own clock, each round with its own notification keys', () => {
    const d = answeredDesk({ ...withNextReply({ workingHours: 2 }), warningNotify: ['duty-agent'] });
    d.do(customer('still broken'), T0 + 2 * H);
    const due = d.r.clocks[2]!.dueAtMs!;
    d.advanceTo(due + H);
    const types = d.events().filter((e) => e.data?.clock === 'next_reply').map((e) => e.type);
    expect(types).toEqual(['sla_warning', 'sla_breached', 'escalated']);
    expect(d.r.clocks[2]!.breachedAtMs).toBe(due);
    expect(d.notices().map((n) => n.idempotencyKey)).toEqual(['SR-TEST:next_reply#2:warning:0.75:0', 'SR-TEST:next_reply#2:escalation:0']);
    // The late answer ends the round (still breached) and the escalation ladder stops.
    d.do(reply, due + 2 * H);
    expect(statusOf(d.r.clocks[2]!)).toBe('breached');
    expect(d.r.clocks[2]!.stoppedAtMs).toBe(due + 2 * H);
  });

  it('per priority: the request’s priority chooses the target; a priority without one starts no round', () => {
    const term = { byPriority: { critical: { workingHours: 1 }, high: { workingHours: 2 }, normal: null, low: null } };
    const high = answeredDesk({ ...withNextReply(term), priority: 'high' });
    high.do(customer('x'), T0 + 2 * H);
    expect(high.r.clocks[2]).toMatchObject({ kind: 'next_reply', targetMs: 2 * H });
    const normal = answeredDesk(withNextReply(term));
    normal.do(customer('x'), T0 + 2 * H);
    expect(normal.r.clocks).toHaveLength(2);
  });

  it('no round while the first response is still due, and none under the seed terms', () => {
    const d = new Desk(policy(withNextReply({ workingHours: 4 })), T0);
    d.do(customer('more details'), T0 + H);
    expect(d.r.clocks).toHaveLength(2);
    const seed = answeredDesk({});
    seed.do(customer('x'), T0 + 2 * H);
    expect(seed.r.clocks).toHaveLength(2);
  });

  it('resolving answers the open round; the report counts every round and its breaches', () => {
    const d = answeredDesk(withNextReply({ workingHours: 1 }));
    d.do(customer('a'), T0 + 2 * H);
    d.advanceTo(T0 + 4 * H); // breached at T0+3h
    d.do(reply, T0 + 4 * H);
    d.do(customer('b'), T0 + 5 * H);
    d.do({ type: 'resolve', author, summary: 'done' }, T0 + 5 * H + 30 * 60_000);
    expect(d.r.clocks.slice(2).map(statusOf)).toEqual(['breached', 'met']);
    const report = buildSlaReport([{ id: 'SR-TEST', customerId: 'acme', level: 'warranty', officeId: null, agent: null, state: d.r.state, reopenCount: 0, clocks: d.r.clocks }], 'level');
    expect(report.total.nextReply).toMatchObject({ clocks: 2, regulated: 2, withinTarget: 1, breached: 1, withinTargetPct: 50 });
    expect(report.total.breaches.nextReply).toBe(1);
  });
});
