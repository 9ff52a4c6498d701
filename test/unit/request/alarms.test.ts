import { pendingAlarms } from '../../../domain/request/alarms';
import { Desk, H, msk, policy } from './fixtures';

const T0 = msk('2026-12-04T17:00'); // Friday 17:00: 8 working hours = Monday 17:00

describe('alarms', () => {
  it('a fresh request waits for each clock’s warning, then its breach, earliest first', () => {
    const d = new Desk(policy(), T0);
    const alarms = pendingAlarms(d.r);
    expect(alarms.map((a) => [a.kind, 'clock' in a ? a.clock : null])).toEqual([
      ['warning', 0],
      ['breach', 0],
      ['warning', 1],
      ['breach', 1],
    ]);
    expect(alarms[1]!.atMs).toBe(msk('2026-12-07T17:00'));
    expect(alarms.map((a) => a.atMs)).toEqual([...alarms.map((a) => a.atMs)].sort((a, b) => a - b));
  });

  it('after a breach the escalation ladder is pending until the target event; a stopped clock has none', () => {
    const d = new Desk(policy(), T0);
    d.advanceTo(msk('2026-12-07T17:00'));
    expect(d.r.clocks[0]!.breachedAtMs).toBe(msk('2026-12-07T17:00'));
    const ladder = pendingAlarms(d.r).filter((a) => a.kind === 'escalation');
    // Step 0 fired with the breach; step 1 is 4 working hours later (Mon 17-18 + Tue 10-13).
    expect(ladder.map((a) => a.atMs)).toEqual([msk('2026-12-08T13:00')]);
    d.do({ type: 'respond', visibility: 'public', author: 'a', body: 'b' });
    expect(pendingAlarms(d.r).filter((a) => 'clock' in a && a.clock === 0)).toEqual([]);
  });

  it('resolved requests wait for auto-close; closed ones for the end of the reopen window', () => {
    const d = new Desk(policy(), msk('2026-12-07T11:00'));
    d.do({ type: 'resolve', author: 'a', summary: 's' }, msk('2026-12-07T12:00'));
    expect(pendingAlarms(d.r)).toEqual([{ kind: 'auto_close', atMs: d.r.autoCloseAtMs }]);
    d.do({ type: 'close', author: 'a' });
    expect(pendingAlarms(d.r)).toEqual([{ kind: 'reopen_window_end', atMs: d.now + 14 * 24 * H }]);
  });
});
