import type { ChildProcess } from 'node:child_process';
import { decideRestart, type RestartPolicy } from './restart-policy';

/** One process the supervisor keeps running: what runs now, and how to start it again. */
export interface SupervisedProcess {
  name: string;
  current(): ChildProcess;
  /** Starts a fresh process; resolves once it serves (rejects if it cannot start). */
  restart(): Promise<void>;
}

export interface Supervisor {
  /** No more restarts: the stack is being stopped on purpose. */
  stop(): void;
}

/**
 * Watches each process; a death is followed by a restart after the policy's back-off, or, when
 * the policy gives up, by `onGiveUp` (the owner stops the whole stack and exits non-zero). A
 * restart that fails counts as another death.
 */
export function supervise(
  processes: SupervisedProcess[],
  opts: { policy: RestartPolicy; log: (line: string) => void; onGiveUp: (reason: string) => void },
): Supervisor {
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();

  const watch = (proc: SupervisedProcess, deaths: number[]) => {
    const child = proc.current();
    const onDeath = (why: string) => {
      if (stopped) return;
      const now = Date.now();
      deaths.push(now);
      const decision = decideRestart(opts.policy, deaths, now);
      if (decision.action === 'give-up') {
        opts.log(`${proc.name} ${why}; it ${decision.reason}: giving up`);
        stopped = true;
        opts.onGiveUp(`${proc.name} ${decision.reason}`);
        return;
      }
      opts.log(`${proc.name} ${why}; restarting in ${decision.delayMs} ms`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (stopped) return;
        proc.restart().then(
          () => {
            if (stopped) return;
            opts.log(`${proc.name} restarted (pid ${proc.current().pid})`);
            watch(proc, deaths);
          },
          (err: Error) => onDeath(`failed to start (${err.message.split('\n')[0]})`),
        );
      }, decision.delayMs);
      timers.add(timer);
    };
    if (child.exitCode !== null || child.signalCode !== null) onDeath(`exited (code ${child.exitCode}, signal ${child.signalCode})`);
    else child.once('exit', (code, signal) => onDeath(`exited (code ${code}, signal ${signal})`));
  };

  for (const proc of processes) watch(proc, []);
  return {
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
