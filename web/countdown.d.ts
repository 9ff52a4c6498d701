// Types of the page's countdown module (plain JS served to the browser), for the unit tests.
export interface WorkingWindowView {
  working: boolean;
  untilMs: number;
  until: string | null;
}
export interface CountdownSnapshot {
  /** The server's instant of the answer (epoch ms). */
  now: number;
  /** performance.now() when the answer arrived. */
  receivedAt: number;
  window: WorkingWindowView | null;
  zone: string;
}
export interface ClockLike {
  kind: string;
  status: string;
  running: boolean;
  remainingMs: number | null;
  overdueMs: number;
  atRisk: boolean;
}
export function workingElapsed(snapshot: CountdownSnapshot): number;
export function stale(snapshot: CountdownSnapshot): boolean;
export function clockText(clock: ClockLike, snapshot: CountdownSnapshot): { text: string; tone: string };
export function bindCountdown<E extends { textContent: string | null; dataset: Record<string, string | undefined> }>(el: E, clock: ClockLike, snapshot: CountdownSnapshot, renders: Array<() => void>): E;
export function tick(render: () => void): () => void;
