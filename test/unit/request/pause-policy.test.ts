// Which waiting state pauses which clock is the pinned terms' (policy.lifecycle.pauses): the seed
// levels pause resolution while waiting on the customer and nothing while waiting on a third
// party; a contract may pause resolution for a third party, or nothing for the customer.
import { addWorkingTime } from '../../../domain/calendar';
import { calendarOf, Desk, H, msk, policy } from './fixtures';
import type { PinnedPolicy } from '../../../domain/policy/pinned';
import { statusOf } from '../../../domain/request/sla-clock';

const T0 = msk('2026-12-01T11:00'); // Tuesday, working hours
const author = 'agent-7';
const pauses = (waiting_on_customer: Array<'first_response' | 'resolution'>, waiting_on_third_party: Array<'first_response' | 'resolution'>): Partial<PinnedPolicy> => ({
  lifecycle: { pauses: { waiting_on_customer, waiting_on_third_party } },
});

function answered(p: Partial<PinnedPolicy> = {}): Desk {
  const d = new Desk(policy(p), T0);
  d.do({ type: 'respond', visibility: 'public', author, body: 'Looking' }, T0 + H);
  return d;
}

describe('pause policy', () => {
  it('seed terms (and pins without terms): a third party pauses nothing, the resolution deadline stays', () => {
    const d = answered();
    const due = d.r.clocks[1]!.dueAtMs;
    d.do({ type: 'wait_on_third_party', author, party: 'developers' }, T0 + 2 * H);
    expect(d.r.state).toBe('waiting_on_third_party');
    expect(statusOf(d.r.clocks[1]!)).toBe('running');
    expect(d.r.clocks[1]!.dueAtMs).toBe(due);
    expect(d.events().at(-1)).toMatchObject({ type: 'waiting_on_third_party', data: { party: 'developers', paused: [] } });
  });

  it('a term pausing resolution for a third party: paused for exactly the time waited, resumed by the agent', () => {
    const d = answered(pauses(['resolution'], ['resolution']));
    const due = d.r.clocks[1]!.dueAtMs!;
    d.do({ type: 'wait_on_third_party', author, party: 'vendor X' }, T0 + 2 * H);
    expect(statusOf(d.r.clocks[1]!)).toBe('paused');
    expect(d.r.clocks[1]!.pauses).toEqual([{ fromMs: T0 + 2 * H, toMs: null, reason: 'waiting_on_third_party' }]);
    // Three working hours later (same day) the vendor answers.
    d.do({ type: 'resume', author, note: 'vendor answered' }, T0 + 5 * H);
    expect(d.r.state).toBe('in_progress');
    // 2 of 40 working hours were used before the wait: the remaining 38 run from the resume.
    expect(d.r.clocks[1]!.usedBeforeMs).toBe(2 * H);
    expect(d.r.clocks[1]!.dueAtMs).toBe(addWorkingTime(calendarOf('supplier'), T0 + 5 * H, 38 * H).dueMs);
    expect(d.r.clocks[1]!.dueAtMs).toBeGreaterThan(due);
  });

  it('a term pausing nothing while waiting on the customer: the resolution clock runs on', () => {
    const d = answered(pauses([], []));
    d.do({ type: 'wait_on_customer', author }, T0 + 2 * H);
    expect(d.r.state).toBe('waiting_on_customer');
    expect(statusOf(d.r.clocks[1]!)).toBe('running');
    expect(d.r.clocks[1]!.pauses).toEqual([]);
  });

  it('from waiting on the customer to a third party: what the customer wait paused resumes, the new wait pauses its own', () => {
    const d = answered(pauses(['resolution'], []));
    d.do({ type: 'wait_on_customer', author }, T0 + 2 * H);
    expect(statusOf(d.r.clocks[1]!)).toBe('paused');
    d.do({ type: 'wait_on_third_party', author, party: 'developers' }, T0 + 3 * H);
    expect(statusOf(d.r.clocks[1]!)).toBe('running');
    expect(d.r.clocks[1]!.pauses).toEqual([{ fromMs: T0 + 2 * H, toMs: T0 + 3 * H, reason: 'waiting_on_customer' }]);
    // A customer writing in meanwhile does not end the third-party wait.
    d.do({ type: 'customer_reply', author: 'c', body: 'any news?' }, T0 + 4 * H);
    expect(d.r.state).toBe('waiting_on_third_party');
  });

});
