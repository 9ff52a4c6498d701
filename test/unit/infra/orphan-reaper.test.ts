import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { groupAlive, parseReaperLine, reapGroups } from '../../../infra/orphan-reaper';

/** Running: exists and is not a zombie (an orphan's zombie stays until PID 1 reaps it, which some container inits never do). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0]!);
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the reaper protocol', () => {
  test('watch and forget lines; anything else is ignored', () => {
    expect(parseReaperLine('watch 1234 SIGTERM')).toEqual({ op: 'watch', pgid: 1234, signal: 'SIGTERM' });
    expect(parseReaperLine('watch 1234 SIGINT\n')).toEqual({ op: 'watch', pgid: 1234, signal: 'SIGINT' });
    expect(parseReaperLine('forget 1234')).toEqual({ op: 'forget', pgid: 1234 });
    // Never a group of init or a "group" 0/-1 (which would signal every process the reaper may signal).
    for (const bad of ['watch 1 SIGTERM', 'watch 0 SIGTERM', 'watch -1 SIGTERM', 'watch 12x SIGTERM', 'watch 1234', 'watch 1234 TERM', 'kill 1234', '']) {
      expect([bad, parseReaperLine(bad)]).toEqual([bad, undefined]);
    }
  });
});

describe('reaping process groups', () => {
  test('a group that stops on its signal, and one that ignores it and gets SIGKILL', async () => {
    // Each says "ready" once its sleep runs: a signal sent before the shell has run its `trap`
    // would stop the stubborn one too (seen on a loaded machine).
    const group = (script: string) => spawn('sh', ['-c', `${script}sleep 1000 & echo ready; wait`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const polite = group('');
    const stubborn = group("trap '' TERM; ");
    try {
      const ready = [polite, stubborn].map((c) => {
        let out = '';
        c.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        return () => out.includes('ready');
      });
      await waitFor('both groups', () => ready.every((isReady) => isReady()) && groupAlive(polite.pid!) && groupAlive(stubborn.pid!));
      const killed = await reapGroups(
        new Map([
          [polite.pid!, 'SIGTERM'],
          [stubborn.pid!, 'SIGTERM'],
        ]),
        500,
      );
      expect(killed).toEqual([stubborn.pid]);
      expect([groupAlive(polite.pid!), groupAlive(stubborn.pid!)]).toEqual([false, false]);
    } finally {
      for (const c of [polite, stubborn]) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
    }
  });
});

/** As root, the same runs as `nobody` too (when it can read this checkout): the unprivileged case. */
function unprivilegedUser(fixture: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
  if (id.status !== 0 || gid.status !== 0) return undefined;
  const user = { uid: Number(id.stdout.trim()), gid: Number(gid.stdout.trim()) };
  return spawnSync('test', ['-r', fixture], { ...user, stdio: 'ignore' }).status === 0 ? user : undefined;
}

const FIXTURE = path.join(__dirname, 'fixtures', 'reaper-parent.ts');
const users: Array<[string, { uid: number; gid: number } | undefined]> = [[`as uid ${process.getuid?.()}`, undefined]];
const nobody = unprivilegedUser(FIXTURE);
if (nobody) users.push(['as nobody', nobody]);

describe.each(users)('the parent killed with SIGKILL, %s', (_name, user) => {
  test('its children and their children are gone within seconds, the stubborn ones too', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', FIXTURE, '500'], {
      stdio: ['ignore', 'pipe', 'inherit'],
      ...(user && { ...user, env: { ...process.env, HOME: os.tmpdir() } }),
    });
    let started: { reaper: number; pids: number[] } | undefined;
    try {
      started = await new Promise<{ reaper: number; pids: number[] }>((resolve, reject) => {
        parent.stdout!.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())));
        parent.once('exit', (code) => reject(new Error(`the parent exited early (${code})`)));
      });
      expect(started.pids.every(running)).toBe(true);
      parent.kill('SIGKILL');
      await waitFor('every child of the killed parent to exit', () => !started!.pids.some(running));
      await waitFor('the reaper to exit', () => !running(started!.reaper));
    } finally {
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
      for (const pid of started?.pids ?? []) if (running(pid)) process.kill(pid, 'SIGKILL');
    }
  }, 60_000);
});
