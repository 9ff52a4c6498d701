/** Small helpers shared by the benchmarks: percentiles, rates and a bounded-concurrency runner. */
export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const idx = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[idx]!;
}

export interface LoadResult {
  count: number;
  errors: number;
  /** The first failure's message, so a run with errors says what they were. */
  firstError?: string;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; times each call. */
export async function runLoad(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        await task(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } catch (err) {
        errors++;
        firstError ??= String(err instanceof Error ? err.message : err).slice(0, 300);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return { count, errors, ...(firstError !== undefined && { firstError }), seconds, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatLoad(label: string, r: LoadResult): string {
  return `${label.padEnd(44)} ${fmt(r.perSecond).padStart(9)}/s   p50 ${fmt(r.p50Ms).padStart(7)} ms   p99 ${fmt(r.p99Ms).padStart(7)} ms   (${r.count} in ${fmt(r.seconds, 2)} s, ${r.errors} errors)${r.firstError ? `\n    first error: ${r.firstError}` : ''}`;
}
