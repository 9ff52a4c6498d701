/**
 * Running clocks moving to another version of their calendar at an instant (a re-plan): the
 * time each used so far is measured on the old version, the rest is planned on the new one.
 *
 * The two steps depend on each other (the plan needs the time used), so as plain asks they are
 * two round trips. `moveClocks` is their one definition: the state machine asks it as one
 * question (`move_clocks`), and whoever answers it either runs it inside one activity against
 * both calendar versions, or, for histories recorded before, answers its steps one by one.
 */
import { askAll, type AskOf, type Asking } from './asks';
import { applyPlan, continueSegment, planBudgets, type ClockPlan, type SlaClock } from './sla-clock';

/** What moving one clock found: the working time its segment used on the old version, and its plan on the new one (null: nothing to plan). */
export interface ClockMove {
  usedMs: number;
  plan: ClockPlan | null;
}

/** The steps of a move: every clock measured at once, then every clock that needs one planned at once. */
export function* moveClocks(q: AskOf<'move_clocks'>): Asking<ClockMove[]> {
  const used = yield* askAll(q.clocks.map((c) => ({ kind: 'working_time' as const, calendar: q.from, fromMs: c.runningSinceMs!, toMs: q.atMs })));
  const planned = q.clocks.flatMap((c, k) => {
    const budgets = planBudgets(continueSegment(c, used[k]!, q.atMs));
    return budgets ? [{ k, ask: { kind: 'plan' as const, calendar: q.to, fromMs: q.atMs, ...budgets } }] : [];
  });
  const plans = yield* askAll(planned.map((p) => p.ask));
  const moves: ClockMove[] = used.map((usedMs) => ({ usedMs, plan: null }));
  planned.forEach(({ k }, j) => (moves[k]!.plan = plans[j]!));
  return moves;
}

/** The clock after its move. */
export function applyMove(c: SlaClock, move: ClockMove, atMs: number): SlaClock {
  const moved = continueSegment(c, move.usedMs, atMs);
  return move.plan ? applyPlan(moved, move.plan) : moved;
}
