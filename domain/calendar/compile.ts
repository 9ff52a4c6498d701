/**
 * Validation and compilation: CalendarSpec (JSON-friendly) -> Calendar (ready to compute).
 *
 * Everything that can be wrong with a calendar is found here, once, with a message naming
 * the field; the operations can then trust the compiled data.
 */
import { DayTable, EXCEPTION_RANK, MAX_DAY, MIN_DAY } from './days';
import type { CompiledExceptionSet, DayException } from './days';
import { CalendarDefinitionError } from './errors';
import { shippedExceptionSets } from './exception-sets';
import type { Calendar, MinuteRange } from './model';
import { WEEKDAYS } from './spec';
import type { CalendarSpec, ExceptionFields, ExceptionSetSpec } from './spec';
import { formatLocalDate, parseLocalDate, parseTimeOfDay } from './time';
import { isKnownTimeZone, zoneClock } from './zone';

/** The fields a calendar (or one version of a versioned calendar) may have. */
export const CALENDAR_KEYS: ReadonlySet<string> = new Set([
  'id', 'name', 'description', '$comment', 'timezone', 'week', 'exceptionSets', 'exceptionPolicy', 'coverage',
  'holidays', 'workingDays', 'shortDays', 'closures',
  // accepted so a version of a versioned calendar compiles as a calendar
  'versionId', 'effectiveFrom',
]);
const SET_KEYS = new Set(['id', 'name', 'description', '$comment', 'coverage', 'fixedHolidays', 'holidays', 'workingDays', 'shortDays', 'closures']);

/**
 * Validates a calendar spec and compiles it.
 *
 * @param spec           the calendar (see docs/calendar-format.md)
 * @param exceptionSets  the shared exception sets it may name; defaults to the shipped ones
 *                       (`ru-production`: the Russian production calendar 2024-2027)
 * @throws CalendarDefinitionError naming the offending field: no working time at all,
 *         overlapping ranges, unknown time zone, end before start, malformed times or dates,
 *         unknown exception set, conflicting exceptions on one date.
 *
 * @example
 * const cal = compileCalendar({
 *   timezone: 'Europe/Moscow',
 *   week: { mon: [['10:00', '18:00']], tue: [['10:00', '18:00']], wed: [['10:00', '18:00']],
 *           thu: [['10:00', '18:00']], fri: [['10:00', '18:00']] },
 *   exceptionSets: ['ru-production'],
 * });
 * // Friday 2026-11-27 17:00 MSK + 8 working hours -> Monday 2026-11-30 17:00 MSK
 * addWorkingTime(cal, Date.parse('2026-11-27T17:00:00+03:00'), 8 * 3_600_000).dueMs
 *   === Date.parse('2026-11-30T17:00:00+03:00');
 */
export function compileCalendar(
  spec: CalendarSpec,
  exceptionSets: Readonly<Record<string, ExceptionSetSpec>> = shippedExceptionSets,
  version?: { versionId?: string; effectiveFromMs?: number },
): Calendar {
  if (!isObject(spec)) throw new CalendarDefinitionError('', 'a calendar must be a JSON object');
  rejectUnknownKeys(spec, CALENDAR_KEYS, '');
  if (spec.id !== undefined && (typeof spec.id !== 'string' || spec.id === '')) {
    throw new CalendarDefinitionError('id', `must be a non-empty string, got ${show(spec.id)}`);
  }
  if (!isKnownTimeZone(spec.timezone)) {
    throw new CalendarDefinitionError('timezone', `unknown time zone ${show(spec.timezone)} (expected an IANA name such as "Europe/Moscow")`);
  }

  // Weekly schedule.
  if (!isObject(spec.week)) throw new CalendarDefinitionError('week', 'must be an object with keys mon..sun');
  rejectUnknownKeys(spec.week, new Set<string>(WEEKDAYS), 'week');
  const week = WEEKDAYS.map((d) => compileRanges(spec.week[d] ?? [], `week.${d}`));
  if (week.every((r) => r.length === 0)) {
    throw new CalendarDefinitionError('week', 'the weekly schedule has no working time at all');
  }

  // Policy for exceptions that carry no hours.
  const policy = spec.exceptionPolicy ?? {};
  if (!isObject(policy)) throw new CalendarDefinitionError('exceptionPolicy', 'must be an object');
  rejectUnknownKeys(policy, new Set(['workingWeekendHours', 'shortDayMinutes']), 'exceptionPolicy');
  const workingWeekendRanges =
    policy.workingWeekendHours !== undefined
      ? compileRanges(policy.workingWeekendHours, 'exceptionPolicy.workingWeekendHours')
      : (week.find((r) => r.length > 0) as MinuteRange[]);
  const shortDayMinutes = policy.shortDayMinutes ?? 60;
  if (!Number.isInteger(shortDayMinutes) || shortDayMinutes < 1 || shortDayMinutes > 1440) {
    throw new CalendarDefinitionError('exceptionPolicy.shortDayMinutes', `must be a whole number of minutes 1..1440, got ${show(shortDayMinutes)}`);
  }

  // Shared exception sets.
  const setIds = spec.exceptionSets ?? [];
  if (!Array.isArray(setIds)) throw new CalendarDefinitionError('exceptionSets', 'must be an array of exception-set ids');
  const sets = setIds.map((id, i) => {
    const set = typeof id === 'string' && Object.prototype.hasOwnProperty.call(exceptionSets, id) ? exceptionSets[id] : undefined;
    if (set === undefined) {
      const known = Object.keys(exceptionSets).join(', ') || 'none';
      throw new CalendarDefinitionError(`exceptionSets[${i}]`, `unknown exception set ${show(id)} (known: ${known})`);
    }
    return compileExceptionSet(set);
  });

  // Own coverage and exceptions.
  let coverageFromDay = -Infinity;
  let coverageToDay = Infinity;
  if (spec.coverage !== undefined) {
    const c = compileCoverage(spec.coverage, 'coverage');
    coverageFromDay = c.fromDay;
    coverageToDay = c.toDay;
  }
  for (const set of sets) {
    coverageFromDay = Math.max(coverageFromDay, set.fromDay);
    coverageToDay = Math.min(coverageToDay, set.toDay);
  }
  const own = compileExceptions(spec, '', undefined);

  const zone = zoneClock(spec.timezone);
  const days = new DayTable({ zone, week, sets, own, workingWeekendRanges, shortDayMinutes, coverageFromDay, coverageToDay });
  const frozen = deepFreeze(JSON.parse(JSON.stringify(spec)) as CalendarSpec);
  const hasFrom = Number.isFinite(coverageFromDay);
  const hasTo = Number.isFinite(coverageToDay);
  return Object.freeze({
    id: spec.id ?? 'calendar',
    ...(version?.versionId !== undefined ? { versionId: version.versionId } : {}),
    effectiveFromMs: version?.effectiveFromMs ?? -Infinity,
    timezone: spec.timezone,
    spec: frozen,
    coverage: Object.freeze({
      from: hasFrom ? formatLocalDate(coverageFromDay) : null,
      to: hasTo ? formatLocalDate(coverageToDay) : null,
    }),
    coverageMs: Object.freeze({
      fromMs: hasFrom ? (zone.dayToUtc(coverageFromDay, [0])[0] as number) : -Infinity,
      toMs: hasTo ? (zone.dayToUtc(coverageToDay + 1, [0])[0] as number) : Infinity,
    }),
    days,
  });
}

const compiledSets = new WeakMap<ExceptionSetSpec, CompiledExceptionSet>();

/**
 * Validates and compiles a shared exception set (memoised per spec object, so the many
 * calendars sharing one set share one compiled copy).
 */
export function compileExceptionSet(set: ExceptionSetSpec): CompiledExceptionSet {
  const hit = compiledSets.get(set);
  if (hit) return hit;
  const where = `exception set ${isObject(set) && typeof set.id === 'string' ? `"${set.id}"` : '(no id)'}`;
  if (!isObject(set)) throw new CalendarDefinitionError(where, 'must be a JSON object');
  rejectUnknownKeys(set, SET_KEYS, where);
  if (typeof set.id !== 'string' || set.id === '') throw new CalendarDefinitionError(`${where}.id`, 'must be a non-empty string');
  const { fromDay, toDay } = compileCoverage(set.coverage, `${where}.coverage`);
  const fixed = set.fixedHolidays ?? [];
  if (!Array.isArray(fixed)) throw new CalendarDefinitionError(`${where}.fixedHolidays`, 'must be an array of "MM-DD"');
  fixed.forEach((md, i) => {
    if (typeof md !== 'string' || !/^\d{2}-\d{2}$/.test(md) || parseLocalDate(`2000-${md}`) === undefined) {
      throw new CalendarDefinitionError(`${where}.fixedHolidays[${i}]`, `malformed month-day ${show(md)} (expected "MM-DD")`);
    }
  });
  const compiled: CompiledExceptionSet = {
    id: set.id,
    fromDay,
    toDay,
    byDay: compileExceptions(set, `${where}.`, { fromDay, toDay }),
    fixedHolidays: new Set(fixed),
  };
  compiledSets.set(set, compiled);
  return compiled;
}

/** Dated exceptions -> Map(day number -> exceptions in application order). */
function compileExceptions(
  fields: ExceptionFields,
  prefix: string,
  coverage: { fromDay: number; toDay: number } | undefined,
): Map<number, DayException[]> {
  const byDay = new Map<number, DayException[]>();
  const seen = new Map<string, string>(); // "day:type" -> field that listed it, to catch duplicates
  const add = (day: number, ex: DayException, field: string, value: unknown): void => {
    if (coverage && (day < coverage.fromDay || day > coverage.toDay)) {
      throw new CalendarDefinitionError(field, `${show(value)} is outside the coverage ${formatLocalDate(coverage.fromDay)}..${formatLocalDate(coverage.toDay)}`);
    }
    if (ex.type !== 'closure') {
      const key = `${day}:${ex.type}`;
      const previous = seen.get(key);
      if (previous !== undefined) throw new CalendarDefinitionError(field, `${show(value)} is listed twice (also at ${previous})`);
      seen.set(key, field);
    }
    const list = byDay.get(day) ?? [];
    list.push(ex);
    list.sort((a, b) => EXCEPTION_RANK[a.type] - EXCEPTION_RANK[b.type]);
    byDay.set(day, list);
  };

  const holidays = arrayField(fields.holidays, `${prefix}holidays`);
  holidays.forEach((date, i) => add(dateField(date, `${prefix}holidays[${i}]`), { type: 'holiday' }, `${prefix}holidays[${i}]`, date));

  const workingDays = arrayField(fields.workingDays, `${prefix}workingDays`);
  workingDays.forEach((wd, i) => {
    const field = `${prefix}workingDays[${i}]`;
    if (!isObject(wd)) throw new CalendarDefinitionError(field, 'must be an object { "date": "YYYY-MM-DD", "hours"?: [["10:00","18:00"]] }');
    rejectUnknownKeys(wd, new Set(['date', 'hours', 'reason']), field);
    const day = dateField(wd.date, `${field}.date`);
    if (holidays.includes(wd.date)) throw new CalendarDefinitionError(`${field}.date`, `${show(wd.date)} is also listed as a holiday`);
    const ranges = wd.hours === undefined ? undefined : compileRanges(wd.hours, `${field}.hours`);
    if (ranges && ranges.length === 0) throw new CalendarDefinitionError(`${field}.hours`, 'a working day needs at least one range (use holidays for a day off)');
    add(day, ranges ? { type: 'working-day', ranges } : { type: 'working-day' }, `${field}.date`, wd.date);
  });

  arrayField(fields.shortDays, `${prefix}shortDays`).forEach((date, i) =>
    add(dateField(date, `${prefix}shortDays[${i}]`), { type: 'short-day' }, `${prefix}shortDays[${i}]`, date),
  );

  arrayField(fields.closures, `${prefix}closures`).forEach((c, i) => {
    const field = `${prefix}closures[${i}]`;
    if (!isObject(c)) throw new CalendarDefinitionError(field, 'must be an object { "date", "from", "to" }');
    rejectUnknownKeys(c, new Set(['date', 'from', 'to', 'reason']), field);
    const day = dateField(c.date, `${field}.date`);
    const [range] = compileRanges([[c.from, c.to]], field, ['from', 'to']);
    add(day, { type: 'closure', range: range as MinuteRange }, `${field}.date`, c.date);
  });
  return byDay;
}

/**
 * Validates the ranges of one day and returns them as sorted minute ranges, touching ones
 * merged. `names` labels the two ends in messages (`start`/`end`, or `from`/`to` for closures).
 */
export function compileRanges(value: unknown, field: string, names: [string, string] = ['start', 'end']): MinuteRange[] {
  if (!Array.isArray(value)) throw new CalendarDefinitionError(field, `must be an array of ["HH:MM","HH:MM"] ranges, got ${show(value)}`);
  const ranges: Array<[number, number, number]> = value.map((r: unknown, i) => {
    const f = names[0] === 'start' ? `${field}[${i}]` : field;
    if (!Array.isArray(r) || r.length !== 2) throw new CalendarDefinitionError(f, `must be a pair ["HH:MM","HH:MM"], got ${show(r)}`);
    const s = parseTimeOfDay(r[0], false);
    if (s === undefined) throw new CalendarDefinitionError(f, `malformed ${names[0]} time ${show(r[0])} (expected "HH:MM", 00:00-23:59)`);
    const e = parseTimeOfDay(r[1], true);
    if (e === undefined) throw new CalendarDefinitionError(f, `malformed ${names[1]} time ${show(r[1])} (expected "HH:MM", 00:00-24:00)`);
    if (e < s) throw new CalendarDefinitionError(f, `${names[1]} ${show(r[1])} is before ${names[0]} ${show(r[0])}`);
    if (e === s) throw new CalendarDefinitionError(f, `empty range: ${names[1]} ${show(r[1])} equals ${names[0]} ${show(r[0])}`);
    return [s, e, i];
  });
  ranges.sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  let prevIndex = -1;
  for (const [s, e, i] of ranges) {
    const last = out[out.length - 1];
    if (last && s < last[1]) {
      throw new CalendarDefinitionError(`${field}[${i}]`, `range ${show(value[i])} overlaps ${show(value[prevIndex])}`);
    }
    if (last && s === last[1]) last[1] = e;
    else out.push([s, e]);
    prevIndex = i;
  }
  return out;
}

function compileCoverage(value: unknown, field: string): { fromDay: number; toDay: number } {
  if (!isObject(value)) throw new CalendarDefinitionError(field, 'must be an object { "from": "YYYY-MM-DD", "to": "YYYY-MM-DD" }');
  const fromDay = dateField(value.from, `${field}.from`);
  const toDay = dateField(value.to, `${field}.to`);
  if (toDay < fromDay) throw new CalendarDefinitionError(`${field}.to`, `${show(value.to)} is before from ${show(value.from)}`);
  return { fromDay, toDay };
}

function dateField(value: unknown, field: string): number {
  const day = parseLocalDate(value);
  if (day === undefined) throw new CalendarDefinitionError(field, `malformed date ${show(value)} (expected a real date "YYYY-MM-DD")`);
  if (day < MIN_DAY || day > MAX_DAY) throw new CalendarDefinitionError(field, `${show(value)} is outside the supported years 1900..2199`);
  return day;
}

function arrayField<T>(value: readonly T[] | undefined, field: string): readonly T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CalendarDefinitionError(field, `must be an array, got ${show(value)}`);
  return value;
}

function rejectUnknownKeys(obj: object, allowed: ReadonlySet<string>, field: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.has(key)) {
      throw new CalendarDefinitionError(field ? `${field}.${key}` : key, `unknown field (allowed: ${[...allowed].join(', ')})`);
    }
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- narrowing JSON input; fields are checked one by one
function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
