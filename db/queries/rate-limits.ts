import type { Knex } from 'knex';

export interface WindowHits {
  /** Hits in the current window, this one included. */
  hits: number;
  /** When the current window ends (database clock), epoch ms. */
  resetAtMs: number;
}

/**
 * Counts one hit on `bucket` in the current fixed window of `windowMs` (windows aligned to the
 * epoch on the database clock, so every API process agrees), in one atomic statement. A row
 * from an older window restarts at 1; a late statement from the previous window (a process
 * whose transaction began just before the boundary) counts in the newer window.
 */
export async function hitRateLimitBucket(db: Knex, bucket: string, windowMs: number): Promise<WindowHits> {
  const { rows } = await db.raw<{ rows: Array<{ hits: number; reset_at_ms: string | number }> }>(
    `insert into rate_limit_counters as c (bucket, window_start, hits)
     values (?, to_timestamp(floor(extract(epoch from clock_timestamp()) * 1000 / ?) * ? / 1000.0), 1)
     on conflict (bucket) do update set
       hits = case when c.window_start >= excluded.window_start then c.hits + 1 else 1 end,
       window_start = greatest(c.window_start, excluded.window_start)
     returning hits, (extract(epoch from window_start) * 1000)::bigint + ? as reset_at_ms`,
    [bucket, windowMs, windowMs, windowMs],
  );
  const row = rows[0]!;
  return { hits: row.hits, resetAtMs: Number(row.reset_at_ms) };
}

/** Deletes buckets whose window ended before `olderThanMs` ago (clients that went quiet). */
export async function pruneRateLimitBuckets(db: Knex, olderThanMs: number): Promise<number> {
  return db('rate_limit_counters')
    .where('window_start', '<', db.raw('clock_timestamp() - make_interval(secs => ?)', [olderThanMs / 1000]))
    .delete();
}
