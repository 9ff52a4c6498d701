import { allowedActions } from '../../../domain/request/allowed-actions';
import { REQUEST_STATES, type RequestState } from '../../../domain/request/snapshot';
import { REQUEST_ACTIONS, refusalFor } from '../../../domain/request/transitions';

const HOUR = 3_600_000;
const at = (state: RequestState, reopenUntilMs: number | null = null) => ({ state, reopenUntilMs });

describe('allowedActions', () => {
  it('offers exactly what the state machine accepts, in every state', () => {
    for (const state of REQUEST_STATES) {
      const snapshot = at(state, state === 'closed' ? 10 * HOUR : null);
      expect(allowedActions(snapshot, 0)).toEqual(REQUEST_ACTIONS.filter((a) => refusalFor(a, state) === null));
    }
  });

  it('a new request can be replied to, resolved, cancelled, but not waited on, closed or reopened', () => {
    const actions = allowedActions(at('registered'));
    expect(actions).toEqual(expect.arrayContaining(['reply', 'note', 'resolve', 'cancel', 'assign', 'set_priority', 'customer_reply']));
    for (const refused of ['wait_on_customer', 'wait_on_third_party', 'resume', 'close', 'reopen']) expect(actions).not.toContain(refused);
  });

  it('a waiting request can be resumed; one in progress cannot', () => {
    expect(allowedActions(at('waiting_on_customer'))).toContain('resume');
    expect(allowedActions(at('waiting_on_third_party'))).toContain('resume');
    expect(allowedActions(at('in_progress'))).not.toContain('resume');
  });

  it('a resolved request can be closed or reopened, not replied to or resolved again', () => {
    expect(allowedActions(at('resolved'))).toEqual(['note', 'customer_reply', 'close', 'reopen', 'assign']);
  });

  it('a closed request can be reopened within its window; past it only a customer reply (a follow-up) remains', () => {
    expect(allowedActions(at('closed', 10 * HOUR), 9 * HOUR)).toEqual(['customer_reply', 'reopen']);
    expect(allowedActions(at('closed', 10 * HOUR), 10 * HOUR)).toEqual(['customer_reply']);
    // The window-end alarm clears reopenUntil when it fires: the workflow is done.
    expect(allowedActions(at('closed', null))).toEqual(['customer_reply']);
  });

  it('a cancelled request accepts nothing', () => {
    expect(allowedActions(at('cancelled'))).toEqual([]);
  });
});
