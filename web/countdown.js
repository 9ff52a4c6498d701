// Live countdowns of working time. The server measures each clock at `now` on its calendar
// and says whether that instant is working time and until when (`window`). The page then
// counts down only while it is working time, and only up to `window.untilMs`; past that it
// asks the server again. A paused clock does not tick. Elapsed time is measured with the
// page's monotonic clock from the moment of the answer, so a skewed PC clock does not matter.
import { formatDuration, formatInstant, t } from './i18n.js';

/** Elapsed working ms since the server's answer, given its working window. */
export function workingElapsed(snapshot) {
  const w = snapshot.window;
  if (!w || !w.working) return 0;
  const elapsed = performance.now() - snapshot.receivedAt;
  return Math.max(0, Math.min(elapsed, w.untilMs - snapshot.now));
}

/** Whether the server's answer no longer describes now (the working window ended). */
export function stale(snapshot) {
  const w = snapshot.window;
  return w != null && performance.now() - snapshot.receivedAt >= w.untilMs - snapshot.now;
}

/** The text of a clock's countdown now, and its tone. */
export function clockText(clock, snapshot) {
  switch (clock.status) {
    case 'met':
      return { text: t('clock.met'), tone: 'met' };
    case 'not_regulated':
      return { text: t('clock.notRegulated'), tone: 'muted' };
    case 'cancelled':
      return { text: t('clock.cancelled'), tone: 'muted' };
    case 'paused':
      return { text: `${formatDuration(clock.remainingMs ?? 0)} ${t('clock.left')} · ${t('clock.paused')}`, tone: 'paused' };
    default: {
      const elapsed = clock.running ? workingElapsed(snapshot) : 0;
      const overdue = clock.overdueMs + Math.max(0, elapsed - (clock.remainingMs ?? 0));
      const off = clock.running && snapshot.window && !snapshot.window.working ? ` · ${t('clock.offHours', { t: formatInstant(snapshot.window.until, snapshot.zone) })}` : '';
      if (clock.status === 'breached' || overdue > 0) return { text: `+${formatDuration(overdue)} ${t('clock.overdue')}${off}`, tone: 'breached' };
      return { text: `${formatDuration((clock.remainingMs ?? 0) - elapsed)} ${t('clock.left')}${off}`, tone: clock.atRisk ? 'risk' : 'ok' };
    }
  }
}

/** Makes `el` show `clock`'s countdown now and on every re-render (its render joins `renders`). */
export function bindCountdown(el, clock, snapshot, renders) {
  const render = () => {
    const { text, tone } = clockText(clock, snapshot);
    el.textContent = text;
    el.dataset.tone = tone;
  };
  render();
  renders.push(render);
  return el;
}

const ticking = new Set();
let timer = null;

/** Registers an element to re-render every second; returns the unregister function. */
export function tick(render) {
  ticking.add(render);
  if (!timer) {
    timer = setInterval(() => {
      for (const r of ticking) r();
    }, 1000);
  }
  return () => ticking.delete(render);
}
