/**
 * Children that outlive `npm start`: killed with SIGKILL (or by the OOM killer), scripts/start.ts
 * cannot stop PostgreSQL, the Temporal dev server, the worker and the API, which would keep
 * running, holding their ports and data directories. A reaper prevents it without native add-ons
 * (no prctl(PR_SET_PDEATHSIG) from Node): a tiny detached process (./orphan-reaper-main.ts) that
 * reads its stdin, a pipe only the parent holds. The kernel closes the pipe when the parent dies,
 * by any means; the reaper then terminates each child's process group, gracefully (each child's
 * own stop signal), then with SIGKILL after a grace period, and exits.
 *
 * Each child is started in a process group of its own (`detached`), so the group holds the
 * child and whatever it forks (PostgreSQL's backends) and nothing else, and a signal meant for
 * the parent's group (Ctrl-C, a terminal hang-up) reaches the parent only, which stops the
 * stack in order. The parent tells the reaper each child's group as it starts it and forgets it
 * when it exits (a restart starts a new group), one line per message on the pipe:
 * `watch <pgid> <signal>` and `forget <pgid>`.
 *
 * Off unless the process calls `startOrphanReaper()` (scripts/start.ts does): the test stacks keep
 * their children in the test runner's group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ENTRY = path.join(__dirname, 'orphan-reaper-main.ts');
const ROOT = path.resolve(__dirname, '..');

export type ReaperMessage = { op: 'watch'; pgid: number; signal: NodeJS.Signals } | { op: 'forget'; pgid: number };

/** One line of the pipe, or undefined for anything else (ignored: the parent is the only writer). */
export function parseReaperLine(line: string): ReaperMessage | undefined {
  const [op, pid, signal] = line.trim().split(' ');
  const pgid = Number(pid);
  if (!Number.isInteger(pgid) || pgid <= 1) return undefined;
  if (op === 'watch' && signal && /^SIG[A-Z0-9]+$/.test(signal)) return { op, pgid, signal: signal as NodeJS.Signals };
  if (op === 'forget') return { op, pgid };
  return undefined;
}

/**
 * Whether any process of the group still runs. A zombie does not count: an orphan's zombie stays
 * until PID 1 reaps it, and some container inits never do. /proc tells (Linux); elsewhere
 * kill(-pgid, 0) does, counting zombies.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // exited meanwhile
    }
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // gone already (ESRCH)
  }
}

/**
 * Terminates the groups: each its graceful signal, then SIGKILL to those still running after
 * `graceMs`. Resolves with the groups that had to be killed, once all are gone (or `graceMs`
 * after the SIGKILL, in case something cannot be killed).
 */
export async function reapGroups(groups: ReadonlyMap<number, NodeJS.Signals>, graceMs: number, isAlive: (pgid: number) => boolean = groupAlive): Promise<number[]> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitGone = async (pgids: number[], ms: number) => {
    const deadline = Date.now() + ms;
    let left = pgids.filter(isAlive);
    while (left.length > 0 && Date.now() < deadline) {
      await sleep(100);
      left = left.filter(isAlive);
    }
    return left;
  };
  for (const [pgid, signal] of groups) signalGroup(pgid, signal);
  const stubborn = await waitGone([...groups.keys()], graceMs);
  for (const pgid of stubborn) signalGroup(pgid, 'SIGKILL');
  await waitGone(stubborn, graceMs);
  return stubborn;
}

export interface OrphanReaper {
  /** The reaper's pid. */
  pid: number;
  /** Registers a child started with `childSpawnOptions()`; `signal` is how it stops gracefully. */
  adopt(child: ChildProcess, signal?: NodeJS.Signals): void;
}

let active: OrphanReaper | undefined;

/**
 * Starts the reaper for this process's children (once; later calls return the same one).
 * `graceMs` is how long each group has between its stop signal and SIGKILL.
 */
export function startOrphanReaper(opts: { graceMs?: number } = {}): OrphanReaper {
  if (active) return active;
  const graceMs = opts.graceMs ?? 10_000;
  const reaper = spawn(process.execPath, ['--import', 'tsx', ENTRY, String(graceMs)], {
    cwd: ROOT,
    // Its own session: the parent's group signals (Ctrl-C, hang-up, a kill of the whole group) do not reach it.
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  const pipe = reaper.stdin!;
  // The reaper could not start or is gone (killed by hand): the parent carries on as without one.
  reaper.on('error', () => undefined);
  pipe.on('error', () => undefined);
  // Neither keeps the parent alive: it exits when its own work is done, and the pipe closes with it.
  reaper.unref();
  (pipe as unknown as { unref?: () => void }).unref?.();
  const send = (line: string) => {
    if (!pipe.destroyed) pipe.write(`${line}\n`);
  };
  active = {
    pid: reaper.pid!,
    adopt(child, signal = 'SIGTERM') {
      const pgid = child.pid;
      if (pgid === undefined) return;
      send(`watch ${pgid} ${signal}`);
      child.once('exit', () => send(`forget ${pgid}`));
    },
  };
  return active;
}

/** Spawn options for a stack child: a process group of its own while a reaper watches. */
export function childSpawnOptions(): { detached?: true } {
  return active ? { detached: true } : {};
}

/** Tells the reaper (if any) about a child started with `childSpawnOptions()`. */
export function adoptChild(child: ChildProcess, signal?: NodeJS.Signals): void {
  active?.adopt(child, signal);
}
