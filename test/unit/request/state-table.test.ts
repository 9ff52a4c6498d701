// Every state x every action of the request state machine: refused, or the state it leads to
// and what it does to each clock. The table is written out, not derived from transitions.ts,
// so a change to the rules shows up here as a changed row.
import { refusalOf, type RequestCommand } from '../../../domain/request/lifecycle';
import { statusOf } from '../../../domain/request/sla-clock';
import type { RequestState } from '../../../domain/request/snapshot';
import { Desk, H, msk, policy } from './fixtures';

const T0 = msk('2026-12-01T11:00'); // a Tuesday, inside working hours
const author = 'agent-7';

/** A request brought into each state by the actions people take. */
function deskIn(state: RequestState): Desk {
  const d = new Desk(policy(), T0);
  const at = (h: number) => T0 + h * H;
  if (state === 'registered') return d;
  if (state === 'cancelled') return d.do({ type: 'cancel', author, reason: 'duplicate' }, at(1)), d;
  d.do({ type: 'respond', visibility: 'public', author, body: 'Please send the log' }, at(1));
  if (state === 'in_progress') return d;
  if (state === 'waiting_on_customer') return d.do({ type: 'wait_on_customer', author }, at(2)), d;
  if (state === 'waiting_on_third_party') return d.do({ type: 'wait_on_third_party', author, party: 'developers' }, at(2)), d;
  d.do({ type: 'resolve', author, summary: 'Fixed in 24.1' }, at(2));
  if (state === 'resolved') return d;
  d.do({ type: 'close', author }, at(3));
  return d;
}

const COMMANDS: Record<string, RequestCommand> = {
  reply: { type: 'respond', visibility: 'public', author, body: 'An answer' },
  note: { type: 'respond', visibility: 'internal', author, body: 'A note' },
  wait_on_customer: { type: 'wait_on_customer', author, note: 'asked for the log' },
  wait_on_third_party: { type: 'wait_on_third_party', author, party: 'developers' },
  resume: { type: 'resume', author },
  customer_reply: { type: 'customer_reply', author: 'customer', body: 'Here it is' },
  resolve: { type: 'resolve', author, summary: 'Fixed' },
  close: { type: 'close', author },
  reopen: { type: 'reopen', author, note: 'not fixed' },
  cancel: { type: 'cancel', author, reason: 'withdrawn' },
  assign: { type: 'assign', author, agent: 'agent-9' },
  set_priority: { type: 'set_priority', author, priority: 'high' },
  replan: { type: 'replan', author: 'calendars', calendarVersionId: '2' },
};

type Row = 'refused' | [state: RequestState, firstResponse: string, resolution: string];
const same = (s: RequestState, fr: string, res: string): Row => [s, fr, res];

const TABLE: Record<RequestState, Record<keyof typeof COMMANDS, Row>> = {
  registered: {
    reply: ['in_progress', 'met', 'running'],
    note: same('registered', 'running', 'running'),
    wait_on_customer: 'refused',
    wait_on_third_party: 'refused',
    resume: 'refused',
    customer_reply: same('registered', 'running', 'running'),
    resolve: ['resolved', 'met', 'met'],
    close: 'refused',
    reopen: 'refused',
    cancel: ['cancelled', 'cancelled', 'cancelled'],
    assign: same('registered', 'running', 'running'),
    set_priority: same('registered', 'running', 'running'),
    replan: same('registered', 'running', 'running'),
  },
  in_progress: {
    reply: same('in_progress', 'met', 'running'),
    note: same('in_progress', 'met', 'running'),
    wait_on_customer: ['waiting_on_customer', 'met', 'paused'],
    wait_on_third_party: ['waiting_on_third_party', 'met', 'running'],
    resume: 'refused',
    customer_reply: same('in_progress', 'met', 'running'),
    resolve: ['resolved', 'met', 'met'],
    close: 'refused',
    reopen: 'refused',
    // A met clock stays met: cancelling stops only what still runs.
    cancel: ['cancelled', 'met', 'cancelled'],
    assign: same('in_progress', 'met', 'running'),
    set_priority: same('in_progress', 'met', 'running'),
    replan: same('in_progress', 'met', 'running'),
  },
  waiting_on_customer: {
    reply: same('waiting_on_customer', 'met', 'paused'),
    note: same('waiting_on_customer', 'met', 'paused'),
    wait_on_customer: 'refused',
    wait_on_third_party: ['waiting_on_third_party', 'met', 'running'],
    resume: ['in_progress', 'met', 'running'],
    customer_reply: ['in_progress', 'met', 'running'],
    resolve: ['resolved', 'met', 'met'],
    close: 'refused',
    reopen: 'refused',
    cancel: ['cancelled', 'met', 'cancelled'],
    assign: same('waiting_on_customer', 'met', 'paused'),
    set_priority: same('waiting_on_customer', 'met', 'paused'),
    replan: same('waiting_on_customer', 'met', 'paused'),
  },
  // Handed to the developers: the seed terms pause nothing while waiting on a third party.
  waiting_on_third_party: {
    reply: same('waiting_on_third_party', 'met', 'running'),
    note: same('waiting_on_third_party', 'met', 'running'),
    wait_on_customer: ['waiting_on_customer', 'met', 'paused'],
    wait_on_third_party: 'refused',
    resume: ['in_progress', 'met', 'running'],
    customer_reply: same('waiting_on_third_party', 'met', 'running'),
    resolve: ['resolved', 'met', 'met'],
    close: 'refused',
    reopen: 'refused',
    cancel: ['cancelled', 'met', 'cancelled'],
    assign: same('waiting_on_third_party', 'met', 'running'),
    set_priority: same('waiting_on_third_party', 'met', 'running'),
    replan: same('waiting_on_third_party', 'met', 'running'),
  },
  resolved: {
    reply: 'refused',
    note: same('resolved', 'met', 'met'),
    wait_on_customer: 'refused',
    wait_on_third_party: 'refused',
    resume: 'refused',
    // The customer writing back reopens the request: the same resolution clock runs on.
    customer_reply: ['in_progress', 'met', 'running'],
    resolve: 'refused',
    close: ['closed', 'met', 'met'],
    reopen: ['in_progress', 'met', 'running'],
    cancel: 'refused',
    assign: same('resolved', 'met', 'met'),
    set_priority: 'refused',
    replan: same('resolved', 'met', 'met'),
  },
  closed: {
    reply: 'refused',
    note: 'refused',
    wait_on_customer: 'refused',
    wait_on_third_party: 'refused',
    resume: 'refused',
    // Within the reopen window a customer's reply reopens it (the seed levels' term).
    customer_reply: ['in_progress', 'met', 'running'],
    resolve: 'refused',
    close: 'refused',
    reopen: ['in_progress', 'met', 'running'],
    cancel: 'refused',
    assign: 'refused',
    set_priority: 'refused',
    replan: same('closed', 'met', 'met'),
  },
  cancelled: {
    reply: 'refused',
    note: 'refused',
    wait_on_customer: 'refused',
    wait_on_third_party: 'refused',
    resume: 'refused',
    customer_reply: 'refused',
    resolve: 'refused',
    close: 'refused',
    reopen: 'refused',
    cancel: 'refused',
    assign: 'refused',
    set_priority: 'refused',
    replan: same('cancelled', 'cancelled', 'cancelled'),
  },
};

const cases = Object.entries(TABLE).flatMap(([state, row]) => Object.entries(row).map(([action, expected]) => ({ state: state as RequestState, action, expected })));

describe.each(cases)('$state x $action', ({ state, action, expected }) => {
  it(expected === 'refused' ? 'is refused with the state and a reason' : `leads to ${expected[0]}, clocks ${expected[1]} / ${expected[2]}`, () => {
    const d = deskIn(state);
    expect(d.r.state).toBe(state);
    const command = COMMANDS[action]!;
    const refusal = refusalOf(d.r.state, command);
    if (expected === 'refused') {
      expect(refusal).toMatchObject({ state, reason: expect.stringMatching(/^cannot /) });
      return;
    }
    expect(refusal).toBeNull();
    const before = d.r;
    const after = d.do(command, d.now + H);
    expect([after.state, statusOf(after.clocks[0]!), statusOf(after.clocks[1]!)]).toEqual(expected);
    // Time already used never goes away, whatever the action.
    after.clocks.forEach((c, i) => expect(c.usedBeforeMs).toBeGreaterThanOrEqual(before.clocks[i]!.usedBeforeMs));
    expect(after.revision).toBeGreaterThanOrEqual(before.revision);
  });
});
