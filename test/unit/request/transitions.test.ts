import { OPEN_STATES, refusalFor } from '../../../domain/request/transitions';

describe('transitions', () => {
  it('open states are the ones whose clocks can run', () => {
    expect(OPEN_STATES).toEqual(['registered', 'in_progress', 'waiting_on_customer', 'waiting_on_third_party']);
  });

  it('allows an action in its states and refuses it elsewhere with a reason naming the state and a hint', () => {
    expect(refusalFor('reply', 'in_progress')).toBeNull();
    expect(refusalFor('close', 'resolved')).toBeNull();
    expect(refusalFor('wait_on_customer', 'registered')).toEqual({
      action: 'wait_on_customer',
      state: 'registered',
      reason: 'cannot wait on customer a request that is registered: reply to the customer first',
    });
    expect(refusalFor('reply', 'closed')!.reason).toBe('cannot reply a request that is closed: reopen it first');
    expect(refusalFor('cancel', 'cancelled')!.reason).toBe('cannot cancel a request that is cancelled');
  });
});
