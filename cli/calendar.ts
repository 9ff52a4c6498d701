/**
 * Working-time calendar CLI (thin: parse arguments, call domain/calendar, print).
 *
 *   npm run --silent calendar -- add     --calendar FILE|ID --start ISO --seconds N
 *   npm run --silent calendar -- between --calendar FILE|ID --from ISO --to ISO
 *   npm run --silent calendar -- explain --calendar FILE|ID --start ISO --seconds N
 *   npm run --silent calendar -- coverage --calendar FILE|ID [--now ISO] [--horizon-days N]
 *   npm run --silent calendar -- import-ics --ics FILE [--timezone ZONE] [--until YYYY-MM-DD]
 *
 * --calendar takes a calendar JSON file (docs/calendar-format.md) or a shipped id (supplier,
 * office-moscow, office-yekaterinburg, always-on). An ISO time without an offset is read in the
 * calendar's zone. For a versioned calendar the version in force at --start / --from is used.
 * Output: add -> the due instant, ISO-8601 with the calendar's offset; between -> whole working
 * seconds; explain -> one consumed interval per line, then the due instant.
 * Extrapolated results are reported on stderr. Bad input: exit code 2 (usage) or 1, one line on stderr.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import {
  addWorkingTime,
  calendarAt,
  compileVersionedCalendar,
  coverageWarning,
  describeCoverage,
  explainWorkingTime,
  importIcs,
  loadShippedVersionedCalendar,
  shippedCalendarIds,
  workingTimeBetween,
} from '../domain/calendar';
import type { Calendar, CalendarSpec, VersionedCalendar, VersionedCalendarSpec } from '../domain/calendar';

class UsageError extends Error {}

const USAGE = `usage: calendar <add|between|explain|coverage|import-ics> [options]
  add       --calendar FILE|ID --start ISO --seconds N
  between   --calendar FILE|ID --from ISO --to ISO
  explain   --calendar FILE|ID --start ISO --seconds N
  coverage  --calendar FILE|ID [--now ISO] [--horizon-days N]
  import-ics --ics FILE [--timezone ZONE] [--until YYYY-MM-DD]
shipped calendar ids: ${shippedCalendarIds.join(', ')}`;

const COMMAND_OPTIONS: Record<string, readonly string[]> = {
  add: ['calendar', 'start', 'seconds'],
  between: ['calendar', 'from', 'to'],
  explain: ['calendar', 'start', 'seconds'],
  coverage: ['calendar', 'now', 'horizon-days'],
  'import-ics': ['ics', 'timezone', 'until'],
};

function parseArgs(argv: readonly string[]): { command: string; options: Map<string, string> } {
  const [command, ...rest] = argv;
  if (command === undefined || !(command in COMMAND_OPTIONS)) {
    throw new UsageError(command === undefined ? 'missing command (add, between, explain, coverage, import-ics)' : `unknown command "${command}" (expected add, between, explain, coverage, import-ics)`);
  }
  const allowed = COMMAND_OPTIONS[command] as readonly string[];
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const flag = rest[i] as string;
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    if (!allowed.includes(name)) throw new UsageError(`unknown option "${flag}" for ${command} (expected ${allowed.map((o) => `--${o}`).join(', ')})`);
    const value = rest[i + 1];
    if (value === undefined) throw new UsageError(`option ${flag} needs a value`);
    options.set(name, value);
  }
  return { command, options };
}

function required(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined) throw new UsageError(`missing required option --${name}`);
  return value;
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${what} "${path}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function loadCalendar(ref: string): VersionedCalendar {
  if (shippedCalendarIds.includes(ref)) return loadShippedVersionedCalendar(ref);
  const text = readText(ref, 'calendar file');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`calendar file "${ref}" is not valid JSON: ${(e as Error).message}`);
  }
  return compileVersionedCalendar(json as CalendarSpec | VersionedCalendarSpec);
}

/** Epoch ms of an ISO-8601 date-time; without an offset it is read in `zone`. */
function parseInstant(text: string, option: string, zone: string): number {
  const dt = DateTime.fromISO(text, { zone });
  if (!dt.isValid) throw new UsageError(`--${option}: not an ISO-8601 date-time: "${text}"`);
  return dt.toMillis();
}

function parseSeconds(text: string, option: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`--${option}: expected a whole non-negative number of seconds, got "${text}"`);
  const n = Number(text);
  if (!Number.isSafeInteger(n * 1000)) throw new UsageError(`--${option}: ${text} is too large`);
  return n;
}

function formatInstant(ms: number, cal: Calendar): string {
  return DateTime.fromMillis(ms, { zone: cal.timezone }).toISO({ suppressMilliseconds: true }) ?? String(ms);
}

function formatDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 3600)}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function warnIfExtrapolated(extrapolated: boolean, cal: Calendar): void {
  if (extrapolated) process.stderr.write(`warning: result is extrapolated beyond the calendar's known exception data (${describeCoverage(cal)})\n`);
}

function run(argv: readonly string[]): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { command, options } = parseArgs(argv);

  if (command === 'import-ics') {
    const text = readText(required(options, 'ics'), '.ics file');
    const timezone = options.get('timezone');
    const until = options.get('until');
    const result = importIcs(text, { ...(timezone ? { timezone } : {}), ...(until ? { until } : {}) });
    for (const s of result.skipped) process.stderr.write(`skipped event "${s.summary}": ${s.reason}\n`);
    process.stdout.write(`${JSON.stringify({ holidays: result.holidays, closures: result.closures }, null, 2)}\n`);
    return;
  }

  const versioned = loadCalendar(required(options, 'calendar'));
  const zone = (versioned.versions[versioned.versions.length - 1] as Calendar).timezone;

  if (command === 'add' || command === 'explain') {
    const startMs = parseInstant(required(options, 'start'), 'start', zone);
    const workingMs = parseSeconds(required(options, 'seconds'), 'seconds') * 1000;
    const cal = calendarAt(versioned, startMs);
    if (command === 'add') {
      const r = addWorkingTime(cal, startMs, workingMs);
      process.stdout.write(`${formatInstant(r.dueMs, cal)}\n`);
      warnIfExtrapolated(r.extrapolated, cal);
      return;
    }
    const r = explainWorkingTime(cal, startMs, workingMs);
    for (const i of r.intervals) {
      process.stdout.write(`${i.date} ${formatInstant(i.startMs, cal)} .. ${formatInstant(i.endMs, cal)} ${formatDuration(i.workingMs)} ${i.kind}${i.extrapolated ? ' (extrapolated)' : ''}\n`);
    }
    process.stdout.write(`due ${formatInstant(r.dueMs, cal)}\n`);
    warnIfExtrapolated(r.extrapolated, cal);
    return;
  }

  if (command === 'between') {
    const fromMs = parseInstant(required(options, 'from'), 'from', zone);
    const toMs = parseInstant(required(options, 'to'), 'to', zone);
    const cal = calendarAt(versioned, fromMs);
    const r = workingTimeBetween(cal, fromMs, toMs);
    process.stdout.write(`${Math.floor(r.workingMs / 1000)}\n`);
    warnIfExtrapolated(r.extrapolated, cal);
    return;
  }

  // coverage
  const nowText = options.get('now');
  const nowMs = nowText === undefined ? Date.now() : parseInstant(nowText, 'now', zone);
  const horizonText = options.get('horizon-days') ?? '90';
  if (!/^\d+$/.test(horizonText)) throw new UsageError(`--horizon-days: expected a whole number of days, got "${horizonText}"`);
  const cal = calendarAt(versioned, nowMs);
  process.stdout.write(`${describeCoverage(cal)}\n`);
  const end = coverageWarning(cal, nowMs, Number(horizonText));
  if (end !== null) process.stderr.write(`warning: coverage ends on ${end}, within ${horizonText} days: load the next production calendar\n`);
}

try {
  run(process.argv.slice(2));
} catch (e) {
  const message = (e as Error).message.split('\n')[0];
  process.stderr.write(`calendar: ${message}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
