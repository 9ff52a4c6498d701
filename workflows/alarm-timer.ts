import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';

/** The timer the main loop waits on: when it is due, and what Temporal shows of it. */
export interface AlarmAim {
  atMs: number;
  /** The timer's summary in Temporal's UI (observe.ts), when the run keeps one. */
  summary?: string;
}

interface Armed extends AlarmAim {
  scope: CancellationScope;
  fired: boolean;
}

/**
 * One timer for the request's earliest alarm, kept across the changes that do not move it
 * (KEPT_TIMER_PATCH). `condition(fn, timeout)` starts a timer per wait and cancels it when `fn`
 * becomes true: every change cost a cancelled and a started timer (two commands, two history
 * events and a timer task in Temporal), even a re-plan that moved only later deadlines, which
 * is what most of a calendar change's re-plans are.
 */
export class AlarmTimer {
  private armed: Armed | undefined;

  /** Waits until `woken()` or the alarm is due; true when the alarm is due. */
  async wait(aim: AlarmAim | undefined, woken: () => boolean): Promise<boolean> {
    const armed = this.aim(aim);
    await condition(() => woken() || armed?.fired === true);
    return armed?.fired === true;
  }

  /** Cancels the timer (the loop fires what is due without waiting, or the run ends). */
  stop(): void {
    if (this.armed && !this.armed.fired) this.armed.scope.cancel();
    this.armed = undefined;
  }

  private aim(aim: AlarmAim | undefined): Armed | undefined {
    const kept = this.armed;
    if (kept && !kept.fired && aim && kept.atMs === aim.atMs && kept.summary === aim.summary) return kept;
    this.stop();
    if (!aim) return undefined;
    const armed: Armed = { ...aim, scope: new CancellationScope(), fired: false };
    armed.scope
      .run(() => sleep(aim.atMs - Date.now(), aim.summary === undefined ? undefined : { summary: aim.summary }))
      .then(
        () => {
          armed.fired = true;
        },
        (err: unknown) => {
          // Cancelled by stop(); anything else is a bug and fails the workflow task.
          if (!isCancellation(err)) throw err;
        },
      );
    this.armed = armed;
    return armed;
  }
}
