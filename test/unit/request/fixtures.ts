// Shared helpers for the request state-machine tests (not a test file: jest runs *.test.ts only).
// Asks are answered from the shipped calendars in memory, the way the workflow's local
// activities answer them from the registry.
import { DateTime } from 'luxon';
import { addWorkingTime, endOfWorkingDays, loadShippedCalendar, nextWorkingInstant, workingTimeBetween, type Calendar } from '../../../domain/calendar';
import type { RecipientView } from '../../../domain/notification/intent';
import type { PinnedPolicy } from '../../../domain/policy/pinned';
import { runAskingSync, type Answers, type AskKind, type AskOf, type Asking } from '../../../domain/request/asks';
import { moveClocks } from '../../../domain/request/move-clocks';
import { act, fire, register, type RequestCommand, type Transition } from '../../../domain/request/lifecycle';
import { pendingAlarms } from '../../../domain/request/alarms';
import type { RequestSnapshot } from '../../../domain/request/snapshot';
import { HOUR_MS } from '../../../domain/time-units';

export const H = HOUR_MS;
/** Epoch ms of a Moscow wall-clock time. */
export const msk = (iso: string): number => DateTime.fromISO(iso, { zone: 'Europe/Moscow' }).toMillis();

const calendars = new Map<string, Calendar>();
export function calendarOf(id: string): Calendar {
  if (!calendars.has(id)) calendars.set(id, loadShippedCalendar(id));
  return calendars.get(id)!;
}

/** Warranty-like terms on the supplier calendar: 8 h first response, 40 h resolution. */
export function policy(overrides: Partial<PinnedPolicy> = {}): PinnedPolicy {
  return {
    pinnedPolicyVersion: 1,
    level: 'warranty',
    levelName: { en: 'Warranty', ru: 'Гарантийная' },
    catalogueVersion: 'test',
    customerId: 'acme',
    productId: 'kompas',
    calendar: { id: 'supplier' },
    calendarVersionId: '1',
    priority: 'normal',
    targets: { firstResponse: { workingMs: 8 * H }, resolution: { workingMs: 40 * H } },
    warnings: [0.75],
    warningNotify: ['assignee'],
    escalation: [
      { afterBreachWorkingMs: 0, notify: ['team-lead'] },
      { afterBreachWorkingMs: 4 * H, notify: ['head-of-support'] },
    ],
    autoCloseWorkingDays: 5,
    notify: { escalationContacts: [] },
    channels: ['supplier-email'],
    services: ['defect-report'],
    reasons: ['test'],
    pinnedAtMs: 0,
    ...overrides,
  };
}

export interface Directory {
  recipients: RecipientView[];
  /** Quiet-hours calendars by id; a recipient naming another id has an unknown calendar. */
  quiet: Record<string, Calendar>;
}

/** Answers every ask as the workflow's activities would, at the instant `now()`. */
export function answerer(now: () => number, directory: Directory = { recipients: [], quiet: {} }) {
  const answer = <K extends AskKind>(q: AskOf<K>): Answers[K] => {
    const a = q as AskOf<AskKind>;
    switch (a.kind) {
      case 'calendar_version':
        return { id: a.calendarId, versionId: '1' } as Answers[K];
      case 'working_time':
        return workingTimeBetween(calendarOf(a.calendar.id), a.fromMs, a.toMs).workingMs as Answers[K];
      case 'plan': {
        const cal = calendarOf(a.calendar.id);
        return {
          dueAtMs: addWorkingTime(cal, a.fromMs, a.dueBudgetMs).dueMs,
          warnAtMs: a.warningBudgetsMs.map((b) => (b === null ? null : addWorkingTime(cal, a.fromMs, b).dueMs)),
        } as Answers[K];
      }
      case 'working_instants':
        return a.budgetsMs.map((b) => addWorkingTime(calendarOf(a.calendar.id), a.fromMs, b).dueMs) as Answers[K];
      case 'auto_close':
        return endOfWorkingDays(calendarOf(a.calendar.id), a.fromMs, a.days) as Answers[K];
      case 'recipients':
        return {
          recipients: directory.recipients.filter((r) => r.roles.some((role) => a.roles.includes(role)) || a.recipientIds.includes(r.id)),
          atMs: now(),
        } as Answers[K];
      case 'next_working_instant': {
        const cal = directory.quiet[a.calendarId];
        return (cal ? { atMs: nextWorkingInstant(cal, a.atMs) } : { unknownCalendar: `unknown calendar "${a.calendarId}"` }) as Answers[K];
      }
      case 'batch':
        return a.asks.map((one) => answer(one)) as Answers[K];
      case 'move_clocks':
        return runAskingSync(moveClocks(a), answer) as Answers[K];
    }
  };
  return answer;
}

/**
 * A request driven the way its workflow drives it: commands at instants, and every alarm
 * fired at its own instant on the way there.
 */
export class Desk {
  r: RequestSnapshot;
  now: number;
  readonly transitions: Transition[] = [];
  private readonly answer: ReturnType<typeof answerer>;

  /** `receivedAtMs`: intake says the request reached the desk earlier than `at`. */
  constructor(p: PinnedPolicy, at: number, directory?: Directory, receivedAtMs?: number) {
    this.now = at;
    this.answer = answerer(() => this.now, directory);
    this.r = this.run(register({ requestId: 'SR-TEST', requestKey: 'test:1' }, { subject: 'Crash on export' }, p, at, receivedAtMs));
  }

  run(t: Asking<Transition>): RequestSnapshot {
    const done = runAskingSync(t, this.answer);
    this.transitions.push(done);
    this.r = done.snapshot;
    return this.r;
  }

  /** Moves time to `atMs`, firing every alarm that falls due on the way, at its instant. */
  advanceTo(atMs: number): void {
    for (;;) {
      const next = pendingAlarms(this.r)[0];
      if (!next || next.atMs > atMs) break;
      this.now = Math.max(this.now, next.atMs);
      for (const alarm of pendingAlarms(this.r)) {
        if (alarm.atMs > this.now) break;
        this.run(fire(this.r, alarm, this.now));
      }
    }
    this.now = Math.max(this.now, atMs);
  }

  do(command: RequestCommand, atMs = this.now): RequestSnapshot {
    this.advanceTo(atMs);
    return this.run(act(this.r, command, this.now));
  }

  events() {
    return this.transitions.flatMap((t) => t.events);
  }

  notices() {
    return this.transitions.flatMap((t) => t.notices);
  }
}
