/**
 * Periodic reports for individual contracts ("reports on requests from the customer's employees
 * for a given period", a typical individual service in the vendor's document). Pure: the period
 * a run reports on, the schedule's calendar spec, the report and its CSV. The SLA figures reuse
 * `sla-report.ts` (compliance per target, breaches with causes).
 *
 * Decisions where the issue is silent:
 * - A run reports on the last complete period before the run's date in the contract calendar's
 *   time zone; the schedule fires at 00:05 on the first day of the next period, so a scheduled
 *   run reports the period that just ended, and a manual run reports the last complete one.
 * - A request belongs to the period it was registered in (as in the SLA report); its clocks and
 *   outcome are as projected at the run (a request still open shows its clocks so far).
 * - "Per employee" is per reporter (the pinned representative's name when the reporter named
 *   one, else the reporter as registered; "(not named)" when absent).
 */
import type { SlaClock } from '../request/sla-clock';
import { addDays, endOfPeriod, startOfPeriod, type LocalDate } from '../policy/local-date';
import { hours as hoursOf } from '../time-units';
import { clockOutcome, csvField, finalWorkingMs, groupStats, type ClockOutcome, type GroupStats, type ReportRequest } from './sla-report';

export const REPORTING_PERIODS = ['month', 'quarter'] as const;
export type ReportingPeriod = (typeof REPORTING_PERIODS)[number];

export interface PeriodRange {
  /** First day, inclusive. */
  from: LocalDate;
  /** Last day, inclusive. */
  to: LocalDate;
}

/**
 * The last complete period before `runDate`.
 *
 * @example lastCompletePeriod('month', '2027-03-01') // { from: '2027-02-01', to: '2027-02-28' }
 * @example lastCompletePeriod('quarter', '2027-05-20') // { from: '2027-01-01', to: '2027-03-31' }
 */
export function lastCompletePeriod(period: ReportingPeriod, runDate: LocalDate): PeriodRange {
  const previousDay = addDays(startOfPeriod(runDate, period), -1);
  return { from: startOfPeriod(previousDay, period), to: endOfPeriod(previousDay, period) };
}

const QUARTER_MONTHS = ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'] as const;

/** When the schedule fires, as a Temporal calendar spec (in the contract calendar's time zone). */
export interface ReportCalendarSpec {
  dayOfMonth: number;
  hour: number;
  minute: number;
  month?: (typeof QUARTER_MONTHS)[number][];
  comment: string;
}

/**
 * @example reportCalendarSpec('quarter') // { dayOfMonth: 1, hour: 0, minute: 5, month: ['JANUARY', 'APRIL', 'JULY', 'OCTOBER'], comment: … }
 */
export function reportCalendarSpec(period: ReportingPeriod): ReportCalendarSpec {
  return period === 'month'
    ? { dayOfMonth: 1, hour: 0, minute: 5, comment: 'monthly contract report: 00:05 on the first day of each month' }
    : { dayOfMonth: 1, hour: 0, minute: 5, month: [...QUARTER_MONTHS], comment: 'quarterly contract report: 00:05 on the first day of each quarter' };
}

/** What the report needs of one request of the contract. */
export interface ContractReportRequest extends ReportRequest {
  subject: string;
  registeredAtMs: number;
  /** Who asked: the representative's name, else the reporter as registered; null when none. */
  reporter: string | null;
}

export interface ReportedClock {
  kind: SlaClock['kind'];
  targetHours: number | null;
  /** Working hours used: final for a stopped clock, so far (until its last pause or stop) otherwise. */
  usedHours: number;
  outcome: ClockOutcome;
  breachedAtMs: number | null;
}

export interface ReportedRequest {
  id: string;
  subject: string;
  registeredAtMs: number;
  state: string;
  level: string | null;
  agent: string | null;
  clocks: ReportedClock[];
}

export interface ContractReport {
  contractId: string;
  customerId: string;
  period: ReportingPeriod;
  range: PeriodRange;
  generatedAtMs: number;
  /** Compliance per target and breaches with causes, over all the contract's requests of the period. */
  summary: GroupStats;
  /** Requests per reporter (employee), reporters in name order, requests oldest first. */
  byReporter: { reporter: string; requests: ReportedRequest[] }[];
}

export const NOT_NAMED = '(not named)';

function reportedClock(c: SlaClock): ReportedClock {
  return {
    kind: c.kind,
    targetHours: c.targetMs === null ? null : hoursOf(c.targetMs),
    usedHours: hoursOf(finalWorkingMs(c) ?? c.usedBeforeMs),
    outcome: clockOutcome(c),
    breachedAtMs: c.breachedAtMs,
  };
}

/**
 * The report of a contract for a period.
 *
 * @example buildContractReport({ contractId: 'C-1', customerId: 'acme', period: 'month', range, generatedAtMs }, requests).byReporter[0].reporter // 'Ivan Petrov'
 */
export function buildContractReport(
  head: { contractId: string; customerId: string; period: ReportingPeriod; range: PeriodRange; generatedAtMs: number },
  requests: readonly ContractReportRequest[],
): ContractReport {
  const groups = new Map<string, ContractReportRequest[]>();
  for (const r of [...requests].sort((a, b) => a.registeredAtMs - b.registeredAtMs || a.id.localeCompare(b.id))) {
    const key = r.reporter ?? NOT_NAMED;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return {
    ...head,
    // Every breach is listed: a contract's period is small, and the customer reads each one.
    summary: groupStats(null, requests, Number.MAX_SAFE_INTEGER),
    byReporter: [...groups.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reporter, rs]) => ({
        reporter,
        requests: rs.map((r) => ({ id: r.id, subject: r.subject, registeredAtMs: r.registeredAtMs, state: r.state, level: r.level, agent: r.agent, clocks: r.clocks.map(reportedClock) })),
      })),
  };
}

const CSV_HEADER = [
  'reporter',
  'request',
  'subject',
  'registered_at',
  'state',
  'level',
  'agent',
  'first_response_target_h',
  'first_response_used_h',
  'first_response_outcome',
  'resolution_target_h',
  'resolution_used_h',
  'resolution_outcome',
];

/** One row per request (reporter first), CRLF line ends (RFC 4180), formula-like text defused. */
export function contractReportCsv(report: ContractReport): string {
  const clock = (r: ReportedRequest, kind: SlaClock['kind']) => {
    const c = r.clocks.find((x) => x.kind === kind);
    return c ? [c.targetHours, c.usedHours, c.outcome] : [null, null, null];
  };
  const rows = report.byReporter.flatMap((g) =>
    g.requests.map((r) => [g.reporter, r.id, r.subject, new Date(r.registeredAtMs).toISOString(), r.state, r.level, r.agent, ...clock(r, 'first_response'), ...clock(r, 'resolution')]),
  );
  return [CSV_HEADER, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
