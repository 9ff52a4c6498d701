import { viewClock } from '../../../domain/request/clock-view';
import { calendarOf, Desk, H, msk, policy } from './fixtures';

describe('clock-view', () => {
  const supplier = calendarOf('supplier');

  it('measures a running clock at an instant: used, remaining, overdue', () => {
    const d = new Desk(policy(), msk('2026-12-04T17:00'));
    const fr = d.r.clocks[0]!;
    expect(viewClock(fr, supplier, msk('2026-12-07T12:00'))).toMatchObject({ status: 'running', running: true, usedMs: 3 * H, remainingMs: 5 * H, overdueMs: 0, dueAtMs: msk('2026-12-07T17:00'), extrapolated: false });
    expect(viewClock(fr, supplier, msk('2026-12-08T12:00'))).toMatchObject({ usedMs: 11 * H, remainingMs: 0, overdueMs: 3 * H });
  });

  it('a paused clock shows the time used before the pause, whenever it is looked at', () => {
    const d = new Desk(policy(), msk('2026-12-07T10:00'));
    d.do({ type: 'respond', visibility: 'public', author: 'a', body: 'b' }, msk('2026-12-07T11:00'));
    d.do({ type: 'wait_on_customer', author: 'a' }, msk('2026-12-07T12:00'));
    const res = d.r.clocks[1]!;
    for (const at of [msk('2026-12-07T12:00'), msk('2026-12-10T12:00')]) expect(viewClock(res, supplier, at)).toMatchObject({ status: 'paused', running: false, usedMs: 2 * H, remainingMs: 38 * H });
  });

  it('a not-regulated clock has no remaining time and is never overdue', () => {
    const d = new Desk(policy({ targets: { firstResponse: null, resolution: null } }), msk('2026-12-07T10:00'));
    expect(viewClock(d.r.clocks[0]!, supplier, msk('2026-12-09T10:00'))).toMatchObject({ status: 'not_regulated', usedMs: 16 * H, remainingMs: null, overdueMs: 0 });
  });
});
