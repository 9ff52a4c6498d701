import { buildContractReport, contractReportCsv, lastCompletePeriod, reportCalendarSpec, type ContractReportRequest } from '../../../domain/reports/contract-report';
import { startClock, type SlaClock } from '../../../domain/request/sla-clock';

const H = 3_600_000;
const T0 = Date.UTC(2027, 1, 3, 7);

const clock = (kind: SlaClock['kind'], targetH: number | null, over: Partial<SlaClock>): SlaClock => ({ ...startClock(kind, targetH === null ? null : targetH * H, T0, []), ...over });
const met = (kind: SlaClock['kind'], targetH: number, usedH: number) => clock(kind, targetH, { runningSinceMs: null, usedBeforeMs: usedH * H, metAtMs: T0 + usedH * H, stoppedAtMs: T0 + usedH * H });
const breached = (kind: SlaClock['kind'], targetH: number, usedH: number) => clock(kind, targetH, { runningSinceMs: T0, usedBeforeMs: usedH * H, breachedAtMs: T0 + targetH * H });

const request = (id: string, reporter: string | null, clocks: SlaClock[], over: Partial<ContractReportRequest> = {}): ContractReportRequest => ({
  id,
  subject: `Subject ${id}`,
  registeredAtMs: T0,
  reporter,
  customerId: 'acme',
  level: 'individual',
  officeId: null,
  agent: 'agent-7',
  state: 'resolved',
  reopenCount: 0,
  clocks,
  ...over,
});

describe('periodic contract reports', () => {
  it.each([
    ['month', '2027-03-01', '2027-02-01', '2027-02-28'],
    ['month', '2027-01-15', '2026-12-01', '2026-12-31'],
    ['quarter', '2027-04-01', '2027-01-01', '2027-03-31'],
    ['quarter', '2027-02-10', '2026-10-01', '2026-12-31'],
  ] as const)('a %s run on %s reports %s..%s', (period, run, from, to) => {
    expect(lastCompletePeriod(period, run)).toEqual({ from, to });
  });

  it('fires at 00:05 on the first day of each month, or of each quarter', () => {
    expect(reportCalendarSpec('month')).toMatchObject({ dayOfMonth: 1, hour: 0, minute: 5 });
    expect(reportCalendarSpec('month').month).toBeUndefined();
    expect(reportCalendarSpec('quarter').month).toEqual(['JANUARY', 'APRIL', 'JULY', 'OCTOBER']);
  });

  const report = buildContractReport({ contractId: 'C-1', customerId: 'acme', period: 'month', range: { from: '2027-02-01', to: '2027-02-28' }, generatedAtMs: T0 }, [
    request('SR-2', 'Ivan Petrov', [met('first_response', 4, 1), breached('resolution', 16, 20)], { registeredAtMs: T0 + 1 }),
    request('SR-1', 'Ivan Petrov', [met('first_response', 4, 2), met('resolution', 16, 10)]),
    request('SR-3', null, [breached('first_response', 4, 6), clock('resolution', 16, {})], { state: 'open' }),
  ]);

  it('groups requests per reporter, oldest first, with each clock and its outcome', () => {
    expect(report.byReporter.map((g) => [g.reporter, g.requests.map((r) => r.id)])).toEqual([
      ['(not named)', ['SR-3']],
      ['Ivan Petrov', ['SR-1', 'SR-2']],
    ]);
    expect(report.byReporter[1]!.requests[1]!.clocks).toEqual([
      { kind: 'first_response', targetHours: 4, usedHours: 1, outcome: 'within_target', breachedAtMs: null },
      { kind: 'resolution', targetHours: 16, usedHours: 20, outcome: 'breached', breachedAtMs: T0 + 16 * H },
    ]);
  });

  it('counts compliance per target and lists every breach with its cause', () => {
    expect(report.summary).toMatchObject({ requests: 3, open: 1, firstResponse: { withinTarget: 2, breached: 1, withinTargetPct: 66.67 }, resolution: { withinTarget: 1, breached: 1, pending: 1, withinTargetPct: 50 } });
    expect(report.summary.breaches.items.map((b) => [b.requestId, b.clock, b.stillOpen])).toEqual([
      ['SR-3', 'first_response', true],
      ['SR-2', 'resolution', true],
    ]);
  });

  it('as CSV: one row per request, reporter first, formula-like text defused', () => {
    const csv = contractReportCsv(buildContractReport({ ...report, range: report.range }, [request('SR-9', '=HYPERLINK("x")', [met('first_response', 4, 1)])]));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'reporter,request,subject,registered_at,state,level,agent,first_response_target_h,first_response_used_h,first_response_outcome,resolution_target_h,resolution_used_h,resolution_outcome',
    );
    expect(lines[1]).toBe(`"'=HYPERLINK(""x"")",SR-9,Subject SR-9,${new Date(T0).toISOString()},resolved,individual,agent-7,4,1,within_target,,,`);
    expect(lines[2]).toBe('');
  });
});
