import type { ComponentStatus } from './checks';

export type Components = Record<string, ComponentStatus>;

export interface Readiness {
  /** The latest probe no older than `maxAgeMs`, or a new one shared by every concurrent caller. */
  current(): Promise<Components>;
}

/**
 * Readiness computed at most once per `maxAgeMs`: `/readyz` is public, so a burst of probes
 * (or an attacker) must not turn into a database query and two Temporal calls each. Concurrent
 * callers share the probe in flight (single flight); a probe that throws is not cached.
 * `onProbe` sees every fresh result (to log what went down, with details).
 */
export function cachedReadiness(probe: () => Promise<Components>, maxAgeMs: number, onProbe: (c: Components) => void = () => undefined, now: () => number = Date.now): Readiness {
  let last: { at: number; value: Components } | undefined;
  let inFlight: Promise<Components> | undefined;
  return {
    current() {
      if (last && now() - last.at < maxAgeMs) return Promise.resolve(last.value);
      if (inFlight) return inFlight;
      const started = now();
      inFlight = probe()
        .then((value) => {
          last = { at: started, value };
          onProbe(value);
          return value;
        })
        .finally(() => {
          inFlight = undefined;
        });
      return inFlight;
    },
  };
}

/** What an unauthenticated caller may see: each component's name and status, nothing else. */
export function publicView(components: Components): Record<string, { status: ComponentStatus['status'] }> {
  return Object.fromEntries(Object.entries(components).map(([name, c]) => [name, { status: c.status }]));
}
