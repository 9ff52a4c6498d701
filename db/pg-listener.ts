/**
 * One PostgreSQL LISTEN connection per process, shared by every feature that follows NOTIFYs
 * (API key changes, the screen's request-change nudges, …). The pattern is graphile-worker's
 * listenForChanges:
 * - one connection outside the query pool (a LISTEN must stay on its session);
 * - LISTEN on every subscribed channel; a channel subscribed later is added to the live session;
 * - on error, end or a heartbeat without answer: reconnect with exponential back-off and jitter;
 * - notifications sent while not listening are lost, so after every reconnect each channel's
 *   subscribers are told to resync (drop caches, re-read), and told whenever listening starts
 *   or stops (to shorten cache times meanwhile, report health).
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { Client, type ClientConfig } from 'pg';

/** application_name of the listening connection (visible in pg_stat_activity). */
export const LISTENER_APPLICATION_NAME = 'sla-listener';
const CHANNEL_NAME = /^[a-z_][a-z0-9_]*$/;

export interface ChannelSubscriber {
  /** A NOTIFY on the channel (its payload, '' when none). */
  notification(payload: string): void;
  /** Listening again after a loss: notifications sent meanwhile were missed (drop caches / re-read). */
  resync?(): void;
  /** Listening started or stopped (also called once on subscribe with the current state). */
  listening?(on: boolean): void;
}

export interface PgListenerOptions {
  /** Opens a new, connected client (see pgConnector); never one of a pool. */
  connect: () => Promise<Client>;
  logger?: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
}

/** A connector for `connection`, tagged with LISTENER_APPLICATION_NAME and TCP keep-alive. */
export function pgConnector(connection: string | ClientConfig): () => Promise<Client> {
  const base = { keepAlive: true, application_name: LISTENER_APPLICATION_NAME };
  return async () => {
    const c = new Client(typeof connection === 'string' ? { connectionString: connection, ...base } : { ...base, ...connection });
    try {
      await c.connect();
    } catch (err) {
      c.end().catch(() => undefined);
      throw err;
    }
    return c;
  };
}

/** A connector with the connection settings of a knex pool, for one extra connection outside the pool. */
export function pgConnectorFor(db: Knex): () => Promise<Client> {
  return () => {
    const settings = (db.client as { connectionSettings: unknown }).connectionSettings;
    return pgConnector(typeof settings === 'string' ? settings : (settings as ClientConfig))();
  };
}

export class PgListener {
  private readonly subscribers = new Map<string, Set<ChannelSubscriber>>();
  private client: Client | undefined;
  /** Channels LISTENed on the current session. */
  private listenedOn = new Set<string>();
  private listening = false;
  private everListened = false;
  private started = false;
  private stopped = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly waiters = new Set<{ channel: string | undefined; done: () => void }>();

  constructor(private readonly options: PgListenerOptions) {}

  /** Follows `channel` from now on (the first subscription connects); returns the unsubscribe function. */
  subscribe(channel: string, subscriber: ChannelSubscriber): () => void {
    if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.subscribers.get(channel);
    if (!set) this.subscribers.set(channel, (set = new Set()));
    set.add(subscriber);
    if (!this.started) {
      this.started = true;
      void this.connect();
    } else if (this.listening && this.client && !this.listenedOn.has(channel)) {
      // A channel new to a live session: LISTEN on it, then say so (as a connect would).
      const c = this.client;
      void this.listenAll(c).then(
        () => {
          if (this.client !== c) return;
          this.call(set, (s) => s.listening?.(true));
          this.wake();
        },
        (err: unknown) => this.lost(c, err),
      );
      return () => void set.delete(subscriber);
    }
    subscriber.listening?.(this.listening);
    return () => void set.delete(subscriber);
  }

  /** Whether the connection is listening now (on `channel`, when given). */
  isListening(channel?: string): boolean {
    return this.listening && (channel === undefined || this.listenedOn.has(channel));
  }

  /** Resolves true once listening (on `channel`, when given), or false after `timeoutMs`. */
  whenListening(timeoutMs: number, channel?: string): Promise<boolean> {
    if (this.isListening(channel)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = {
        channel,
        done: () => {
          clearTimeout(t);
          resolve(true);
        },
      };
      const t = setTimeout(() => {
        this.waiters.delete(waiter);
        resolve(false);
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const w of this.waiters) {
      if (!this.isListening(w.channel)) continue;
      this.waiters.delete(w);
      w.done();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const c = this.client;
    this.client = undefined;
    // Shutting down: nobody is told (a warning per feature would be noise), nothing reconnects.
    this.subscribers.clear();
    this.listening = false;
    await c?.end().catch(() => undefined);
  }

  private call(set: Iterable<ChannelSubscriber>, f: (s: ChannelSubscriber) => void): void {
    for (const s of set) {
      try {
        f(s);
      } catch (err) {
        this.options.logger?.warn({ err }, 'a PostgreSQL notification subscriber failed');
      }
    }
  }

  private all(): ChannelSubscriber[] {
    return [...this.subscribers.values()].flatMap((set) => [...set]);
  }

  private setListening(on: boolean): void {
    if (this.listening === on) return;
    this.listening = on;
    this.call(this.all(), (s) => s.listening?.(on));
  }

  /** LISTENs on every subscribed channel not yet listened on this session (channels may arrive meanwhile). */
  private async listenAll(c: Client): Promise<void> {
    for (;;) {
      const missing = [...this.subscribers.keys()].filter((ch) => !this.listenedOn.has(ch));
      if (missing.length === 0) return;
      for (const ch of missing) {
        await c.query(`LISTEN ${ch}`);
        this.listenedOn.add(ch);
      }
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    let c: Client;
    try {
      c = await this.options.connect();
    } catch (err) {
      this.scheduleReconnect(err);
      return;
    }
    if (this.stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    this.client = c;
    this.listenedOn = new Set();
    c.on('notification', (msg) => {
      const set = this.subscribers.get(msg.channel);
      if (set) this.call(set, (s) => s.notification(msg.payload ?? ''));
    });
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c, new Error('connection closed')));
    try {
      await this.listenAll(c);
    } catch (err) {
      this.lost(c, err);
      return;
    }
    if (this.client !== c) return; // lost or stopped meanwhile
    this.options.logger?.info({ channels: [...this.listenedOn], failedAttempts: this.failures }, 'listening for PostgreSQL notifications');
    this.failures = 0;
    const again = this.everListened;
    this.everListened = true;
    this.setListening(true);
    // Changes made while not listening were missed: every subscriber catches up.
    if (again) this.call(this.all(), (s) => s.resync?.());
    this.wake();
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.beat(c), this.options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  /** A connection that died without closing (a silent network) is noticed by a query without answer. */
  private async beat(c: Client): Promise<void> {
    const timeoutMs = this.options.heartbeatTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.query('select 1'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`heartbeat: no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      this.lost(c, err);
    } finally {
      clearTimeout(timer);
    }
  }

  private lost(c: Client, err: unknown): void {
    if (this.client !== c) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    c.removeAllListeners('notification');
    c.on('error', () => undefined); // a late error on a client we gave up on
    c.end().catch(() => undefined);
    this.setListening(false);
    this.scheduleReconnect(err);
  }

  private scheduleReconnect(err: unknown): void {
    if (this.stopped || this.retry) return;
    const min = this.options.minBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** Math.min(this.failures, 16)) * (0.5 + Math.random() / 2);
    this.failures += 1;
    this.options.logger?.warn({ err, retryInMs: Math.round(delay) }, 'not listening for PostgreSQL notifications; reconnecting');
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, delay);
    this.retry.unref();
  }
}
