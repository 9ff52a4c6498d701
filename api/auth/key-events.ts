/**
 * Key changes across API processes: every change to an `api_keys` row (a revoke above all)
 * sends `NOTIFY api_key_changed, '<key id>'` from a trigger (migration
 * 20261201200100_api_key_change_notify). The process's one listening connection
 * (db/pg-listener.ts) hands each to the verifier, which drops the key from its cache, so a
 * revoke takes effect everywhere within about a second. Whenever not listening, notifications
 * may be missed, so the whole cache is dropped on every change of state and on every reconnect,
 * and while disconnected the verifier trusts its cache for a few seconds only.
 */
import type { Logger } from 'pino';
import type { PgListener } from '../../db/pg-listener';
import type { KeyVerifier } from './authenticate';

export const KEY_CHANGE_CHANNEL = 'api_key_changed';

type Target = Pick<KeyVerifier, 'forget' | 'forgetAll' | 'setChangeFeed'>;

export class KeyChangeFeed {
  constructor(
    private readonly listener: PgListener,
    private readonly logger?: Logger,
  ) {}

  /** Feeds `target` from now on; returns the function that stops it. */
  attach(target: Target): () => void {
    let was = false;
    return this.listener.subscribe(KEY_CHANGE_CHANNEL, {
      notification: (keyId) => {
        if (keyId) target.forget(keyId);
      },
      resync: () => target.forgetAll(),
      listening: (on) => {
        // Either way the cache may hold keys changed while nobody listened.
        target.forgetAll();
        target.setChangeFeed(on);
        if (on) this.logger?.info('listening for API key changes');
        else if (was) this.logger?.warn('not listening for API key changes: revocations elsewhere reach this process only through the short cache time');
        was = on;
      },
    });
  }
}
