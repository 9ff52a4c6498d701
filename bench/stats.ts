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

/** What one stretch of load measured, before it is summed up (several stretches make one result). */
interface LoadSample {
  latencies: number[];
  errors: number;
  firstError?: string;
  seconds: number;
}

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; times each call. */
export async function runLoad(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<LoadResult> {
  return summarize(count, [await sampleLoad(0, count, concurrency, task)]);
}

/**
 * Two loads of `count` calls each, run in `rounds` alternating stretches (a's first), so that
 * the machine's speed, which drifts by tens of percent within minutes here, weighs on both
 * alike: the ratio of their rates then measures the designs, not the minute each ran in. Each
 * stretch starts after `settleMs` of quiet, so neither pays for work the other left queued
 * (the server's visibility and timer tasks, the workers' last tasks).
 */
export async function runAlternating(
  count: number,
  concurrency: number,
  opts: { rounds: number; settleMs: number },
  a: (i: number) => Promise<void>,
  b: (i: number) => Promise<void>,
): Promise<[LoadResult, LoadResult]> {
  const samples: [LoadSample[], LoadSample[]] = [[], []];
  const settle = () => new Promise((resolve) => setTimeout(resolve, opts.settleMs));
  for (let round = 0; round < opts.rounds; round++) {
    const from = Math.floor((round * count) / opts.rounds);
    const to = Math.floor(((round + 1) * count) / opts.rounds);
    await settle();
    samples[0].push(await sampleLoad(from, to, concurrency, a));
    await settle();
    samples[1].push(await sampleLoad(from, to, concurrency, b));
  }
  return [summarize(count, samples[0]), summarize(count, samples[1])];
}

function summarize(count: number, samples: LoadSample[]): LoadResult {
  const latencies = samples.flatMap((s) => s.latencies).sort((x, y) => x - y);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  const errors = samples.reduce((sum, s) => sum + s.errors, 0);
  const firstError = samples.find((s) => s.firstError !== undefined)?.firstError;
  return { count, errors, ...(firstError !== undefined && { firstError }), seconds, perSecond: latencies.length / seconds, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99) };
}

/** `task(i)` for i in [from, to), at most `concurrency` in flight. */
async function sampleLoad(from: number, to: number, concurrency: number, task: (i: number) => Promise<void>): Promise<LoadSample> {
  const latencies: number[] = [];
  let next = from;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < to) {
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
  return { latencies, errors, ...(firstError !== undefined && { firstError }), seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatLoad(label: string, r: LoadResult): string {
  return `${label.padEnd(44)} ${fmt(r.perSecond).padStart(9)}/s   p50 ${fmt(r.p50Ms).padStart(7)} ms   p99 ${fmt(r.p99Ms).padStart(7)} ms   (${r.count} in ${fmt(r.seconds, 2)} s, ${r.errors} errors)${r.firstError ? `\n    first error: ${r.firstError}` : ''}`;
}
