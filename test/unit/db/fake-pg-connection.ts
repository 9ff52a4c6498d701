import { EventEmitter } from 'node:events';
import type { Client } from 'pg';

/** A stand-in for the one listening connection: records its queries, delivers notifications, can drop. */
export class FakeConnection extends EventEmitter {
  queries: string[] = [];
  ended = false;
  async query(sql: string) {
    this.queries.push(sql);
    return { rows: [] };
  }
  async end() {
    this.ended = true;
  }
  notify(channel: string, payload: string) {
    this.emit('notification', { channel, payload, processId: 1 });
  }
}

/** A connector handing out fake connections (kept in `connections`); fails while `failing()` says so. */
export function fakeConnector(failing: () => boolean = () => false) {
  const connections: FakeConnection[] = [];
  const connect = async () => {
    if (failing()) throw new Error('database restarting');
    const c = new FakeConnection();
    connections.push(c);
    return c as unknown as Client;
  };
  return { connections, connect };
}

export const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
};
