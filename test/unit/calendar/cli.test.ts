// The calendar CLI, run as a real process: `npx tsx cli/calendar.ts ...`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
jest.setTimeout(60_000);

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['tsx', 'cli/calendar.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/calendar.ts', () => {
  it('add: prints the due instant with the calendar offset', () => {
    const r = cli('add', '--calendar', 'calendars/supplier.json', '--start', '2026-11-27T17:00:00+03:00', '--seconds', '28800');
    expect(r).toEqual({ status: 0, stdout: '2026-11-30T17:00:00+03:00\n', stderr: '' });
  });

  it('add: accepts a shipped id and an offset-less time in the calendar zone', () => {
    const r = cli('add', '--calendar', 'supplier', '--start', '2026-11-27T17:00', '--seconds', '3600');
    expect(r.stdout).toBe('2026-11-27T18:00:00+03:00\n');
    expect(r.status).toBe(0);
  });

  it('between: prints whole working seconds; explain: one interval per line', () => {
    const b = cli('between', '--calendar', 'supplier', '--from', '2026-11-27T17:00:00+03:00', '--to', '2026-11-30T12:00:00+03:00');
    expect(b).toEqual({ status: 0, stdout: '10800\n', stderr: '' });
    const e = cli('explain', '--calendar', 'supplier', '--start', '2026-11-27T17:00', '--seconds', '28800');
    expect(e.status).toBe(0);
    expect(e.stdout.trim().split('\n')).toEqual([
      '2026-11-27 2026-11-27T17:00:00+03:00 .. 2026-11-27T18:00:00+03:00 1:00:00 regular',
      '2026-11-30 2026-11-30T10:00:00+03:00 .. 2026-11-30T17:00:00+03:00 7:00:00 regular',
      'due 2026-11-30T17:00:00+03:00',
    ]);
  });

  it('says so on stderr when a result is extrapolated', () => {
    const r = cli('add', '--calendar', 'supplier', '--start', '2027-12-30T17:00', '--seconds', '28800');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2028-01-10T17:00:00+03:00\n');
    expect(r.stderr).toMatch(/extrapolated.*coverage ends on 2027-12-31/);
  });

  it('import-ics prints the exception entries as JSON', () => {
    const r = cli('import-ics', '--ics', 'test/fixtures/calendar/office-closures.ics', '--timezone', 'Europe/Moscow');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { holidays: string[]; closures: unknown[] };
    expect(json.holidays).toContain('2026-02-23');
    expect(json.closures).toHaveLength(2);
    expect(r.stderr).toMatch(/skipped event "Overnight migration"/);
  });

  it.each<[string, string[], RegExp]>([
    ['unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['missing option', ['add', '--calendar', 'supplier', '--start', '2026-11-27T17:00'], /missing required option --seconds/],
    ['bad seconds', ['add', '--calendar', 'supplier', '--start', '2026-11-27T17:00', '--seconds', '-5'], /--seconds: expected a whole non-negative number/],
    ['bad instant', ['add', '--calendar', 'supplier', '--start', 'tomorrow', '--seconds', '1'], /--start: not an ISO-8601 date-time: "tomorrow"/],
    ['missing file', ['add', '--calendar', 'no/such.json', '--start', '2026-11-27T17:00', '--seconds', '1'], /cannot read calendar file "no\/such.json"/],
    ['unknown option', ['between', '--calendar', 'supplier', '--start', 'x'], /unknown option "--start" for between/],
  ])('bad input (%s): non-zero exit, one line on stderr', (_name, args, message) => {
    const r = cli(...args);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('an invalid calendar file: exit 1 naming the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calendar-cli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ timezone: 'Europe/Moscow', week: { mon: [['10:00', '09:00']] } }));
    const r = cli('add', '--calendar', file, '--start', '2026-11-27T17:00', '--seconds', '1');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('calendar: week.mon[0]: end "09:00" is before start "10:00"\n');
    writeFileSync(file, '{ not json');
    expect(cli('between', '--calendar', file, '--from', '2026-01-01', '--to', '2026-01-02').stderr).toMatch(/is not valid JSON/);
  });
});
