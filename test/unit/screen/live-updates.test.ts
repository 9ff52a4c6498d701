import { EventEmitter } from 'node:events';
import type { Client as PgClient } from 'pg';
import { CHANNEL, createLiveUpdates, parseChange, type LiveEvent } from '../../../api/screen/live-updates';

/** A stand-in for the one listening connection: records LISTEN, delivers notifications, can drop. */
class FakeConnection extends EventEmitter {
  listened: string[] = [];
  ended = false;
  async query(sql: string) {
    this.listened.push(sql);
    return { rows: [] };
  }
  async end() {
    this.ended = true;
  }
  notify(payload: string, channel = CHANNEL) {
    this.emit('notification', { channel, payload, processId: 1 });
  }
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};

test('parseChange reads what the trigger sends and ignores anything else', () => {
  expect(parseChange('{"id":"SR-1","customerId":"acme"}')).toEqual({ kind: 'changed', id: 'SR-1', customerId: 'acme' });
  expect(parseChange('{"id":"SR-1","customerId":null}')).toEqual({ kind: 'changed', id: 'SR-1', customerId: null });
  expect(parseChange('not json')).toBeUndefined();
  expect(parseChange('{"customerId":"acme"}')).toBeUndefined();
  expect(parseChange(undefined)).toBeUndefined();
});

test('one connection LISTENs on first use and fans each notification out to every subscriber', async () => {
  const connections: FakeConnection[] = [];
  const live = createLiveUpdates({ connect: async () => connections[connections.push(new FakeConnection()) - 1] as unknown as PgClient });
  const a: LiveEvent[] = [];
  const b: LiveEvent[] = [];
  expect(connections).toHaveLength(0);
  live.subscribe((e) => a.push(e));
  live.subscribe((e) => b.push(e));
  expect(await live.whenListening(1_000)).toBe(true);
  expect(connections).toHaveLength(1);
  expect(connections[0]!.listened).toEqual([`LISTEN ${CHANNEL}`]);
  connections[0]!.notify('{"id":"SR-1","customerId":"acme"}');
  connections[0]!.notify('{"id":"SR-2"}', 'other_channel');
  expect(a).toEqual([{ kind: 'changed', id: 'SR-1', customerId: 'acme' }]);
  expect(b).toEqual(a);
  await live.close();
  expect(connections[0]!.ended).toBe(true);
});

test('a lost connection is replaced after a back-off, and subscribers are told to re-read everything', async () => {
  const connections: FakeConnection[] = [];
  let failNext = 1;
  const live = createLiveUpdates({
    minBackoffMs: 1,
    maxBackoffMs: 5,
    connect: async () => {
      if (connections.length === 1 && failNext-- > 0) throw new Error('database restarting');
      return connections[connections.push(new FakeConnection()) - 1] as unknown as PgClient;
    },
  });
  const seen: LiveEvent[] = [];
  live.subscribe((e) => seen.push(e));
  await live.whenListening(1_000);
  connections[0]!.emit('error', new Error('terminating connection due to administrator command'));
  expect(live.listening).toBe(false);
  await until(() => live.listening, 'the reconnect');
  expect(connections).toHaveLength(2);
  expect(seen).toEqual([{ kind: 'resync' }]);
  connections[1]!.notify('{"id":"SR-9","customerId":null}');
  expect(seen[1]).toEqual({ kind: 'changed', id: 'SR-9', customerId: null });
  await live.close();
});
