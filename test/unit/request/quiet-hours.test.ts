import type { NotificationIntent } from '../../../domain/notification/intent';
import { splitByQuietHours } from '../../../domain/request/quiet-hours';

const warning: NotificationIntent = { idempotencyKey: 'SR-1:first_response:warning:0.75:0', requestId: 'SR-1', kind: 'warning', roles: ['duty-agent'], recipientIds: [], recipients: [], subject: 's', body: 'b', payload: {} };

describe('quiet hours', () => {
  it('recipients free now get one intent by id; each quiet one a deferred copy keyed by recipient', () => {
    const split = splitByQuietHours(warning, [{ id: 'a', atMs: 100 }, { id: 'b', atMs: 500 }, { id: 'c', atMs: 99 }], 100);
    expect(split.now).toMatchObject({ idempotencyKey: warning.idempotencyKey, roles: [], recipientIds: ['a', 'c'] });
    expect(split.deferred).toEqual([{ atMs: 500, intent: { ...warning, idempotencyKey: `${warning.idempotencyKey}:quiet:b`, roles: [], recipientIds: ['b'], recipients: [] } }]);
  });

  it('nothing goes out now when every directory recipient is quiet and there are no explicit contacts', () => {
    expect(splitByQuietHours(warning, [{ id: 'b', atMs: 500 }], 100).now).toBeNull();
    const withContact = { ...warning, recipients: [{ name: 'Eve', email: 'eve@acme.test' }] };
    expect(splitByQuietHours(withContact, [{ id: 'b', atMs: 500 }], 100).now).toMatchObject({ recipientIds: [], recipients: [{ name: 'Eve' }] });
  });
});
