import { PgListener } from '../../../db/pg-listener';
import { CHANNEL, createLiveUpdates, parseChange, type LiveEvent } from '../../../api/screen/live-updates';
import { fakeConnector, until } from '../db/fake-pg-connection';

test('parseChange reads what the trigger sends and ignores anything else', () => {
  expect(parseChange('{"id":"SR-1","customerId":"acme"}')).toEqual({ kind: 'changed', id: 'SR-1', customerId: 'acme' });
  expect(parseChange('{"id":"SR-1","customerId":null}')).toEqual({ kind: 'changed', id: 'SR-1', customerId: null });
  expect(parseChange('not json')).toBeUndefined();
  expect(parseChange('{"customerId":"acme"}')).toBeUndefined();
  expect(parseChange(undefined)).toBeUndefined();
});

test('the shared connection LISTENs on first use and each notification fans out to every subscriber', async () => {
  const { connections, connect } = fakeConnector();
  const listener = new PgListener({ connect });
  const live = createLiveUpdates({ listener });
  const a: LiveEvent[] = [];
  const b: LiveEvent[] = [];
  expect(connections).toHaveLength(0);
  live.subscribe((e) => a.push(e));
  live.subscribe((e) => b.push(e));
  expect(await live.whenListening(1_000)).toBe(true);
  expect(connections).toHaveLength(1);
  expect(connections[0]!.queries).toEqual([`LISTEN ${CHANNEL}`]);
  connections[0]!.notify(CHANNEL, '{"id":"SR-1","customerId":"acme"}');
  connections[0]!.notify('other_channel', '{"id":"SR-2"}');
  connections[0]!.notify(CHANNEL, 'not json');
  expect(a).toEqual([{ kind: 'changed', id: 'SR-1', customerId: 'acme' }]);
  expect(b).toEqual(a);
  await live.close();
  connections[0]!.notify(CHANNEL, '{"id":"SR-3"}');
  expect(a).toHaveLength(1);
  await listener.stop();
  expect(connections[0]!.ended).toBe(true);
});

test('a lost connection is replaced after a back-off, and subscribers are told to re-read everything', async () => {
  let failNext = 1;
  const state = fakeConnector(() => state.connections.length === 1 && failNext-- > 0);
  const listener = new PgListener({ connect: state.connect, minBackoffMs: 1, maxBackoffMs: 5 });
  const live = createLiveUpdates({ listener });
  const seen: LiveEvent[] = [];
  live.subscribe((e) => seen.push(e));
  await live.whenListening(1_000);
  state.connections[0]!.emit('error', new Error('terminating connection due to administrator command'));
  expect(live.listening).toBe(false);
  await until(() => live.listening, 'the reconnect');
  expect(state.connections).toHaveLength(2);
  expect(seen).toEqual([{ kind: 'resync' }]);
  state.connections[1]!.notify(CHANNEL, '{"id":"SR-9","customerId":null}');
  expect(seen[1]).toEqual({ kind: 'changed', id: 'SR-9', customerId: null });
  await listener.stop();
});
