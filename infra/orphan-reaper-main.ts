// The orphan reaper (./orphan-reaper.ts): started by scripts/start.ts, detached, with a pipe
// on stdin that only its parent holds. Reads `watch`/`forget` lines until the pipe ends (the
// parent exited or was killed), then terminates the process groups still watched and exits.
// Argument: the grace period in ms between each group's stop signal and SIGKILL.
import { createInterface } from 'node:readline';
import { parseReaperLine, reapGroups } from './orphan-reaper';

const graceMs = Number(process.argv[2] ?? 10_000);
const groups = new Map<number, NodeJS.Signals>();
// Its own session: no terminal signal is meant for it; only the end of the pipe ends it.
for (const signal of ['SIGINT', 'SIGHUP'] as const) process.on(signal, () => undefined);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const m = parseReaperLine(line);
  if (m?.op === 'watch') groups.set(m.pgid, m.signal);
  else if (m?.op === 'forget') groups.delete(m.pgid);
});
lines.on('close', () => {
  void reapGroups(groups, graceMs).finally(() => process.exit(0));
});
