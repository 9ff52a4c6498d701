import {
  buildSlaReport,
  clockStats,
  csvField,
  median,
  percentile,
  slaReportCsv,
  type ReportRequest,
} from '../../../domain/reports/sla-report';
import type { SlaClock } from '../../../domain/request/sla-clock';

const H = 3_600_000;
const T0 = Date.UTC(2026, 11, 1, 6);

/** A clock in a given end state; working hours used, target in hours (null = not regulated). */
function clock(kind: SlaClock['kind'], o: { target: number | null; usedH: number; state: 'met' | 'breached_met' | 'breached_running' | 'running' | 'paused' | 'cancelled' | 'stopped'; pauses?: SlaClock['pauses']; reopenCount?: number }): SlaClock {
  const stopped = ['met', 'breached_met', 'cancelled', 'stopped'].includes(o.state);
  const breached = o.state.startsWith('breached');
  return {
    kind,
    targetMs: o.target === null ? null : o.target * H,
    runningSinceMs: o.state === 'running' || o.state === 'breached_running' ? T0 : null,
    usedBeforeMs: o.usedH * H,
    dueAtMs: o.target === null ? null : T0 + o.target * H,
    warnings: [],
    metAtMs: o.state === 'met' ? T0 + o.usedH * H : null,
    breachedAtMs: breached ? T0 + (o.target ?? 0) * H : null,
    escalations: [],
    pauses: o.pauses ?? [],
    stoppedAtMs: stopped ? T0 + 100 * H : null,
    cancelled: o.state === 'cancelled',
    reopenCount: o.reopenCount ?? 0,
  };
}

function request(id: string, clocks: SlaClock[], extra: Partial<ReportRequest> = {}): ReportRequest {
  return { id, customerId: 'c1', level: 'warranty', officeId: null, agent: null, state: 'resolved', reopenCount: 0, clocks, ...extra };
}

describe('percentiles', () => {
  test('median interpolates between the two middle values; odd counts take the middle one', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNull();
  });

  test('p90 interpolates linearly between closest ranks (R-7)', () => {
    const tenths = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(tenths, 0.9)).toBeCloseTo(9.1, 10);
    expect(percentile([10, 20], 0.9)).toBeCloseTo(19, 10);
    expect(percentile(tenths, 0)).toBe(1);
    expect(percentile(tenths, 1)).toBe(10);
    expect(() => percentile(tenths, 1.5)).toThrow(RangeError);
  });
});

describe('clock statistics', () => {
  test('within target % counts met clocks among decided regulated clocks; pending clocks stay out', () => {
    const s = clockStats([
      clock('first_response', { target: 8, usedH: 2, state: 'met' }),
      clock('first_response', { target: 8, usedH: 6, state: 'met' }),
      clock('first_response', { target: 8, usedH: 9, state: 'breached_met' }),
      clock('first_response', { target: 8, usedH: 1, state: 'running' }),
    ]);
    expect(s).toMatchObject({ clocks: 4, regulated: 4, withinTarget: 2, breached: 1, pending: 1, withinTargetPct: 66.67 });
    // Percentiles over the three stopped clocks: 2, 6, 9 h; the running one is left out.
    expect(s).toMatchObject({ measured: 3, running: 1, medianHours: 6, p90Hours: 8.4 });
  });

  test('a breached clock still running counts as missed, but not in the working-hour percentiles', () => {
    const s = clockStats([clock('resolution', { target: 40, usedH: 41, state: 'breached_running' })]);
    expect(s).toMatchObject({ breached: 1, pending: 0, withinTargetPct: 0, measured: 0, running: 1, medianHours: null, p90Hours: null });
  });

  test('not-regulated clocks count in the percentiles but never in the within-target figures', () => {
    const s = clockStats([
      clock('first_response', { target: null, usedH: 3, state: 'stopped' }),
      clock('first_response', { target: null, usedH: 5, state: 'stopped' }),
      clock('first_response', { target: 8, usedH: 1, state: 'met' }),
    ]);
    expect(s).toMatchObject({ regulated: 1, notRegulated: 2, withinTarget: 1, breached: 0, withinTargetPct: 100, measured: 3, medianHours: 3 });
    const onlyUnregulated = clockStats([clock('resolution', { target: null, usedH: 4, state: 'stopped' })]);
    expect(onlyUnregulated).toMatchObject({ withinTargetPct: null, withinTarget: 0, medianHours: 4, p90Hours: 4 });
  });

  test('cancelled clocks are neither measured nor decided, unless they breached first', () => {
    const s = clockStats([clock('first_response', { target: 8, usedH: 1, state: 'cancelled' })]);
    expect(s).toMatchObject({ cancelled: 1, pending: 0, withinTargetPct: null, measured: 0, running: 0 });
  });
});

describe('buildSlaReport', () => {
  const requests: ReportRequest[] = [
    request('SR-1', [clock('first_response', { target: 8, usedH: 2, state: 'met' }), clock('resolution', { target: 40, usedH: 10, state: 'met' })], { agent: 'a1' }),
    request('SR-2', [clock('first_response', { target: 8, usedH: 4, state: 'met' }), clock('resolution', { target: 40, usedH: 5, state: 'running', reopenCount: 1 })], { agent: 'a1', state: 'in_progress', reopenCount: 1 }),
    request('SR-3', [clock('first_response', { target: 16, usedH: 17, state: 'breached_met' }), clock('resolution', { target: null, usedH: 20, state: 'stopped' })], { customerId: 'c2', level: 'basic', agent: 'a2' }),
    request(
      'SR-4',
      [
        clock('first_response', { target: 8, usedH: 1, state: 'met' }),
        clock('resolution', { target: 40, usedH: 41, state: 'breached_running', pauses: [{ fromMs: T0 + 30 * H, toMs: null, reason: 'waiting_on_customer' }] }),
      ],
      { customerId: 'c2', state: 'waiting_on_customer' },
    ),
    request('SR-5', [clock('first_response', { target: null, usedH: 0, state: 'cancelled' }), clock('resolution', { target: null, usedH: 0, state: 'cancelled' })], { customerId: null, level: 'initial', state: 'cancelled' }),
  ];

  test('groups by customer with the anonymous group last, and totals every request', () => {
    const r = buildSlaReport(requests, 'customer');
    expect(r.groups.map((g) => [g.key, g.requests])).toEqual([
      ['c1', 2],
      ['c2', 2],
      [null, 1],
    ]);
    expect(r.total).toMatchObject({ requests: 5, open: 2, cancelled: 1, reopens: { total: 1, requests: 1 } });
    const c1 = r.groups[0]!;
    expect(c1.firstResponse).toMatchObject({ withinTarget: 2, withinTargetPct: 100, medianHours: 3, measured: 2 });
    expect(c1.resolution).toMatchObject({ withinTarget: 1, pending: 1, running: 1, withinTargetPct: 100, medianHours: 10 });
    expect(c1.reopens).toEqual({ total: 1, requests: 1 });
  });

  test('breaches carry their clock, level and whether they fell in a pause', () => {
    const c2 = buildSlaReport(requests, 'customer').groups[1]!;
    expect(c2.breaches).toMatchObject({ total: 2, firstResponse: 1, resolution: 1, duringPause: 1, byLevel: { basic: 1, warranty: 1 }, truncated: false });
    expect(c2.breaches.items).toEqual([
      expect.objectContaining({ requestId: 'SR-3', clock: 'first_response', level: 'basic', duringPause: null, stillOpen: false }),
      expect.objectContaining({ requestId: 'SR-4', clock: 'resolution', level: 'warranty', duringPause: 'waiting_on_customer', stillOpen: true }),
    ]);
    const capped = buildSlaReport(requests, 'customer', { breachListLimit: 1 }).groups[1]!;
    expect(capped.breaches).toMatchObject({ total: 2, truncated: true });
    expect(capped.breaches.items).toHaveLength(1);
  });

  test('groups by level, office and agent', () => {
    expect(buildSlaReport(requests, 'level').groups.map((g) => g.key)).toEqual(['basic', 'initial', 'warranty']);
    expect(buildSlaReport(requests, 'agent').groups.map((g) => [g.key, g.requests])).toEqual([
      ['a1', 2],
      ['a2', 1],
      [null, 2],
    ]);
    expect(buildSlaReport(requests, 'office').groups.map((g) => g.key)).toEqual([null]);
  });

  test('an empty period has no groups and a zero total', () => {
    const r = buildSlaReport([], 'level');
    expect(r.groups).toEqual([]);
    expect(r.total).toMatchObject({ requests: 0, firstResponse: { withinTargetPct: null, medianHours: null } });
  });
});

describe('CSV', () => {
  test('RFC 4180 quoting, and text that a spreadsheet would run as a formula is defused', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
  });

  test('a header row, then one row per group, CRLF line ends', () => {
    const csv = slaReportCsv(buildSlaReport([request('SR-1', [clock('first_response', { target: 8, usedH: 2, state: 'met' })], { customerId: 'acme, inc' })], 'customer'));
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 3)).toEqual(['group_by', 'group', 'requests']);
    expect(lines[1]!.startsWith('customer,"acme, inc",1,')).toBe(true);
    const cells = lines[1]!.replace('"acme, inc"', 'X').split(',');
    expect(cells).toHaveLength(header.length);
    expect(cells[header.indexOf('first_response_within_target_pct')]).toBe('100');
    expect(cells[header.indexOf('first_response_median_hours')]).toBe('2');
    expect(cells[header.indexOf('resolution_median_hours')]).toBe('');
  });
});
