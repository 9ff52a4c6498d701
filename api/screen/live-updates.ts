/**
 * Live updates across API processes: each API process holds ONE dedicated PostgreSQL
 * connection that LISTENs on `sla_request_changed` (sent by a trigger on every write of a
 * request row, whichever process or worker wrote it) and fans each notification out to its
 * subscribers (the browsers connected to it over Server-Sent Events).
 *
 * A notification is only a nudge naming a request: browsers re-read through the API with their
 * own key's scope, so the table stays the truth and nothing a key may not see is pushed. When
 * the connection drops it reconnects with exponential back-off and then tells every subscriber
 * to re-read everything (notifications sent meanwhile are lost).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Client as PgClient } from 'pg';

export const CHANNEL = 'sla_request_changed';

export type LiveEvent = { kind: 'changed'; id: string; customerId: string | null } | { kind: 'resync' };
export type LiveListener = (event: LiveEvent) => void;

export interface LiveUpdates {
  /** Starts listening on first use; returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void;
  /** Whether the listening connection is up (for health and tests). */
  readonly listening: boolean;
  /** Resolves true once listening, or false after `timeoutMs`. */
  whenListening(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface LiveUpdatesOptions {
  connect: () => Promise<PgClient>;
  logger?: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** The connection settings of a knex pool, for one extra connection outside the pool. */
export function pgConnectorFor(db: Knex): () => Promise<PgClient> {
  return async () => {
    const settings = (db.client as { connectionSettings: unknown }).connectionSettings;
    const client = new PgClient(typeof settings === 'string' ? { connectionString: settings } : (settings as object));
    await client.connect();
    return client;
  };
}

/** Parses a notification payload; ignores anything that is not what the trigger sends. */
export function parseChange(payload: string | undefined): LiveEvent | undefined {
  if (!payload) return undefined;
  try {
    const v = JSON.parse(payload) as { id?: unknown; customerId?: unknown };
    if (typeof v.id !== 'string') return undefined;
    return { kind: 'changed', id: v.id, customerId: typeof v.customerId === 'string' ? v.customerId : null };
  } catch {
    return undefined;
  }
}

export function createLiveUpdates(opts: LiveUpdatesOptions): LiveUpdates {
  const listeners = new Set<LiveListener>();
  const minBackoff = opts.minBackoffMs ?? 250;
  const maxBackoff = opts.maxBackoffMs ?? 10_000;
  let client: PgClient | undefined;
  let started = false;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  const waiters = new Set<() => void>();

  const emit = (event: LiveEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        opts.logger?.warn({ err }, 'live update listener failed');
      }
    }
  };

  const scheduleReconnect = () => {
    if (closed || timer) return;
    const delay = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 16)) * (0.5 + Math.random() / 2);
    failures++;
    timer = setTimeout(() => {
      timer = undefined;
      void connect(true);
    }, delay);
    timer.unref();
  };

  const connect = async (again: boolean) => {
    let c: PgClient | undefined;
    try {
      c = await opts.connect();
      const current = c;
      current.on('notification', (msg) => {
        if (msg.channel !== CHANNEL) return;
        const event = parseChange(msg.payload);
        if (event) emit(event);
      });
      const lost = (err?: unknown) => {
        if (client !== current) return;
        client = undefined;
        opts.logger?.warn({ err }, 'live updates: listening connection lost; reconnecting');
        current.end().catch(() => undefined);
        scheduleReconnect();
      };
      current.on('error', lost);
      current.on('end', () => lost());
      await current.query(`LISTEN ${CHANNEL}`);
      if (closed) {
        await current.end();
        return;
      }
      client = current;
      failures = 0;
      for (const w of waiters) w();
      waiters.clear();
      // Changes made while not listening were missed: every page re-reads.
      if (again) emit({ kind: 'resync' });
    } catch (err) {
      opts.logger?.warn({ err }, 'live updates: could not listen; retrying');
      c?.end().catch(() => undefined);
      scheduleReconnect();
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (!started) {
        started = true;
        void connect(false);
      }
      return () => listeners.delete(listener);
    },
    get listening() {
      return client !== undefined;
    },
    whenListening(timeoutMs) {
      if (client) return Promise.resolve(true);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(t);
          resolve(true);
        };
        const t = setTimeout(() => {
          waiters.delete(done);
          resolve(false);
        }, timeoutMs);
        waiters.add(done);
      });
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      listeners.clear();
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
