/**
 * SLA report math: pure, over the requests of a period as their workflows last projected them.
 *
 * Per group (customer, level, office or agent) and per clock (first response, resolution, and
 * next reply: one clock per round, where the terms set a target):
 *
 * - within target: a regulated clock that was met without breaching. The percentage's
 *   denominator is the regulated clocks whose outcome is decided: met, or breached (a breached
 *   clock counts as missed even while it still runs). Clocks still running or paused without a
 *   breach are `pending`: counted, never in the percentage. Cancelled clocks (cancelled
 *   requests) are left out unless they had breached before the cancellation.
 * - working hours (median and 90th percentile): the working time used by clocks that stopped
 *   for good (`stoppedAtMs` set, not cancelled), from `usedBeforeMs` — the calendar's own
 *   measurement, so this is working time, not wall-clock time. Clocks still running (open
 *   requests, reopened requests) are left out and counted as `running`. Not-regulated clocks
 *   (initial support) are measured here like any other, but never in the within-target figures.
 * - percentiles interpolate linearly between closest ranks (the "R-7" / spreadsheet
 *   PERCENTILE.INC definition): the median of 1, 2, 3, 4 h is 2.5 h.
 * - breaches: every clock with `breachedAtMs`, with its cause: which clock, the level, whether
 *   the breach instant fell in a pause of the request's clocks (e.g. waiting on the customer),
 *   and whether the request had been reopened.
 * - reopens: the sum of the requests' reopen counts, and how many requests were reopened.
 */
import type { SlaClock } from '../request/sla-clock';
import { hours as hoursOf } from '../time-units';

export const REPORT_GROUPINGS = ['customer', 'level', 'office', 'agent'] as const;
export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

const FINAL_STATES = new Set(['resolved', 'closed', 'cancelled']);

/** What the report needs of one request. */
export interface ReportRequest {
  id: string;
  customerId: string | null;
  level: string | null;
  officeId: string | null;
  /** The assigned agent (null = unassigned). */
  agent: string | null;
  state: string;
  reopenCount: number;
  clocks: readonly SlaClock[];
}

export interface ClockStats {
  /** Clocks of this kind in the group (one per request that has one). */
  clocks: number;
  regulated: number;
  notRegulated: number;
  withinTarget: number;
  breached: number;
  /** Regulated, neither met nor breached yet (running or paused). */
  pending: number;
  cancelled: number;
  /** Percentage of decided regulated clocks met within target (0-100, 2 decimals); null when none is decided. */
  withinTargetPct: number | null;
  /** Stopped clocks measured for the percentiles (regulated or not). */
  measured: number;
  /** Clocks still running or paused (open or reopened requests): not in the percentiles. */
  running: number;
  medianHours: number | null;
  p90Hours: number | null;
}

export interface BreachItem {
  requestId: string;
  clock: SlaClock['kind'];
  level: string | null;
  customerId: string | null;
  breachedAtMs: number;
  /** Reason of a pause of the request's clocks the breach instant fell in, e.g. waiting_on_customer. */
  duringPause: string | null;
  reopened: boolean;
  /** The clock still runs (the request is not answered / resolved yet). */
  stillOpen: boolean;
}

export interface BreachStats {
  total: number;
  firstResponse: number;
  resolution: number;
  nextReply: number;
  /** Breaches whose instant fell in a pause (the request was waiting, e.g. on the customer). */
  duringPause: number;
  /** Breaches on requests that had been reopened. */
  onReopened: number;
  byLevel: Record<string, number>;
  /** Requests breached, earliest breach first, at most `breachListLimit`. */
  items: BreachItem[];
  truncated: boolean;
}

export interface GroupStats {
  key: string | null;
  requests: number;
  /** Not yet resolved, closed or cancelled. */
  open: number;
  cancelled: number;
  firstResponse: ClockStats;
  resolution: ClockStats;
  /** Next-reply rounds (one per customer reply awaiting an answer, under terms with a target). */
  nextReply: ClockStats;
  breaches: BreachStats;
  reopens: { total: number; requests: number };
}

export interface SlaReport {
  groupBy: ReportGrouping;
  groups: GroupStats[];
  total: GroupStats;
}

export const DEFAULT_BREACH_LIST_LIMIT = 50;

/** Linear interpolation between closest ranks; null for no values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  if (q < 0 || q > 1) throw new RangeError(`percentile ${q} is outside [0, 1]`);
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const hours = (ms: number | null) => (ms === null ? null : hoursOf(ms));

/** How one clock counts. */
export type ClockOutcome = 'not_regulated' | 'within_target' | 'breached' | 'pending' | 'cancelled';

export function clockOutcome(c: SlaClock): ClockOutcome {
  if (c.targetMs === null) return 'not_regulated';
  if (c.breachedAtMs !== null) return 'breached';
  if (c.cancelled) return 'cancelled';
  if (c.metAtMs !== null) return 'within_target';
  return 'pending';
}

/** Working time of a clock that stopped for good; null when still running, paused or cancelled. */
export function finalWorkingMs(c: SlaClock): number | null {
  return c.stoppedAtMs !== null && !c.cancelled && c.runningSinceMs === null ? c.usedBeforeMs : null;
}

export function clockStats(clocks: readonly SlaClock[]): ClockStats {
  const s = { clocks: clocks.length, regulated: 0, notRegulated: 0, withinTarget: 0, breached: 0, pending: 0, cancelled: 0, running: 0 };
  const used: number[] = [];
  for (const c of clocks) {
    const outcome = clockOutcome(c);
    if (c.targetMs === null) s.notRegulated++;
    else s.regulated++;
    if (outcome === 'within_target') s.withinTarget++;
    else if (outcome === 'breached') s.breached++;
    else if (outcome === 'pending') s.pending++;
    if (c.cancelled) s.cancelled++;
    const ms = finalWorkingMs(c);
    if (ms !== null) used.push(ms);
    else if (!c.cancelled) s.running++;
  }
  const decided = s.withinTarget + s.breached;
  return {
    ...s,
    withinTargetPct: decided === 0 ? null : round((s.withinTarget / decided) * 100, 2),
    measured: used.length,
    medianHours: hours(median(used)),
    p90Hours: hours(percentile(used, 0.9)),
  };
}

function pauseAt(r: ReportRequest, atMs: number): string | null {
  for (const c of r.clocks) for (const p of c.pauses) if (p.fromMs <= atMs && (p.toMs === null || atMs < p.toMs)) return p.reason;
  return null;
}

export function breachesOf(r: ReportRequest): BreachItem[] {
  return r.clocks
    .filter((c) => c.breachedAtMs !== null)
    .map((c) => ({
      requestId: r.id,
      clock: c.kind,
      level: r.level,
      customerId: r.customerId,
      breachedAtMs: c.breachedAtMs!,
      duringPause: pauseAt(r, c.breachedAtMs!),
      reopened: r.reopenCount > 0 || c.reopenCount > 0,
      stillOpen: c.stoppedAtMs === null,
    }));
}

export function groupStats(key: string | null, requests: readonly ReportRequest[], breachListLimit = DEFAULT_BREACH_LIST_LIMIT): GroupStats {
  const kind = (k: SlaClock['kind']) => requests.flatMap((r) => r.clocks.filter((c) => c.kind === k));
  const breaches = requests.flatMap(breachesOf).sort((a, b) => a.breachedAtMs - b.breachedAtMs || a.requestId.localeCompare(b.requestId));
  const byLevel: Record<string, number> = {};
  for (const b of breaches) byLevel[b.level ?? 'unknown'] = (byLevel[b.level ?? 'unknown'] ?? 0) + 1;
  return {
    key,
    requests: requests.length,
    open: requests.filter((r) => !FINAL_STATES.has(r.state)).length,
    cancelled: requests.filter((r) => r.state === 'cancelled').length,
    firstResponse: clockStats(kind('first_response')),
    resolution: clockStats(kind('resolution')),
    nextReply: clockStats(kind('next_reply')),
    breaches: {
      total: breaches.length,
      firstResponse: breaches.filter((b) => b.clock === 'first_response').length,
      resolution: breaches.filter((b) => b.clock === 'resolution').length,
      nextReply: breaches.filter((b) => b.clock === 'next_reply').length,
      duringPause: breaches.filter((b) => b.duringPause !== null).length,
      onReopened: breaches.filter((b) => b.reopened).length,
      byLevel,
      items: breaches.slice(0, breachListLimit),
      truncated: breaches.length > breachListLimit,
    },
    reopens: { total: requests.reduce((n, r) => n + r.reopenCount, 0), requests: requests.filter((r) => r.reopenCount > 0).length },
  };
}

export function groupKey(r: ReportRequest, by: ReportGrouping): string | null {
  switch (by) {
    case 'customer':
      return r.customerId;
    case 'level':
      return r.level;
    case 'office':
      return r.officeId;
    case 'agent':
      return r.agent;
  }
}

/** The report: one entry per group (keys ascending, the null group — none/unassigned — last) and the total. */
export function buildSlaReport(requests: readonly ReportRequest[], groupBy: ReportGrouping, opts: { breachListLimit?: number } = {}): SlaReport {
  const groups = new Map<string | null, ReportRequest[]>();
  for (const r of requests) {
    const key = groupKey(r, groupBy);
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const keys = [...groups.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return {
    groupBy,
    groups: keys.map((k) => groupStats(k, groups.get(k)!, opts.breachListLimit)),
    total: groupStats(null, requests, opts.breachListLimit),
  };
}

// --- CSV -----------------------------------------------------------------------------------------

/** One CSV column: its header and how to read it off a group. */
const CSV_COLUMNS: Array<[string, (g: GroupStats) => string | number | null]> = [
  ['requests', (g) => g.requests],
  ['open', (g) => g.open],
  ['cancelled', (g) => g.cancelled],
  ...(['firstResponse', 'resolution', 'nextReply'] as const).flatMap((k): Array<[string, (g: GroupStats) => string | number | null]> => {
    const p = ({ firstResponse: 'first_response', resolution: 'resolution', nextReply: 'next_reply' } as const)[k];
    return [
      [`${p}_regulated`, (g) => g[k].regulated],
      [`${p}_not_regulated`, (g) => g[k].notRegulated],
      [`${p}_within_target`, (g) => g[k].withinTarget],
      [`${p}_breached`, (g) => g[k].breached],
      [`${p}_pending`, (g) => g[k].pending],
      [`${p}_within_target_pct`, (g) => g[k].withinTargetPct],
      [`${p}_measured`, (g) => g[k].measured],
      [`${p}_median_hours`, (g) => g[k].medianHours],
      [`${p}_p90_hours`, (g) => g[k].p90Hours],
    ];
  }),
  ['breaches', (g) => g.breaches.total],
  ['breaches_first_response', (g) => g.breaches.firstResponse],
  ['breaches_resolution', (g) => g.breaches.resolution],
  ['breaches_next_reply', (g) => g.breaches.nextReply],
  ['breaches_during_pause', (g) => g.breaches.duringPause],
  ['breaches_on_reopened', (g) => g.breaches.onReopened],
  ['reopens', (g) => g.reopens.total],
  ['reopened_requests', (g) => g.reopens.requests],
];

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  // A text cell a spreadsheet would run as a formula is defused (OWASP CSV injection).
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The report as CSV: a header row, then one row per group; CRLF line ends (RFC 4180). */
export function slaReportCsv(report: SlaReport): string {
  const header = ['group_by', 'group', ...CSV_COLUMNS.map(([h]) => h)];
  const rows = report.groups.map((g) => [report.groupBy, g.key, ...CSV_COLUMNS.map(([, read]) => read(g))]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
