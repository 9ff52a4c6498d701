// What the state machine records and sends, beyond the state table: registration, quiet hours
// (including a recipient whose quiet-hours calendar does not exist), re-plans and re-targeting.
import { runAskingSync, type Answers, type Ask, type AskKind, type AskOf, type Asking } from '../../../domain/request/asks';
import { act, notificationFailed, register } from '../../../domain/request/lifecycle';
import { applyMove, moveClocks } from '../../../domain/request/move-clocks';
import { answerer, calendarOf, Desk, H, msk, policy } from './fixtures';

const duty = (quietCalendarId: string | null) => ({ id: 'duty', name: 'Duty', roles: ['duty-agent'], hasEmail: true, hasWebhook: false, quietCalendarId });

describe('request lifecycle', () => {
  it('registration pins the calendar version in force when none is pinned, plans both clocks and records it', () => {
    const asks: Ask[] = [];
    const answer = answerer(() => 0);
    const t = runAskingSync(register({ requestId: 'SR-1', requestKey: 'k' }, { subject: 's', reporter: 'crm' }, policy({ calendarVersionId: undefined }), msk('2026-12-04T17:00')), (q) => {
      asks.push(q);
      return answer(q);
    });
    expect(asks.map((a) => a.kind)).toEqual(['calendar_version', 'plan', 'plan']);
    expect(t.snapshot).toMatchObject({ state: 'registered', calendar: { id: 'supplier', versionId: '1' }, policy: { calendarVersionId: '1' }, revision: 1 });
    expect(t.events).toEqual([
      { seq: 1, type: 'registered', atMs: msk('2026-12-04T17:00'), actor: 'crm', data: { level: 'warranty', calendar: { id: 'supplier', versionId: '1' }, dueAt: { first_response: msk('2026-12-07T17:00'), resolution: msk('2026-12-11T17:00') } } },
    ]);
  });

  it('an internal note stops nothing and asks nothing; a public reply measures and stops the first-response clock', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    const asks: Ask[] = [];
    const answer = answerer(() => d.now);
    const spy = <K extends AskKind>(q: AskOf<K>): Answers[K] => (asks.push(q), answer(q));
    runAskingSync(act(d.r, { type: 'respond', visibility: 'internal', author: 'a', body: 'n' }, msk('2026-12-07T11:00')), spy);
    expect(asks).toEqual([]);
    const t = runAskingSync(act(d.r, { type: 'respond', visibility: 'public', author: 'a', body: 'b' }, msk('2026-12-07T11:00')), spy);
    expect(asks).toEqual([{ kind: 'working_time', calendar: { id: 'supplier', versionId: '1' }, fromMs: msk('2026-12-07T10:00'), toMs: msk('2026-12-07T11:00') }]);
    expect(t.snapshot.clocks[0]).toMatchObject({ usedBeforeMs: H, metAtMs: msk('2026-12-07T11:00') });
  });

  it('resolving plans the auto-close; the auto-close alarm closes the request with a reopen window', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    d.do({ type: 'resolve', author: 'a', summary: 'done' }, msk('2026-12-07T12:00'));
    expect(d.r.autoCloseAtMs).toBe(msk('2026-12-14T18:00'));
    d.advanceTo(msk('2026-12-15T00:00'));
    expect(d.r).toMatchObject({ state: 'closed', closedAtMs: msk('2026-12-14T18:00'), reopenUntilMs: msk('2026-12-14T18:00') + 14 * 24 * H });
    expect(d.events().map((e) => e.type)).toEqual(['registered', 'resolved', 'auto_closed']);
  });

  it('a warning waits for the recipient’s quiet hours; the held copy goes out when they end', () => {
    const d = new Desk(policy({ warningNotify: ['duty-agent'] }), msk('2026-12-04T17:00'), { recipients: [duty('office-moscow')], quiet: { 'office-moscow': calendarOf('office-moscow') } });
    d.advanceTo(msk('2026-12-07T15:00')); // the 75% warning is due Monday 15:00: inside office hours
    expect(d.notices().map((n) => n.recipientIds)).toEqual([['duty']]);
    const d2 = new Desk(policy({ warningNotify: ['duty-agent'] }), msk('2026-12-04T11:00'), { recipients: [duty('office-yekaterinburg')], quiet: { 'office-yekaterinburg': calendarOf('office-yekaterinburg') } });
    d2.advanceTo(msk('2026-12-04T17:00')); // 75% of 8 h = 6 h: 17:00 Moscow is 19:00 in Yekaterinburg, after hours
    expect(d2.notices()).toEqual([]);
    expect(d2.r.deferredNotices).toHaveLength(1);
    d2.advanceTo(msk('2026-12-07T10:30'));
    expect(d2.r.deferredNotices).toEqual([]);
    expect(d2.notices().map((n) => n.idempotencyKey)).toEqual(['SR-TEST:first_response:warning:0.75:0:quiet:duty']);
  });

  it('a recipient whose quiet-hours calendar is unknown is warned at once, and the timeline says why', () => {
    const d = new Desk(policy({ warningNotify: ['duty-agent'] }), msk('2026-12-04T11:00'), { recipients: [duty('no-such-calendar')], quiet: {} });
    d.advanceTo(msk('2026-12-04T17:00'));
    expect(d.notices().map((n) => n.recipientIds)).toEqual([['duty']]);
    expect(d.r.deferredNotices).toEqual([]);
    const ignored = d.events().find((e) => e.type === 'quiet_hours_ignored');
    expect(ignored).toMatchObject({ actor: 'system', data: { recipient: 'duty', calendarId: 'no-such-calendar', reason: expect.stringContaining('no-such-calendar') } });
  });

  it('a re-plan keeps the time used on the old version and plans the rest on the new one', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    d.do({ type: 'replan', author: 'calendars', calendarVersionId: '2' }, msk('2026-12-07T13:00'));
    expect(d.r.calendar.versionId).toBe('2');
    expect(d.r.clocks[0]).toMatchObject({ usedBeforeMs: 3 * H, runningSinceMs: msk('2026-12-07T13:00'), dueAtMs: msk('2026-12-07T18:00') });
    const same = d.do({ type: 'replan', author: 'calendars', calendarVersionId: '2' });
    expect(same).toBe(d.transitions.at(-2)!.snapshot); // the same version: nothing happens
  });

  it('asks independent calendar questions together: both clocks planned at registration, both moved to the new version at a re-plan', () => {
    // The questions exactly as the workflow receives them (runAskingSync would answer a batch ask
    // by ask; the fixture's answerer answers a batch whole).
    const yielded = <T>(computation: Asking<T>, answer: ReturnType<typeof answerer>): { asked: Ask[]; result: T } => {
      const asked: Ask[] = [];
      let step = computation.next();
      while (!step.done) {
        asked.push(step.value);
        step = computation.next(answer(step.value));
      }
      return { asked, result: step.value };
    };
    const answer = answerer(() => 0);
    const registered = yielded(register({ requestId: 'SR-1', requestKey: 'k' }, { subject: 's', reporter: 'crm' }, policy(), msk('2026-12-07T10:00')), answer);
    expect(registered.asked.map((q) => (q.kind === 'batch' ? q.asks.map((a) => a.kind) : q.kind))).toEqual([['plan', 'plan']]);
    const replanned = yielded(act(registered.result.snapshot, { type: 'replan', author: 'calendars', calendarVersionId: '2' }, msk('2026-12-07T13:00')), answer);
    const move = { kind: 'move_clocks', from: { id: 'supplier', versionId: '1' }, to: { id: 'supplier', versionId: '2' }, atMs: msk('2026-12-07T13:00'), clocks: registered.result.snapshot.clocks };
    expect(replanned.asked).toEqual([move]);
    // The same answers as one by one: 3 working hours used, the rest planned from 13:00.
    expect(replanned.result.snapshot.clocks[0]).toMatchObject({ usedBeforeMs: 3 * H, dueAtMs: msk('2026-12-07T18:00') });
    // Answered step by step (histories recorded before the one-activity move): both clocks
    // measured on the old version, then both planned on the new one from the re-plan's instant.
    const steps = yielded(moveClocks(move as AskOf<'move_clocks'>), answer);
    expect(steps.asked).toEqual([
      { kind: 'batch', asks: [0, 1].map(() => ({ kind: 'working_time', calendar: { id: 'supplier', versionId: '1' }, fromMs: msk('2026-12-07T10:00'), toMs: msk('2026-12-07T13:00') })) },
      { kind: 'batch', asks: [expect.objectContaining({ kind: 'plan', calendar: { id: 'supplier', versionId: '2' }, fromMs: msk('2026-12-07T13:00') }), expect.objectContaining({ kind: 'plan' })] },
    ]);
    expect(steps.result.map((m) => m.usedMs)).toEqual([3 * H, 3 * H]);
  });

  it('moving clocks plans only those that need it: a breached clock is measured, not planned', () => {
    const answer = answerer(() => 0);
    const registered = runAskingSync(register({ requestId: 'SR-1', requestKey: 'k' }, { subject: 's', reporter: 'crm' }, policy(), msk('2026-12-07T10:00')), answer).snapshot;
    const [firstResponse, resolution] = registered.clocks;
    const breached = { ...firstResponse!, breachedAtMs: msk('2026-12-07T11:00') };
    const moves = runAskingSync(moveClocks({ kind: 'move_clocks', from: registered.calendar, to: { id: 'supplier', versionId: '2' }, atMs: msk('2026-12-07T13:00'), clocks: [breached, resolution!] }), answer);
    expect(moves[0]).toEqual({ usedMs: 3 * H, plan: null });
    expect(moves[1]).toMatchObject({ usedMs: 3 * H, plan: { dueAtMs: expect.any(Number) } });
    expect(applyMove(breached, moves[0]!, msk('2026-12-07T13:00'))).toEqual({ ...breached, usedBeforeMs: 3 * H, runningSinceMs: msk('2026-12-07T13:00') });
  });

  it('a priority change re-targets running clocks where the contract has per-priority targets', () => {
    const byPriority = { firstResponse: { workingMs: 4 * H }, resolution: { workingMs: 40 * H } };
    const p = policy({ targetsByPriority: { critical: { firstResponse: { workingMs: H }, resolution: { workingMs: 8 * H } }, high: byPriority, normal: byPriority, low: byPriority } });
    const d = new Desk(p, msk('2026-12-07T10:00'));
    d.do({ type: 'set_priority', author: 'a', priority: 'critical' }, msk('2026-12-07T10:30'));
    expect(d.r.clocks.map((c) => [c.targetMs, c.dueAtMs])).toEqual([
      [H, msk('2026-12-07T11:00')],
      [8 * H, msk('2026-12-07T18:00')],
    ]);
    expect(d.events().at(-1)).toMatchObject({ type: 'priority_changed', data: { from: 'normal', to: 'critical', retargeted: true } });
  });

  it('a failed delivery becomes a timeline event', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    const t = notificationFailed(d.r, { outboxId: 7, subject: 'subj', error: 'HTTP 410' }, msk('2026-12-07T11:00'));
    expect(t.events).toEqual([{ seq: 2, type: 'notification_failed', atMs: msk('2026-12-07T11:00'), actor: 'system', data: { outboxId: 7, subject: 'subj', error: 'HTTP 410' } }]);
  });
});
