/**
 * What the request state machine needs to know from the outside world to make a change: the
 * working time a clock used, the instants a calendar plans, who is to be told. A transition is
 * a generator that yields these asks in order and receives the answers; it never does I/O.
 *
 * The workflow answers each ask with one (local) activity, so the answers land in history and
 * a replay never recomputes them; a unit test answers them from a calendar in memory
 * (test/unit/request/fixtures.ts). The order of asks is the order of the workflow's commands:
 * change it and running requests no longer replay (see workflows/answer-asks.ts).
 */
import type { CalendarVersionRef } from '../calendar/versions';
import type { RecipientView } from '../notification/intent';
import type { ClockMove } from './move-clocks';
import type { ClockPlan, SlaClock } from './sla-clock';

export type Ask =
  /** The calendar version in force at an instant (a request without a pinned version). */
  | { kind: 'calendar_version'; calendarId: string; atMs: number }
  /** Working time in [fromMs, toMs) on the request's calendar. */
  | { kind: 'working_time'; calendar: CalendarVersionRef; fromMs: number; toMs: number }
  /** Due and warning instants of a clock running from `fromMs` with these budgets left. */
  | { kind: 'plan'; calendar: CalendarVersionRef; fromMs: number; dueBudgetMs: number; warningBudgetsMs: Array<number | null> }
  /** `fromMs` plus each budget of working time (the escalation ladder after a breach). */
  | { kind: 'working_instants'; calendar: CalendarVersionRef; fromMs: number; budgetsMs: number[] }
  /** When a request resolved at `fromMs` closes itself (see domain/calendar/working-days.ts). */
  | { kind: 'auto_close'; calendar: CalendarVersionRef; fromMs: number; days: number }
  /** Directory entries with any of the roles or ids, and the instant they were read. */
  | { kind: 'recipients'; roles: string[]; recipientIds: string[] }
  /** A recipient's next working instant at or after `atMs` (quiet hours). */
  | { kind: 'next_working_instant'; calendarId: string; atMs: number }
  /** Several independent calendar asks at once (see {@link askAll}), answered in their order. */
  | { kind: 'batch'; asks: BatchableAsk[] }
  /** Running clocks measured on `from` until `atMs` and planned on `to` from then (a re-plan; see move-clocks.ts). */
  | { kind: 'move_clocks'; from: CalendarVersionRef; to: CalendarVersionRef; atMs: number; clocks: SlaClock[] };

/** Asks that {@link askAll} may put in one batch: pure calendar arithmetic. */
export type BatchableAsk = Extract<Ask, { kind: 'working_time' | 'plan' }>;

export interface Answers {
  calendar_version: CalendarVersionRef;
  working_time: number;
  plan: ClockPlan;
  working_instants: number[];
  auto_close: number;
  recipients: { recipients: RecipientView[]; atMs: number };
  /** `unknownCalendar`: the recipient's quiet-hours calendar does not exist (a data error). */
  next_working_instant: { atMs: number } | { unknownCalendar: string };
  batch: Array<Answers[BatchableAsk['kind']]>;
  /** One per clock asked, in order. */
  move_clocks: ClockMove[];
}

export type AskKind = Ask['kind'];
export type AskOf<K extends AskKind> = Extract<Ask, { kind: K }>;

/** A computation that asks questions and ends with a `T`. */
export type Asking<T> = Generator<Ask, T, unknown>;

/** Asks one question; `yield* ask(...)` evaluates to its answer. */
export function* ask<K extends AskKind>(question: AskOf<K>): Asking<Answers[K]> {
  return (yield question) as Answers[K];
}

/**
 * Asks questions whose answers do not depend on each other: one ask for one, a batch for more.
 * The workflow answers a batch with one activity (or, in runs recorded before batches, each
 * ask in order, as before); a transition reads the answers in the order it asked.
 */
export function* askAll<K extends BatchableAsk['kind']>(questions: Array<AskOf<K>>): Asking<Array<Answers[K]>> {
  if (questions.length === 0) return [];
  if (questions.length === 1) return [yield* ask(questions[0]!)];
  return (yield { kind: 'batch', asks: questions }) as Array<Answers[K]>;
}

/** Answers every ask of `computation` with `answer` and returns its result. */
export async function runAsking<T>(computation: Asking<T>, answer: <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]>): Promise<T> {
  let step = computation.next();
  while (!step.done) step = computation.next(await answer(step.value));
  return step.value;
}

/** The same, for answers that need no waiting (unit tests, the bench); a batch is answered ask by ask. */
export function runAskingSync<T>(computation: Asking<T>, answer: <K extends AskKind>(question: AskOf<K>) => Answers[K]): T {
  const answerOne = (q: Ask): unknown => (q.kind === 'batch' ? q.asks.map(answerOne) : answer(q));
  let step = computation.next();
  while (!step.done) step = computation.next(answerOne(step.value));
  return step.value;
}

/** An ask and the answer it was given: asked once ahead (registration's, where it is admitted) and told to the workflow. */
export interface AnsweredAsk {
  ask: Ask;
  answer: unknown;
}

/** {@link runAsking}, keeping each ask with its answer, in order. */
export async function runAskingRecorded<T>(
  computation: Asking<T>,
  answer: <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]>,
): Promise<{ result: T; answered: AnsweredAsk[] }> {
  const answered: AnsweredAsk[] = [];
  const result = await runAsking(computation, async (ask) => {
    const a = await answer(ask);
    answered.push({ ask, answer: a });
    return a;
  });
  return { result, answered };
}

/**
 * Answers from `answered` in order while each ask is the one recorded there (compared as JSON,
 * as asks travel, or by `same`), and from `otherwise` once one differs: an answer is never taken for a
 * question it was not given to (other inputs, other code).
 */
export function answeringFrom(
  answered: readonly AnsweredAsk[],
  otherwise: <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]>,
  same: (recorded: Ask, asked: Ask) => boolean = (a, b) => JSON.stringify(a) === JSON.stringify(b),
): <K extends AskKind>(question: AskOf<K>) => Promise<Answers[K]> {
  let next = 0;
  return async <K extends AskKind>(question: AskOf<K>): Promise<Answers[K]> => {
    const recorded = answered[next];
    if (recorded && same(recorded.ask, question)) {
      next++;
      return recorded.answer as Answers[K];
    }
    next = answered.length;
    return otherwise(question);
  };
}

/**
 * Whether two asks are the same question whatever the order of their keys: asks built from a
 * request read back from PostgreSQL (jsonb orders keys its own way) against the workflow's own.
 */
export function sameAsk(a: Ask, b: Ask): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
