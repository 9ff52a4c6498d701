import { KEY_CHANGE_CHANNEL, KeyChangeFeed } from '../../../api/auth/key-events';
import { PgListener } from '../../../db/pg-listener';
import { fakeConnector, until } from '../db/fake-pg-connection';

test('key change notifications drop that key; every change of listening state and every reconnect drops the whole cache', async () => {
  const state = fakeConnector();
  const listener = new PgListener({ connect: state.connect, minBackoffMs: 1, maxBackoffMs: 5 });
  const calls: string[] = [];
  new KeyChangeFeed(listener).attach({
    forget: (id) => calls.push(`forget ${id}`),
    forgetAll: () => calls.push('forgetAll'),
    setChangeFeed: (on) => calls.push(`feed ${on}`),
  });
  expect(calls).toEqual(['forgetAll', 'feed false']); // trusts its cache a few seconds only until listening
  await listener.whenListening(1_000, KEY_CHANGE_CHANNEL);
  state.connections[0]!.notify(KEY_CHANGE_CHANNEL, 'key-1');
  expect(calls.slice(2)).toEqual(['forgetAll', 'feed true', 'forget key-1']);
  calls.length = 0;
  state.connections[0]!.emit('error', new Error('connection reset'));
  await until(() => listener.isListening(), 'the reconnect');
  expect(calls).toEqual(['forgetAll', 'feed false', 'forgetAll', 'feed true', 'forgetAll']);
  await listener.stop();
});
