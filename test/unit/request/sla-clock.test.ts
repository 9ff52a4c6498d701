import {
  applyPlan,
  cancelClock,
  markBreached,
  markEscalationFired,
  markWarningFired,
  pauseClock,
  planBudgets,
  reopenClock,
  resumeClock,
  startClock,
  statusOf,
  stopClock,
  usedAt,
} from '../../../domain/request/sla-clock';

const H = 3_600_000;
const t = (h: number) => 1_000_000_000_000 + h * H;
const clock = () => startClock('resolution', 40 * H, t(0), [0.5, 0.75]);

describe('sla-clock', () => {
  it('starts running with one unplanned warning per fraction; a not-regulated clock has none', () => {
    expect(clock()).toMatchObject({ runningSinceMs: t(0), usedBeforeMs: 0, dueAtMs: null, warnings: [{ fraction: 0.5, atMs: null }, { fraction: 0.75, atMs: null }] });
    expect(statusOf(clock())).toBe('running');
    const free = startClock('first_response', null, t(0), [0.75]);
    expect(free.warnings).toEqual([]);
    expect(statusOf(free)).toBe('not_regulated');
    expect(planBudgets(free)).toBeNull();
  });

  it('plans the budget left to the target and to each unfired, unreached warning', () => {
    const c = { ...pauseClock(clock(), t(5), 25 * H, 'waiting_on_customer') };
    const resumed = resumeClock(markWarningFired(c, 0, t(4)), t(6));
    // 25 h used: 15 h to the due instant; the 50% warning fired, the 75% one is 5 h away.
    expect(planBudgets(resumed)).toEqual({ dueBudgetMs: 15 * H, warningBudgetsMs: [null, 5 * H] });
    const planned = applyPlan(resumed, { dueAtMs: t(30), warnAtMs: [null, t(12)] });
    expect(planned.dueAtMs).toBe(t(30));
    expect(planned.warnings.map((w) => w.atMs)).toEqual([null, t(12)]);
  });

  it('a warning already passed at planning gets no budget (it never fires late)', () => {
    const c = resumeClock(pauseClock(clock(), t(1), 35 * H, 'waiting_on_customer'), t(2));
    expect(planBudgets(c)!.warningBudgetsMs).toEqual([null, null]);
  });

  it('pausing adds the segment, drops the deadline and unfired warning instants, and opens a pause', () => {
    const planned = applyPlan(clock(), { dueAtMs: t(60), warnAtMs: [t(30), t(45)] });
    const paused = pauseClock(planned, t(3), 3 * H, 'waiting_on_customer');
    expect(paused).toMatchObject({ runningSinceMs: null, usedBeforeMs: 3 * H, dueAtMs: null, pauses: [{ fromMs: t(3), toMs: null, reason: 'waiting_on_customer' }] });
    expect(paused.warnings.every((w) => w.atMs === null)).toBe(true);
    expect(statusOf(paused)).toBe('paused');
    expect(pauseClock(paused, t(4), 99 * H, 'again')).toBe(paused); // not running: no-op
    const resumed = resumeClock(paused, t(8));
    expect(resumed.runningSinceMs).toBe(t(8));
    expect(resumed.pauses).toEqual([{ fromMs: t(3), toMs: t(8), reason: 'waiting_on_customer' }]);
  });

  it('stopping meets an unbreached regulated clock and closes an open pause; stopping twice changes nothing', () => {
    const paused = pauseClock(clock(), t(3), 3 * H, 'waiting_on_customer');
    const stopped = stopClock(paused, t(9), 123);
    expect(stopped).toMatchObject({ stoppedAtMs: t(9), metAtMs: t(9), usedBeforeMs: 3 * H, pauses: [{ toMs: t(9) }] });
    expect(statusOf(stopped)).toBe('met');
    expect(stopClock(stopped, t(10), 5 * H)).toBe(stopped);
  });

  it('a breached clock stays breached when stopped, and keeps escalating only until then', () => {
    const planned = applyPlan(clock(), { dueAtMs: t(40), warnAtMs: [t(20), t(30)] });
    const breached = markBreached(planned, [t(40), t(44)]);
    expect(breached.breachedAtMs).toBe(t(40));
    expect(breached.escalations).toEqual([
      { step: 0, atMs: t(40), firedAtMs: null },
      { step: 1, atMs: t(44), firedAtMs: null },
    ]);
    expect(markEscalationFired(breached, 1, t(44)).escalations[1]!.firedAtMs).toBe(t(44));
    const stopped = stopClock(breached, t(50), 10 * H);
    expect(stopped.metAtMs).toBeNull();
    expect(statusOf(stopped)).toBe('breached');
  });

  it('cancelling stops without meeting; reopening runs the same clock on and counts the reopen', () => {
    const cancelled = cancelClock(clock(), t(2), 2 * H);
    expect(cancelled).toMatchObject({ cancelled: true, metAtMs: null, usedBeforeMs: 2 * H });
    expect(statusOf(cancelled)).toBe('cancelled');
    const reopened = reopenClock(stopClock(clock(), t(2), 2 * H), t(20));
    expect(reopened).toMatchObject({ stoppedAtMs: null, metAtMs: null, runningSinceMs: t(20), usedBeforeMs: 2 * H, reopenCount: 1 });
    expect(reopenClock(clock(), t(3))).toEqual(clock()); // running: nothing to reopen
  });

  it('used time is the finished segments plus the running one', () => {
    expect(usedAt(clock(), 2 * H)).toBe(2 * H);
    expect(usedAt(pauseClock(clock(), t(3), 3 * H, 'x'), 99 * H)).toBe(3 * H);
  });
});
