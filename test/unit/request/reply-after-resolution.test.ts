// A customer's reply to a resolved or closed request: the level's (or contract's) term decides
// whether it reopens the request (the seed levels, and every request pinned before the term) or
// is recorded and told to the assignee, who decides: a "thank you" then causes no breach.
import { pendingAlarms } from '../../../domain/request/alarms';
import { Desk, H, msk, policy } from './fixtures';

const T0 = msk('2026-12-01T11:00');
const author = 'agent-7';
const thanks = { type: 'customer_reply' as const, author: 'customer', body: 'Thank you, it works' };

function resolvedDesk(replyAfterResolution?: 'reopen' | 'notify-assignee'): Desk {
  const d = new Desk(policy(replyAfterResolution ? { lifecycle: { replyAfterResolution } } : {}), T0);
  d.do({ type: 'assign', author, agent: 'agent-7' }, T0);
  d.do({ type: 'respond', visibility: 'public', author, body: 'Try 24.1' }, T0 + H);
  d.do({ type: 'resolve', author, summary: 'Fixed in 24.1' }, T0 + 2 * H);
  return d;
}

describe('a reply after resolution', () => {
  it('term "notify-assignee": the request stays resolved, its clocks stay stopped, the assignee is told once', () => {
    const d = resolvedDesk('notify-assignee');
    const autoClose = d.r.autoCloseAtMs;
    d.do(thanks, T0 + 3 * H);
    expect(d.r.state).toBe('resolved');
    expect(d.r.autoCloseAtMs).toBe(autoClose);
    expect(d.r.clocks[1]).toMatchObject({ stoppedAtMs: T0 + 2 * H, reopenCount: 0 });
    expect(d.events().at(-1)).toMatchObject({ type: 'customer_replied', data: { body: 'Thank you, it works', afterResolution: true } });
    const told = d.notices();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ kind: 'lifecycle', recipientIds: ['agent-7'], payload: { event: 'request.reply_after_resolution', state: 'resolved' } });
    // A second reply is a second notice (its own key).
    d.do({ ...thanks, body: 'One more thing' }, T0 + 4 * H);
    expect(new Set(d.notices().map((n) => n.idempotencyKey)).size).toBe(2);
    // The auto-close still comes.
    d.advanceTo(autoClose!);
    expect(d.r.state).toBe('closed');
  });

  it('term "notify-assignee" on a closed request within its window: stays closed, nobody assigned means the duty role', () => {
    const d = new Desk(policy({ lifecycle: { replyAfterResolution: 'notify-assignee' } }), T0);
    d.do({ type: 'resolve', author, summary: 'Fixed' }, T0 + H);
    d.do({ type: 'close', author }, T0 + 2 * H);
    const reopenUntil = d.r.reopenUntilMs;
    d.do(thanks, T0 + 3 * H);
    expect(d.r).toMatchObject({ state: 'closed', reopenUntilMs: reopenUntil });
    expect(d.notices()[0]).toMatchObject({ roles: ['duty-agent'], recipientIds: [] });
  });

  it('term "reopen" (and pins without the term): the request reopens and the resolution clock runs on', () => {
    for (const d of [resolvedDesk('reopen'), resolvedDesk()]) {
      d.do(thanks, T0 + 3 * H);
      expect(d.r.state).toBe('in_progress');
      expect(d.r.clocks[1]).toMatchObject({ stoppedAtMs: null, reopenCount: 1, runningSinceMs: T0 + 3 * H });
      expect(pendingAlarms(d.r).some((a) => a.kind === 'breach' && a.clock === 1)).toBe(true);
      expect(d.notices()).toEqual([]);
    }
  });

  it('term "reopen" on a closed request within its window reopens it', () => {
    const d = new Desk(policy(), T0);
    d.do({ type: 'resolve', author, summary: 'Fixed' }, T0 + H);
    d.do({ type: 'close', author }, T0 + 2 * H);
    d.do(thanks, T0 + 3 * H);
    expect(d.r).toMatchObject({ state: 'in_progress', closedAtMs: null, reopenUntilMs: null });
  });
});
