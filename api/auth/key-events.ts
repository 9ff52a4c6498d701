/**
 * Key changes across API processes: every change to an `api_keys` row (a revoke above all)
 * sends `NOTIFY api_key_changed, '<key id>'` from a trigger (migration
 * 20261201200100_api_key_change_notify). Each API process holds one dedicated connection that
 * LISTENs and drops the key from its verifier's cache, so a revoke takes effect everywhere within
 * about a second. The pattern is graphile-worker's listenForChanges:
 * - one connection outside the query pool (a LISTEN must stay on its session);
 * - on error or end: reconnect with exponential back-off and jitter;
 * - whenever not listening, notifications may be missed, so the whole cache is dropped on every
 *   (re)connect, and while disconnected the verifier trusts its cache for a few seconds only;
 * - a heartbeat query notices a connection that died without closing.
 */
import { Client, type ClientConfig } from 'pg';
import type { Logger } from 'pino';
import type { KeyVerifier } from './authenticate';

export const KEY_CHANGE_CHANNEL = 'api_key_changed';
/** application_name of the listening connection (visible in pg_stat_activity). */
export const KEY_CHANGE_APPLICATION_NAME = 'sla-api-key-changes';
const HEARTBEAT_MS = 15_000;
const HEARTBEAT_TIMEOUT_MS = 5_000;

type Target = Pick<KeyVerifier, 'forget' | 'forgetAll' | 'setChangeFeed'>;

export interface KeyChangeFeedOptions {
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class KeyChangeFeed {
  private readonly targets: Target[] = [];
  private client: Client | undefined;
  private listening = false;
  private stopped = false;
  private started = false;
  private failures = 0;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: string | ClientConfig,
    private readonly logger?: Logger,
    private readonly options: KeyChangeFeedOptions = {},
  ) {}

  /** Feeds `target` from now on; the first target starts listening. */
  attach(target: Target): void {
    this.targets.push(target);
    target.setChangeFeed(this.listening);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
  }

  /** Whether the dedicated connection is listening now. */
  get connected(): boolean {
    return this.listening;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const c = this.client;
    this.client = undefined;
    this.setListening(false);
    await c?.end().catch(() => undefined);
  }

  private setListening(on: boolean): void {
    this.listening = on;
    for (const t of this.targets) {
      // Either way the cache may hold keys changed while nobody listened.
      t.forgetAll();
      t.setChangeFeed(on);
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const base = { keepAlive: true, application_name: KEY_CHANGE_APPLICATION_NAME };
    const c = new Client(typeof this.connection === 'string' ? { connectionString: this.connection, ...base } : { ...base, ...this.connection });
    this.client = c;
    c.on('notification', (msg) => {
      if (msg.channel !== KEY_CHANGE_CHANNEL || !msg.payload) return;
      for (const t of this.targets) t.forget(msg.payload);
    });
    c.on('error', (err) => this.lost(c, err));
    c.on('end', () => this.lost(c, new Error('connection closed')));
    try {
      await c.connect();
      await c.query(`LISTEN ${KEY_CHANGE_CHANNEL}`);
    } catch (err) {
      this.lost(c, err);
      return;
    }
    if (this.client !== c) return; // lost or stopped meanwhile
    this.logger?.info({ failedAttempts: this.failures }, 'listening for API key changes');
    this.failures = 0;
    this.setListening(true);
    clearInterval(this.heartbeat);
    this.heartbeat = setInterval(() => void this.beat(c), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async beat(c: Client): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        c.query('select 1'),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`heartbeat: no answer within ${HEARTBEAT_TIMEOUT_MS} ms`)), HEARTBEAT_TIMEOUT_MS);
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
    if (this.stopped) return;
    const min = this.options.minBackoffMs ?? 500;
    const max = this.options.maxBackoffMs ?? 30_000;
    const delay = Math.min(max, min * 2 ** this.failures) * (0.5 + Math.random() / 2);
    this.failures += 1;
    this.logger?.warn({ err, retryInMs: Math.round(delay) }, 'not listening for API key changes: revocations elsewhere reach this process only through the short cache time');
    this.retry = setTimeout(() => void this.connect(), delay);
    this.retry.unref();
  }
}
