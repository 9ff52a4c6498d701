// Properties of the SLA clocks over random request histories: random allowed actions at random
// instants, with every alarm firing at its own instant in between (as the workflow runs them).
import fc from 'fast-check';
import { workingTimeBetween } from '../../../domain/calendar';
import { pendingAlarms } from '../../../domain/request/alarms';
import { refusalOf, type RequestCommand } from '../../../domain/request/lifecycle';
import { usedAt, type SlaClock } from '../../../domain/request/sla-clock';
import type { RequestSnapshot } from '../../../domain/request/snapshot';
import { calendarOf, Desk, H, msk, policy } from './fixtures';

const author = 'agent';
const commandArb: fc.Arbitrary<RequestCommand> = fc.oneof(
  fc.constant<RequestCommand>({ type: 'respond', visibility: 'public', author, body: 'b' }),
  fc.constant<RequestCommand>({ type: 'respond', visibility: 'internal', author, body: 'n' }),
  fc.constant<RequestCommand>({ type: 'wait_on_customer', author }),
  fc.constant<RequestCommand>({ type: 'customer_reply', author: 'customer', body: 'c' }),
  fc.constant<RequestCommand>({ type: 'resolve', author, summary: 's' }),
  fc.constant<RequestCommand>({ type: 'close', author }),
  fc.constant<RequestCommand>({ type: 'reopen', author }),
  fc.constant<RequestCommand>({ type: 'cancel', author, reason: 'withdrawn' }),
  fc.constant<RequestCommand>({ type: 'assign', author, agent: 'a2' }),
  fc.constantFrom<RequestCommand>({ type: 'set_priority', author, priority: 'high' }, { type: 'set_priority', author, priority: 'low' }),
);
/** Up to ~3 calendar days between actions, often less than an hour. */
const gapArb = fc.oneof(fc.integer({ min: 0, max: 60 }).map((m) => m * 60_000), fc.integer({ min: 1, max: 72 }).map((h) => h * H));
const historyArb = fc.array(fc.tuple(gapArb, commandArb), { minLength: 1, maxLength: 25 });

const T0 = msk('2026-12-01T11:00');
const cal = calendarOf('supplier');
/** Working time a clock has used at `now`, measured on the calendar. */
const used = (c: SlaClock, now: number) => usedAt(c, c.runningSinceMs === null ? 0 : workingTimeBetween(cal, c.runningSinceMs, now).workingMs);

/** Replays a history; `check` sees every snapshot before and after each step. */
function play(steps: Array<[number, RequestCommand]>, check: (before: RequestSnapshot, after: RequestSnapshot, now: number) => void): Desk {
  const d = new Desk(policy(), T0);
  for (const [gap, command] of steps) {
    const before = d.r;
    d.advanceTo(d.now + gap);
    check(before, d.r, d.now);
    if (refusalOf(d.r.state, command)) continue;
    const prior = d.r;
    d.do(command);
    check(prior, d.r, d.now);
  }
  return d;
}

test("a clock's used time never decreases", () => {
  fc.assert(
    fc.property(historyArb, (steps) => {
      let lastNow = T0;
      play(steps, (before, after, now) => {
        after.clocks.forEach((c, i) => expect(used(c, now)).toBeGreaterThanOrEqual(used(before.clocks[i]!, lastNow)));
        lastNow = now;
      });
    }),
    { numRuns: 150 },
  );
});

test('pauses never count: the resolution clock uses exactly the working time of the states it runs in', () => {
  fc.assert(
    fc.property(historyArb, (steps) => {
      // An independent model: the resolution clock runs while the request is registered or in progress.
      let runningSince: number | null = T0;
      let expected = 0;
      const d = play(steps, (_before, after, now) => {
        const runs = after.state === 'registered' || after.state === 'in_progress';
        if (runningSince !== null && !runs) {
          expected += workingTimeBetween(cal, runningSince, now).workingMs;
          runningSince = null;
        } else if (runningSince === null && runs) runningSince = now;
      });
      const open = runningSince === null ? 0 : workingTimeBetween(cal, runningSince, d.now).workingMs;
      expect(used(d.r.clocks[1]!, d.now)).toBe(expected + open);
      // And a paused clock has no deadline and nothing pending.
      if (d.r.state === 'waiting_on_customer') expect(pendingAlarms(d.r).filter((a) => 'clock' in a && a.clock === 1 && a.kind !== 'escalation')).toEqual([]);
    }),
    { numRuns: 150 },
  );
});

test('a stopped clock never breaches, however long the request then waits', () => {
  fc.assert(
    fc.property(historyArb, fc.integer({ min: 1, max: 400 }), (steps, waitHours) => {
      const d = play(steps, () => undefined);
      const stopped = d.r.clocks.map((c) => c.stoppedAtMs !== null && c.breachedAtMs === null);
      d.advanceTo(d.now + waitHours * H);
      d.r.clocks.forEach((c, i) => {
        if (stopped[i]) expect(c.breachedAtMs).toBeNull();
      });
      expect(d.events().filter((e) => e.type === 'sla_breached').every((e) => (e.data as { dueAt: number }).dueAt <= e.atMs)).toBe(true);
    }),
    { numRuns: 150 },
  );
});
