/**
 * What the local supervisor does when one of its processes dies: start it again after a
 * back-off that doubles with each recent death, and give up (so that the whole stack exits
 * non-zero and an outer supervisor can act) once it has died more than `maxRestarts` times
 * within `windowMs`. Pure, so the policy is tested without processes.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

// Five restarts in two minutes: a component that crashes once (an OOM kill, a kill -9) comes
// back within a second; one that cannot start (a port taken, a broken data dir) stops the
// stack within about half a minute instead of flapping for ever.
export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 120_000, initialDelayMs: 500, maxDelayMs: 15_000 };

export type RestartDecision = { action: 'restart'; delayMs: number } | { action: 'give-up'; reason: string };

/** `deaths`: instants (ms) of this process's deaths so far, the latest included. */
export function decideRestart(policy: RestartPolicy, deaths: readonly number[], now: number): RestartDecision {
  const recent = deaths.filter((t) => now - t < policy.windowMs).length;
  if (recent > policy.maxRestarts) {
    return { action: 'give-up', reason: `died ${recent} times within ${Math.round(policy.windowMs / 1000)} s` };
  }
  const delayMs = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, recent - 1));
  return { action: 'restart', delayMs };
}

/** RESTART_MAX (restarts) and RESTART_WINDOW_MS override the default, e.g. for an operator's taste. */
export function restartPolicyFromEnv(env: NodeJS.ProcessEnv = process.env): RestartPolicy {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
    return value;
  };
  return {
    ...DEFAULT_RESTART_POLICY,
    maxRestarts: int('RESTART_MAX', DEFAULT_RESTART_POLICY.maxRestarts),
    windowMs: int('RESTART_WINDOW_MS', DEFAULT_RESTART_POLICY.windowMs),
  };
}
