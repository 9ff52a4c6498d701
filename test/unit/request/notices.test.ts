import { breachNotice, warningNotice } from '../../../domain/request/notices';
import { Desk, msk, policy } from './fixtures';

const T0 = msk('2026-12-04T17:00');

describe('notices', () => {
  const contacts = { dedicatedEngineer: { name: 'Eve', email: 'eve@acme.test' }, escalationContacts: [{ name: 'Boss', email: 'boss@acme.test' }, { name: 'No mail' }] };

  it('a warning goes to the assignee, or to the duty agent while nobody is assigned; its key names the clock, fraction and reopen', () => {
    const d = new Desk(policy(), T0);
    const unassigned = warningNotice(d.r, 0, 0, T0);
    expect(unassigned).toMatchObject({
      idempotencyKey: 'SR-TEST:first_response:warning:0.75:0',
      kind: 'warning',
      roles: ['duty-agent'],
      recipientIds: [],
      subject: '[SR-TEST] 75% of the first response target used',
    });
    expect(unassigned.body).toContain('target of 8 working h');
    d.do({ type: 'assign', author: 'lead', agent: 'agent-7' });
    expect(warningNotice(d.r, 0, 0, T0)).toMatchObject({ roles: [], recipientIds: ['agent-7'] });
  });

  it('the first step is the breach, later ones escalations; contract contacts with an address are explicit recipients', () => {
    const p = policy({ notify: contacts, escalation: [{ afterBreachWorkingMs: 0, notify: ['team-lead', 'dedicated-engineer'] }, { afterBreachWorkingMs: 4 * 3_600_000, notify: ['contract-escalation-contacts'] }] });
    const d = new Desk(p, T0);
    d.advanceTo(msk('2026-12-07T17:00'));
    const breach = breachNotice(d.r, 0, 0, d.now);
    expect(breach).toMatchObject({ idempotencyKey: 'SR-TEST:first_response:escalation:0', kind: 'breach', roles: ['team-lead'], recipients: [{ name: 'Eve', email: 'eve@acme.test' }] });
    expect(breach.payload).toMatchObject({ event: 'sla.breach', requestId: 'SR-TEST', clock: 'first_response', step: 0, breachedAt: '2026-12-07T14:00:00.000Z' });
    const step1 = breachNotice(d.r, 0, 1, d.now);
    expect(step1).toMatchObject({ kind: 'escalation', roles: [], recipients: [{ name: 'Boss', email: 'boss@acme.test' }] });
    expect(step1.subject).toBe('[SR-TEST] first response target breached — escalation 1');
    expect(step1.body).toContain('Still not met 4 working h later: escalated to contract-escalation-contacts.');
  });
});
