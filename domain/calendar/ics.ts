/**
 * Importing holidays from an iCalendar (.ics) file, e.g. a public-holiday feed or an office's
 * closure calendar exported from a groupware, into calendar exception entries.
 *
 * - An all-day event (DTSTART;VALUE=DATE) becomes a holiday for every date it spans
 *   (DTEND is exclusive, as in RFC 5545; no DTEND = one day).
 * - A timed event that starts and ends on the same date becomes a partial closure. Its times
 *   are read as wall-clock times (floating or its TZID as written); UTC times (`...Z`) are
 *   converted to `options.timezone` when given.
 * - Recurring events are expanded up to `options.until` (default 2035-12-31), at most 1000 times.
 * - Cancelled events are skipped; anything else unusable is reported in `skipped`.
 * - The work per file is bounded ({@link ICS_LIMITS}): the recurrence iterator's internal steps
 *   per event and per file, the dates produced per file, and wall time. A file over a budget
 *   is refused whole with {@link IcsLimitError} naming the event, never imported in part.
 */
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { CalendarDefinitionError } from './errors';
import type { ClosureSpec, LocalDate } from './spec';
import { formatLocalDate, formatTimeOfDay, parseLocalDate } from './time';
import { isKnownTimeZone } from './zone';

export interface IcsImportOptions {
  /** Zone to read UTC event times in (the target calendar's zone). */
  readonly timezone?: string;
  /** Last date to expand recurring events to, `YYYY-MM-DD`. Default `2035-12-31`. */
  readonly until?: LocalDate;
  /** Other budgets than {@link ICS_LIMITS} (tests). */
  readonly limits?: Partial<IcsLimits>;
}

export interface IcsImport {
  /** Whole-day holidays, sorted, without duplicates. */
  readonly holidays: LocalDate[];
  /** Partial closures from timed events. */
  readonly closures: ClosureSpec[];
  /** Events that could not be used, with the reason. */
  readonly skipped: Array<{ readonly summary: string; readonly reason: string }>;
}

const MAX_OCCURRENCES = 1000;
const MAX_EVENT_DAYS = 366;

/**
 * Budgets of one import. ical.js's iterator can spin inside a single `next()` call without ever
 * yielding (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30: it only detects impossible MONTHLY and YEARLY
 * rules), so a step is each candidate it tries, not each occurrence it yields. A daily rule from
 * 1970 to 2035 is ~24,000 steps; a minutely one would pass the per-event budget and is refused.
 */
export const ICS_LIMITS: { readonly stepsPerEvent: number; readonly stepsPerFile: number; readonly entriesPerFile: number; readonly wallMs: number } = {
  stepsPerEvent: 25_000,
  stepsPerFile: 250_000,
  /** Holiday dates and closures produced by the whole file (a 1 MB file holds ~11k events). */
  entriesPerFile: 20_000,
  wallMs: 3_000,
};
export type IcsLimits = typeof ICS_LIMITS;

/** A file refused because it asks for too much work; `uid` and `summary` name the event. */
export class IcsLimitError extends Error {
  override readonly name = 'IcsLimitError';
  constructor(
    readonly uid: string,
    readonly summary: string,
    readonly reason: string,
  ) {
    super(`event ${uid ? `UID ${JSON.stringify(uid)}` : '(no UID)'}${summary ? ` ${JSON.stringify(summary)}` : ''}: ${reason}`);
  }
}

type RecurIterator = InstanceType<typeof ICAL.RecurIterator>;

/**
 * Counts every candidate each rule iterator of `expansion` tries. ical.js calls
 * `check_contracting_rules` once per candidate in the loop inside `next()`, so wrapping it on
 * these instances (nothing global) is the one place a spinning rule can be stopped.
 */
function countSteps(expansion: object, step: () => void): void {
  const iterators = (expansion as { ruleIterators?: RecurIterator[] }).ruleIterators;
  if (!Array.isArray(iterators)) throw new Error('ical.js RecurExpansion without ruleIterators: cannot bound the recurrence work');
  for (const it of iterators) {
    const check = it.check_contracting_rules.bind(it);
    it.check_contracting_rules = () => {
      step();
      return check();
    };
  }
}

/**
 * Parses .ics text into exception entries ready to paste into a calendar file.
 *
 * @example
 * importIcs('BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\nDTEND;VALUE=DATE:20260103\n' +
 *           'SUMMARY:New Year\nEND:VEVENT\nEND:VCALENDAR').holidays
 * // -> ['2026-01-01', '2026-01-02']
 * @throws CalendarDefinitionError (field `ics`) if the text is not iCalendar.
 * @throws IcsLimitError if the file asks for more work than {@link ICS_LIMITS}.
 */
export function importIcs(icsText: string, options: IcsImportOptions = {}): IcsImport {
  const untilDay = parseLocalDate(options.until ?? '2035-12-31');
  if (untilDay === undefined) throw new CalendarDefinitionError('until', `malformed date ${JSON.stringify(options.until)}`);
  if (options.timezone !== undefined && !isKnownTimeZone(options.timezone)) {
    throw new CalendarDefinitionError('timezone', `unknown time zone ${JSON.stringify(options.timezone)}`);
  }
  let root: InstanceType<typeof ICAL.Component>;
  try {
    root = new ICAL.Component(ICAL.parse(icsText));
  } catch (e) {
    throw new CalendarDefinitionError('ics', `not a valid iCalendar file: ${(e as Error).message}`);
  }
  if (root.name !== 'vcalendar') throw new CalendarDefinitionError('ics', `expected a VCALENDAR, found ${root.name.toUpperCase()}`);

  const holidays = new Set<string>();
  const closures: ClosureSpec[] = [];
  const skipped: Array<{ summary: string; reason: string }> = [];
  const limits: IcsLimits = { ...ICS_LIMITS, ...options.limits };
  const deadline = Date.now() + limits.wallMs;
  let fileSteps = 0;
  let entries = 0;

  for (const component of root.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const summary = event.summary ?? '';
    const refuse = (reason: string): never => {
      throw new IcsLimitError(String(component.getFirstPropertyValue('uid') ?? ''), summary, reason);
    };
    if (Date.now() > deadline) refuse(`the file takes more than ${limits.wallMs / 1000} s to import; split it`);
    if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') continue;
    if (!event.startDate) {
      skipped.push({ summary, reason: 'no DTSTART' });
      continue;
    }
    const lengthSeconds = event.endDate ? event.endDate.subtractDate(event.startDate).toSeconds() : 0;
    const starts: Array<InstanceType<typeof ICAL.Time>> = [];
    if (event.isRecurring()) {
      let eventSteps = 0;
      const step = () => {
        if (++eventSteps > limits.stepsPerEvent) refuse(`its recurrence rule tries more than ${limits.stepsPerEvent} candidate dates (a rule that never or rarely matches)`);
        if (++fileSteps > limits.stepsPerFile) refuse(`the file's recurrence rules try more than ${limits.stepsPerFile} candidate dates in all`);
        if ((fileSteps & 0x3ff) === 0 && Date.now() > deadline) refuse(`the file takes more than ${limits.wallMs / 1000} s to import; split it`);
      };
      try {
        const it = event.iterator();
        countSteps(it, step);
        for (let next = it.next(); next && starts.length < MAX_OCCURRENCES; next = it.next()) {
          if (dayOf(next) > untilDay) break;
          starts.push(next);
        }
      } catch (e) {
        if (e instanceof IcsLimitError) throw e;
        // ical.js refuses some rules only when iterating (e.g. WEEKLY with BYMONTHDAY).
        skipped.push({ summary, reason: `unusable recurrence rule: ${(e as Error).message}` });
        continue;
      }
    } else {
      starts.push(event.startDate);
    }
    const produced = (n: number) => {
      entries += n;
      if (entries > limits.entriesPerFile) refuse(`the file yields more than ${limits.entriesPerFile} holiday dates and closures`);
    };

    for (const start of starts) {
      if (start.isDate) {
        const first = dayOf(start);
        const days = Math.max(1, Math.round(lengthSeconds / 86_400));
        if (days > MAX_EVENT_DAYS) {
          skipped.push({ summary, reason: `all-day event longer than ${MAX_EVENT_DAYS} days` });
          break;
        }
        produced(days);
        for (let d = first; d < first + days; d++) holidays.add(formatLocalDate(d));
        continue;
      }
      const from = wallClock(start, options.timezone);
      const end = start.clone();
      end.addDuration(ICAL.Duration.fromSeconds(lengthSeconds));
      const to = wallClock(end, options.timezone);
      const toMinutes = to.day === from.day + 1 && to.minutes === 0 ? 1440 : to.day === from.day ? to.minutes : -1;
      if (toMinutes <= from.minutes) {
        skipped.push({ summary, reason: 'timed event does not start and end on the same date' });
        continue;
      }
      produced(1);
      closures.push({
        date: formatLocalDate(from.day),
        from: formatTimeOfDay(from.minutes),
        to: formatTimeOfDay(toMinutes),
        ...(summary ? { reason: summary } : {}),
      });
    }
  }
  closures.sort((a, b) => (a.date === b.date ? a.from.localeCompare(b.from) : a.date.localeCompare(b.date)));
  return { holidays: [...holidays].sort(), closures, skipped };
}

function dayOf(t: InstanceType<typeof ICAL.Time>): number {
  return Date.UTC(t.year, t.month - 1, t.day) / 86_400_000;
}

/** Day number and minutes since midnight of a timed event boundary (see module doc). */
function wallClock(t: InstanceType<typeof ICAL.Time>, timezone: string | undefined): { day: number; minutes: number } {
  if (timezone !== undefined && t.zone?.tzid === 'UTC') {
    const local = DateTime.fromObject({ year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute }, { zone: 'UTC' }).setZone(timezone);
    return { day: Date.UTC(local.year, local.month - 1, local.day) / 86_400_000, minutes: local.hour * 60 + local.minute };
  }
  return { day: dayOf(t), minutes: t.hour * 60 + t.minute };
}
