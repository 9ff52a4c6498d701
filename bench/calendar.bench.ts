/**
 * Calendar engine benchmark: addWorkingTime and workingTimeBetween operations per second on
 * the supplier calendar (Mon-Fri 10:00-18:00 Europe/Moscow + Russian production calendar), for
 * budgets of 1 to 2000 working hours, side by side in one run with
 *   (a) a straightforward hour-by-hour luxon implementation (below), the baseline, and
 *   (b) dayjs-business-time on the same inputs,
 * and how often each agrees with the engine.
 *
 *   npx tsx bench/calendar.bench.ts       (also exported as runCalendarBench() for bench/main.ts)
 *
 * Fairness notes
 * - Same inputs for all three: random minute-aligned starts 2024-01-01..2026-06-30 (seeded),
 *   so even 2000-hour budgets end inside the known production-calendar years.
 * - The engine's per-day cache is warm (it is in production too: one compiled calendar serves
 *   every request); the cold cost is printed separately.
 * - dayjs-business-time has no time zones: it works in the process's local zone, so the run
 *   sets TZ=Europe/Moscow (no DST since 2014) while it measures, and feeds it the same instants;
 *   it is configured Mon-Fri 10:00-18:00 with every holiday of the production calendar.
 *   It cannot express transferred working Saturdays or short days, so it disagrees whenever a
 *   budget crosses one of those; that is a capability gap, not a bug in either.
 * - The slow implementations run for a fixed time slice per cell, so their figures rest on fewer
 *   operations; each cell prints how many it ran.
 */
import dayjs from 'dayjs';
import dayjsBusinessTime from 'dayjs-business-time';
import { DateTime } from 'luxon';
import ru from '../calendars/ru-production-calendar.json';
import { addWorkingTime, compileCalendar, HOUR_MS, supplierCalendarSpec, workingTimeBetween } from '../domain/calendar';
import type { Calendar } from '../domain/calendar';

const ZONE = 'Europe/Moscow';
const BUDGET_HOURS = [1, 8, 40, 200, 2000] as const;
const INPUTS = 4096;
const ENGINE_SLICE_MS = 300;
const SLOW_SLICE_MS = 1000;

// ---------------------------------------------------------------------------------------------
// Baseline (a): hour by hour with luxon, straight from the production-calendar JSON and its
// README rule ("a date is a working day if it is Mon-Fri and not in holidays, or if it is in
// workingWeekendDays"; short days end an hour early).
type Years = Record<string, { holidays: string[]; workingWeekendDays: string[]; shortDays: string[] }>;
const years = ru.years as Years;
const collect = (k: 'holidays' | 'workingWeekendDays' | 'shortDays'): Set<string> => new Set(Object.values(years).flatMap((y) => y[k]));
const RU_HOLIDAYS = collect('holidays');
const RU_WORKING_WEEKEND = collect('workingWeekendDays');
const RU_SHORT = collect('shortDays');

/** [open, close) of the local day of `t` as instants, or null on a day off. */
function luxonOpenHours(t: DateTime): [number, number] | null {
  const date = t.toISODate() as string;
  const working = (t.weekday <= 5 && !RU_HOLIDAYS.has(date)) || RU_WORKING_WEEKEND.has(date);
  if (!working) return null;
  const midnight = t.startOf('day');
  return [midnight.set({ hour: 10 }).toMillis(), midnight.set({ hour: RU_SHORT.has(date) ? 17 : 18 }).toMillis()];
}

export function luxonAdd(startMs: number, budgetMs: number): number {
  if (budgetMs === 0) return startMs;
  let remaining = budgetMs;
  let t = DateTime.fromMillis(startMs, { zone: ZONE });
  for (;;) {
    const hourEnd = t.startOf('hour').plus({ hours: 1 });
    const open = luxonOpenHours(t);
    if (open) {
      const from = Math.max(t.toMillis(), open[0]);
      const to = Math.min(hourEnd.toMillis(), open[1]);
      if (to > from) {
        if (remaining <= to - from) return from + remaining;
        remaining -= to - from;
      }
    }
    t = hourEnd;
  }
}

export function luxonBetween(fromMs: number, toMs: number): number {
  let total = 0;
  let t = DateTime.fromMillis(fromMs, { zone: ZONE });
  while (t.toMillis() < toMs) {
    const hourEnd = t.startOf('hour').plus({ hours: 1 });
    const open = luxonOpenHours(t);
    if (open) {
      const from = Math.max(t.toMillis(), open[0]);
      const to = Math.min(hourEnd.toMillis(), open[1], toMs);
      if (to > from) total += to - from;
    }
    t = hourEnd;
  }
  return total;
}

// ---------------------------------------------------------------------------------------------
// (b) dayjs-business-time, configured as close to the supplier calendar as it can be.
dayjs.extend(dayjsBusinessTime);
function configureDayjs(): void {
  const day = [{ start: '10:00:00', end: '18:00:00' }];
  dayjs.setBusinessTime({ sunday: null, monday: day, tuesday: day, wednesday: day, thursday: day, friday: day, saturday: null });
  dayjs.setHolidays([...RU_HOLIDAYS]);
}
const dayjsAdd = (startMs: number, budgetMs: number): number => dayjs(startMs).addBusinessMinutes(budgetMs / 60_000).valueOf();
const dayjsBetween = (fromMs: number, toMs: number): number => dayjs(fromMs).businessMinutesDiff(dayjs(toMs)) * 60_000;

// ---------------------------------------------------------------------------------------------
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Cell {
  opsPerSec: number;
  ran: number;
  agree: number;
}

/** Runs `op` over the inputs round-robin for `sliceMs`; compares results with `expected`. */
function measure(sliceMs: number, n: number, op: (i: number) => number, expected?: (i: number) => number): Cell {
  let ran = 0;
  let agree = 0;
  let sink = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    const batch = expected ? 1 : 1000;
    for (let k = 0; k < batch; k++, ran++) {
      const r = op(ran % n);
      sink += r;
      if (expected && r === expected(ran % n)) agree++;
    }
    elapsed = performance.now() - t0;
  } while (elapsed < sliceMs);
  if (sink === 42) console.log(''); // keep the results alive
  return { opsPerSec: (ran / elapsed) * 1000, ran, agree };
}

const fmtOps = (c: Cell): string => (c.opsPerSec >= 1000 ? `${Math.round(c.opsPerSec).toLocaleString('en-US')}` : c.opsPerSec.toFixed(1));
const fmtAgree = (c: Cell): string => `${((c.agree / c.ran) * 100).toFixed(1)}% of ${c.ran}`;

export async function runCalendarBench(): Promise<string[]> {
  const lines: string[] = [];
  const random = mulberry32(20261127);
  const lo = Date.parse('2024-01-01T00:00:00+03:00');
  const hi = Date.parse('2026-06-30T00:00:00+03:00');
  const starts = Array.from({ length: INPUTS }, () => lo + Math.floor((random() * (hi - lo)) / 60_000) * 60_000);

  const t0 = performance.now();
  const cal: Calendar = compileCalendar(supplierCalendarSpec);
  addWorkingTime(cal, starts[0] as number, 2000 * HOUR_MS);
  const coldMs = performance.now() - t0;

  lines.push(`calendar bench — supplier calendar (Mon-Fri 10-18 Europe/Moscow + RU production calendar), ${INPUTS} seeded starts 2024-01..2026-06, node ${process.version}`);
  lines.push(`cold start: compile + first 2000 h add (fills ~1 year of day cache) = ${coldMs.toFixed(1)} ms`);
  lines.push(`${'op'.padEnd(8)}${'budget'.padStart(7)}  ${'engine ops/s'.padStart(14)}  ${'luxon hour-by-hour ops/s (agree)'.padEnd(36)}  dayjs-business-time ops/s (agree)`);

  const savedTz = process.env.TZ;
  try {
    for (const hours of BUDGET_HOURS) {
      const budget = hours * HOUR_MS;
      const dues = starts.map((s) => addWorkingTime(cal, s, budget).dueMs); // also warms the cache
      // minute-aligned ends: dayjs-business-time counts whole minutes
      const ends = starts.map((s, i) => s + Math.floor((((dues[i] as number) - s) * (0.5 + random() / 2)) / 60_000) * 60_000);

      const engineAdd = measure(ENGINE_SLICE_MS, INPUTS, (i) => addWorkingTime(cal, starts[i] as number, budget).dueMs);
      const luxAdd = measure(SLOW_SLICE_MS, INPUTS, (i) => luxonAdd(starts[i] as number, budget), (i) => dues[i] as number);
      process.env.TZ = ZONE;
      configureDayjs();
      const djAdd = measure(SLOW_SLICE_MS, INPUTS, (i) => dayjsAdd(starts[i] as number, budget), (i) => dues[i] as number);
      process.env.TZ = savedTz;

      const betweens = starts.map((s, i) => workingTimeBetween(cal, s, ends[i] as number).workingMs);
      const engineBetween = measure(ENGINE_SLICE_MS, INPUTS, (i) => workingTimeBetween(cal, starts[i] as number, ends[i] as number).workingMs);
      const luxBetween = measure(SLOW_SLICE_MS, INPUTS, (i) => luxonBetween(starts[i] as number, ends[i] as number), (i) => betweens[i] as number);
      process.env.TZ = ZONE;
      configureDayjs();
      const djBetween = measure(SLOW_SLICE_MS, INPUTS, (i) => dayjsBetween(starts[i] as number, ends[i] as number), (i) => betweens[i] as number);
      process.env.TZ = savedTz;

      const row = (op: string, e: Cell, l: Cell, d: Cell): string =>
        `${op.padEnd(8)}${`${hours}h`.padStart(7)}  ${fmtOps(e).padStart(14)}  ${`${fmtOps(l)} (${fmtAgree(l)})`.padEnd(36)}  ${fmtOps(d)} (${fmtAgree(d)})`;
      lines.push(row('add', engineAdd, luxAdd, djAdd));
      lines.push(row('between', engineBetween, luxBetween, djBetween));
    }
  } finally {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  }
  lines.push('agree = identical instant (add) / identical working ms (between) to the engine on the same input.');
  lines.push('dayjs-business-time knows neither working Saturdays nor short days, so it disagrees around them.');
  return lines;
}

if (require.main === module) {
  runCalendarBench().then(
    (lines) => {
      for (const line of lines) console.log(line);
      console.log('reproduce: npx tsx bench/calendar.bench.ts');
    },
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
