import { PgListener, type ChannelSubscriber } from '../../../db/pg-listener';
import { fakeConnector, until } from './fake-pg-connection';

/** A subscriber that records what the listener told it. */
function recorder() {
  const seen: string[] = [];
  const subscriber: ChannelSubscriber = {
    notification: (p) => seen.push(`notification ${p}`),
    resync: () => seen.push('resync'),
    listening: (on) => seen.push(on ? 'on' : 'off'),
  };
  return { seen, subscriber };
}

test('one connection LISTENs on every subscribed channel and routes each notification to its channel', async () => {
  const { connections, connect } = fakeConnector();
  const listener = new PgListener({ connect });
  const keys = recorder();
  const screen = recorder();
  expect(connections).toHaveLength(0);
  listener.subscribe('api_key_changed', keys.subscriber);
  listener.subscribe('sla_request_changed', screen.subscriber);
  expect(await listener.whenListening(1_000, 'sla_request_changed')).toBe(true);
  expect(connections).toHaveLength(1);
  expect(connections[0]!.queries.sort()).toEqual(['LISTEN api_key_changed', 'LISTEN sla_request_changed']);
  connections[0]!.notify('api_key_changed', 'k1');
  connections[0]!.notify('sla_request_changed', 'r1');
  connections[0]!.notify('other_channel', 'x');
  expect(keys.seen).toEqual(['off', 'on', 'notification k1']);
  expect(screen.seen).toEqual(['off', 'on', 'notification r1']);
  await listener.stop();
  expect(connections[0]!.ended).toBe(true);
});

test('a channel subscribed on a live session is LISTENed on the same connection', async () => {
  const { connections, connect } = fakeConnector();
  const listener = new PgListener({ connect });
  listener.subscribe('api_key_changed', recorder().subscriber);
  await listener.whenListening(1_000);
  const late = recorder();
  listener.subscribe('sla_request_changed', late.subscriber);
  expect(listener.isListening('sla_request_changed')).toBe(false);
  expect(await listener.whenListening(1_000, 'sla_request_changed')).toBe(true);
  expect(connections).toHaveLength(1);
  expect(connections[0]!.queries).toEqual(['LISTEN api_key_changed', 'LISTEN sla_request_changed']);
  connections[0]!.notify('sla_request_changed', 'r1');
  expect(late.seen).toEqual(['on', 'notification r1']);
  await listener.stop();
});

test('a lost connection is replaced after a back-off, and every channel is LISTENed again and told to resync', async () => {
  let failures = 0;
  const state = fakeConnector(() => state.connections.length === 1 && failures++ < 2);
  const listener = new PgListener({ connect: state.connect, minBackoffMs: 1, maxBackoffMs: 5 });
  const keys = recorder();
  const screen = recorder();
  listener.subscribe('api_key_changed', keys.subscriber);
  listener.subscribe('sla_request_changed', screen.subscriber);
  await listener.whenListening(1_000, 'sla_request_changed');
  state.connections[0]!.emit('error', new Error('terminating connection due to administrator command'));
  expect(listener.isListening()).toBe(false);
  expect(keys.seen.at(-1)).toBe('off');
  await until(() => listener.isListening(), 'the reconnect');
  expect(failures).toBeGreaterThanOrEqual(2); // two refused attempts before it came back
  expect(state.connections).toHaveLength(2);
  expect(state.connections[0]!.ended).toBe(true);
  expect(state.connections[1]!.queries.sort()).toEqual(['LISTEN api_key_changed', 'LISTEN sla_request_changed']);
  for (const r of [keys, screen]) expect(r.seen).toEqual(['off', 'on', 'off', 'on', 'resync']);
  // Nothing from the abandoned connection, everything from the new one.
  state.connections[0]!.notify('api_key_changed', 'stale');
  state.connections[1]!.notify('api_key_changed', 'k2');
  expect(keys.seen.at(-1)).toBe('notification k2');
  await listener.stop();
});

test('a connection that ends, or stops answering the heartbeat, is replaced too', async () => {
  const state = fakeConnector();
  const listener = new PgListener({ connect: state.connect, minBackoffMs: 1, maxBackoffMs: 5, heartbeatMs: 5, heartbeatTimeoutMs: 5 });
  const keys = recorder();
  listener.subscribe('api_key_changed', keys.subscriber);
  await listener.whenListening(1_000);
  state.connections[0]!.emit('end');
  await until(() => state.connections.length === 2 && listener.isListening(), 'the reconnect after end');
  // The second connection goes silent: its heartbeat never answers.
  state.connections[1]!.query = (sql: string) => (sql === 'select 1' ? new Promise<never>(() => undefined) : Promise.resolve({ rows: [] }));
  await until(() => state.connections.length === 3 && listener.isListening(), 'the reconnect after a silent heartbeat');
  expect(keys.seen.filter((s) => s === 'resync')).toHaveLength(2);
  await listener.stop();
});

test('a subscriber that throws does not keep the others from hearing', async () => {
  const { connections, connect } = fakeConnector();
  const listener = new PgListener({ connect });
  listener.subscribe('api_key_changed', {
    notification: () => {
      throw new Error('boom');
    },
  });
  const other = recorder();
  listener.subscribe('api_key_changed', other.subscriber);
  await listener.whenListening(1_000);
  connections[0]!.notify('api_key_changed', 'k1');
  expect(other.seen.at(-1)).toBe('notification k1');
  await listener.stop();
});

test('channel names are checked (they are written into the LISTEN statement)', () => {
  const listener = new PgListener({ connect: fakeConnector().connect });
  expect(() => listener.subscribe('x; drop table api_keys', { notification: () => undefined })).toThrow(/not a channel name/);
});
