// The follow-up a late customer reply registers (what it copies, one per reply), and the
// receipt/occurrence bounds read from the environment.
import { followUpInput } from '../../../api/requests/follow-up';
import { instantBoundsFromEnv } from '../../../api/requests/instant-bounds';
import type { RequestSnapshot } from '../../../domain/request/snapshot';

const old = {
  requestId: 'SR-01JABCDEFGHJKMNPQRSTVWXYZ0',
  registration: { subject: 'Crash on export', customerId: 'acme', productId: 'kompas', channel: 'supplier-email', category: 'defect-report', reporter: 'ivan' },
  priority: 'high',
  policy: { officeId: undefined },
} as unknown as RequestSnapshot;

describe('follow-up input', () => {
  it('copies customer, product, channel, category and priority; the reply is the description; linked by followUpOf', () => {
    const input = followUpInput(old, { author: 'olga@customer.example', body: 'It is back', occurredAt: '2026-12-01T09:00:00+03:00' });
    expect(input).toMatchObject({
      subject: 'Re: Crash on export',
      description: 'It is back',
      customerId: 'acme',
      productId: 'kompas',
      channel: 'supplier-email',
      category: 'defect-report',
      priority: 'high',
      reporter: 'olga@customer.example',
      followUpOf: old.requestId,
      receivedAt: '2026-12-01T09:00:00+03:00',
    });
  });

  it('one reply, one key; another reply, another key; "Re:" is not doubled', () => {
    const a = followUpInput(old, { author: 'c', body: 'x' });
    expect(followUpInput(old, { author: 'c', body: 'x' }).externalRef).toBe(a.externalRef);
    expect(followUpInput(old, { author: 'c', body: 'y' }).externalRef).not.toBe(a.externalRef);
    const re = { ...old, registration: { ...old.registration, subject: 'RE: Crash' } } as RequestSnapshot;
    expect(followUpInput(re, { author: 'c', body: 'x' }).subject).toBe('RE: Crash');
  });
});

describe('instant bounds from the environment', () => {
  it('defaults to 2 minutes ahead and 30 days back; reads the variables; refuses nonsense', () => {
    expect(instantBoundsFromEnv({})).toEqual({ maxSkewMs: 120_000, maxAgeMs: 30 * 86_400_000 });
    expect(instantBoundsFromEnv({ INTAKE_MAX_CLOCK_SKEW_SECONDS: '30', INTAKE_MAX_BACKDATE_DAYS: '7' })).toEqual({ maxSkewMs: 30_000, maxAgeMs: 7 * 86_400_000 });
    expect(() => instantBoundsFromEnv({ INTAKE_MAX_BACKDATE_DAYS: 'a week' })).toThrow(/INTAKE_MAX_BACKDATE_DAYS/);
  });
});
