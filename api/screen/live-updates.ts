/**
 * Live updates across API processes: the process's one listening connection
 * (db/pg-listener.ts) follows `sla_request_changed` (sent by a trigger on every write of a
 * request row, whichever process or worker wrote it) and this module fans each notification
 * out to its subscribers (the browsers connected to it over Server-Sent Events).
 *
 * A notification is only a nudge naming a request: browsers re-read through the API with their
 * own key's scope, so the table stays the truth and nothing a key may not see is pushed. After
 * the connection dropped and came back, every subscriber is told to re-read everything
 * (notifications sent meanwhile are lost).
 */
import type { Logger } from 'pino';
import type { PgListener } from '../../db/pg-listener';

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
  /** Stops fanning out (the shared listener is closed by its owner). */
  close(): Promise<void>;
}

export interface LiveUpdatesOptions {
  listener: PgListener;
  logger?: Logger;
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
  let unsubscribe: (() => void) | undefined;
  let closed = false;

  const emit = (event: LiveEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        opts.logger?.warn({ err }, 'live update listener failed');
      }
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      // The channel is followed from the first browser on (an API nobody watches needs no LISTEN).
      if (!unsubscribe && !closed) {
        unsubscribe = opts.listener.subscribe(CHANNEL, {
          notification: (payload) => {
            const event = parseChange(payload);
            if (event) emit(event);
          },
          resync: () => emit({ kind: 'resync' }),
        });
      }
      return () => listeners.delete(listener);
    },
    get listening() {
      return !!unsubscribe && opts.listener.isListening(CHANNEL);
    },
    whenListening(timeoutMs) {
      return opts.listener.whenListening(timeoutMs, CHANNEL);
    },
    async close() {
      closed = true;
      listeners.clear();
      unsubscribe?.();
    },
  };
}
