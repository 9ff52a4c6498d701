/**
 * An SLA clock: working time measured on the request's pinned calendar from registration
 * until its target event (first public response, or resolution), with pauses.
 *
 * The clock itself never touches a calendar: whoever moves it passes in the working time
 * measured (`usedInSegmentMs`) or the instants planned (`ClockPlan`). The workflow obtains
 * those numbers from local activities, so replay never depends on calendar data or time-zone
 * rules that may change later. Every function returns a new clock; none mutates its input.
 */
/**
 * `next_reply`: the agent's next public reply after a customer's reply (when the pinned terms
 * set a target). One clock per round: each customer reply that waits for an answer appends one.
 */
export type ClockKind = 'first_response' | 'resolution' | 'next_reply';

export type ClockStatus = 'running' | 'paused' | 'met' | 'breached' | 'not_regulated' | 'cancelled';

export interface ClockWarning {
  /** Fraction of the target, e.g. 0.75. */
  fraction: number;
  /** When the used time reaches the fraction on the current plan; null when already past it at planning or paused. */
  atMs: number | null;
  firedAtMs: number | null;
  /**
   * Set when the warning's instant had already passed when the clock was planned (a request
   * registered with an earlier receipt time, an action recorded after the fact): it is
   * recorded as missed at this instant and never sent late. Absent on older snapshots.
   */
  missedAtMs?: number;
}

/** A warning that was sent or missed: never planned or sent again. */
export function isSettled(w: ClockWarning): boolean {
  return w.firedAtMs !== null || w.missedAtMs !== undefined;
}

export interface ClockEscalation {
  /** Index of the step in the pinned policy's escalation ladder. */
  step: number;
  atMs: number;
  firedAtMs: number | null;
}

export interface ClockPause {
  fromMs: number;
  toMs: number | null;
  reason: string;
}

export interface SlaClock {
  kind: ClockKind;
  /** Working ms allowed; null = not regulated (measured and reported, never breached). */
  targetMs: number | null;
  /** Start of the current running segment; null while paused or stopped. */
  runningSinceMs: number | null;
  /** Working ms used in finished segments. */
  usedBeforeMs: number;
  /** Instant the target is used up if the clock keeps running (regulated clocks only). */
  dueAtMs: number | null;
  warnings: ClockWarning[];
  metAtMs: number | null;
  /** The breach instant is the due instant, by definition. */
  breachedAtMs: number | null;
  escalations: ClockEscalation[];
  pauses: ClockPause[];
  /** When the clock stopped for good (target event, or cancellation). */
  stoppedAtMs: number | null;
  cancelled: boolean;
  /** How often a resolved request came back (resolution clock). */
  reopenCount: number;
}

/** Instants planned by the calendar for a clock resumed at some instant. */
export interface ClockPlan {
  dueAtMs: number;
  /** One per warning fraction; null for fractions already used up. */
  warnAtMs: Array<number | null>;
}

export function startClock(kind: ClockKind, targetMs: number | null, atMs: number, warningFractions: readonly number[]): SlaClock {
  return {
    kind,
    targetMs,
    runningSinceMs: atMs,
    usedBeforeMs: 0,
    dueAtMs: null,
    warnings: targetMs === null ? [] : warningFractions.map((fraction) => ({ fraction, atMs: null, firedAtMs: null })),
    metAtMs: null,
    breachedAtMs: null,
    escalations: [],
    pauses: [],
    stoppedAtMs: null,
    cancelled: false,
    reopenCount: 0,
  };
}

export function isRunning(c: SlaClock): boolean {
  return c.runningSinceMs !== null;
}

/** Whether the clock's deadline and warnings should be (re)planned. */
function needsPlan(c: SlaClock): boolean {
  return isRunning(c) && c.targetMs !== null && c.breachedAtMs === null;
}

export function statusOf(c: SlaClock): ClockStatus {
  if (c.cancelled) return 'cancelled';
  if (c.targetMs === null) return 'not_regulated';
  if (c.breachedAtMs !== null) return 'breached';
  if (c.metAtMs !== null) return 'met';
  return isRunning(c) ? 'running' : 'paused';
}

/** Budgets the calendar must add to the running segment's start to plan due and warnings. */
export function planBudgets(c: SlaClock): { dueBudgetMs: number; warningBudgetsMs: Array<number | null> } | null {
  if (!needsPlan(c)) return null;
  const target = c.targetMs!;
  return {
    dueBudgetMs: Math.max(0, target - c.usedBeforeMs),
    warningBudgetsMs: c.warnings.map((w) => {
      if (isSettled(w)) return null;
      const budget = Math.round(w.fraction * target) - c.usedBeforeMs;
      return budget > 0 ? budget : null;
    }),
  };
}

export function applyPlan(c: SlaClock, plan: ClockPlan): SlaClock {
  return {
    ...c,
    dueAtMs: plan.dueAtMs,
    warnings: c.warnings.map((w, i) => (isSettled(w) ? w : { ...w, atMs: plan.warnAtMs[i] ?? null })),
  };
}

/** Stops the running segment at `atMs`, adding the working time it used. */
function closeSegment(c: SlaClock, usedInSegmentMs: number): SlaClock {
  if (!isRunning(c)) return c;
  return { ...c, runningSinceMs: null, usedBeforeMs: c.usedBeforeMs + usedInSegmentMs };
}

export function pauseClock(c: SlaClock, atMs: number, usedInSegmentMs: number, reason: string): SlaClock {
  if (!isRunning(c) || c.stoppedAtMs !== null) return c;
  const closed = closeSegment(c, usedInSegmentMs);
  return {
    ...closed,
    // A paused clock has no deadline: it is re-planned on resume.
    dueAtMs: c.breachedAtMs === null ? null : c.dueAtMs,
    warnings: closed.warnings.map((w) => (isSettled(w) ? w : { ...w, atMs: null })),
    pauses: [...c.pauses, { fromMs: atMs, toMs: null, reason }],
  };
}

/** The running segment ends at `atMs` with the working time it used, and a new one starts there (a re-plan onto another calendar version). */
export function continueSegment(c: SlaClock, usedInSegmentMs: number, atMs: number): SlaClock {
  if (!isRunning(c)) return c;
  return { ...closeSegment(c, usedInSegmentMs), runningSinceMs: atMs };
}

export function resumeClock(c: SlaClock, atMs: number): SlaClock {
  if (isRunning(c) || c.stoppedAtMs !== null) return c;
  return { ...c, runningSinceMs: atMs, pauses: c.pauses.map((p) => (p.toMs === null ? { ...p, toMs: atMs } : p)) };
}

/** The target event happened: a regulated clock is met (or stays breached). */
export function stopClock(c: SlaClock, atMs: number, usedInSegmentMs: number): SlaClock {
  if (c.stoppedAtMs !== null) return c;
  const closed = closeSegment(c, usedInSegmentMs);
  return {
    ...closed,
    pauses: closed.pauses.map((p) => (p.toMs === null ? { ...p, toMs: atMs } : p)),
    metAtMs: c.breachedAtMs === null && c.targetMs !== null ? atMs : c.metAtMs,
    stoppedAtMs: atMs,
  };
}

export function cancelClock(c: SlaClock, atMs: number, usedInSegmentMs: number): SlaClock {
  if (c.stoppedAtMs !== null) return c;
  return { ...stopClock(c, atMs, usedInSegmentMs), metAtMs: c.metAtMs, cancelled: true };
}

/** A resolved request came back: the same clock runs on from where it stopped. */
export function reopenClock(c: SlaClock, atMs: number): SlaClock {
  if (c.stoppedAtMs === null) return c;
  return { ...c, stoppedAtMs: null, metAtMs: null, runningSinceMs: atMs, reopenCount: c.reopenCount + 1 };
}

export function markWarningFired(c: SlaClock, index: number, atMs: number): SlaClock {
  return { ...c, warnings: c.warnings.map((w, i) => (i === index ? { ...w, firedAtMs: atMs } : w)) };
}

/**
 * Warnings planned at or before `nowMs` that have not been sent: the clock started (or resumed)
 * in the past, so they are recorded as missed instead of being sent late as if fresh.
 */
export function markMissedWarnings(c: SlaClock, nowMs: number): { clock: SlaClock; missed: number[] } {
  const missed: number[] = [];
  // Only a running clock's warnings are pending (alarms.ts); a stopped or breached one's never fire.
  if (!isRunning(c) || c.breachedAtMs !== null || c.stoppedAtMs !== null) return { clock: c, missed };
  const warnings = c.warnings.map((w, i) => {
    if (isSettled(w) || w.atMs === null || w.atMs > nowMs) return w;
    missed.push(i);
    return { ...w, missedAtMs: nowMs };
  });
  return missed.length === 0 ? { clock: c, missed } : { clock: { ...c, warnings }, missed };
}

export function markBreached(c: SlaClock, escalationAtMs: number[]): SlaClock {
  return {
    ...c,
    breachedAtMs: c.dueAtMs,
    escalations: escalationAtMs.map((atMs, step) => ({ step, atMs, firedAtMs: null })),
  };
}

export function markEscalationFired(c: SlaClock, step: number, atMs: number): SlaClock {
  return { ...c, escalations: c.escalations.map((e) => (e.step === step ? { ...e, firedAtMs: atMs } : e)) };
}

/** Working time used up to `nowMs`, given the working time of the running segment so far. */
export function usedAt(c: SlaClock, runningSegmentMs: number): number {
  return c.usedBeforeMs + (isRunning(c) ? runningSegmentMs : 0);
}
