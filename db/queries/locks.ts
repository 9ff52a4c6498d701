import type { Knex } from 'knex';

const RETRY_MS = 25;

export class LockTimeoutError extends Error {
  constructor(readonly key: string) {
    super(`could not take the lock ${key} in time`);
  }
}

/**
 * Runs `fn` while holding a PostgreSQL advisory lock named `key`, across every API process.
 * Waiters poll with pg_try_advisory_xact_lock instead of blocking in the server, so they hold
 * no pool connection while they wait (a blocked waiter per connection could starve the holder).
 */
export async function withAdvisoryLock<T>(db: Knex, key: string, fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await db.transaction(async (trx) => {
      const { rows } = await trx.raw('select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as locked', [key]);
      return rows[0].locked ? { value: await fn() } : undefined;
    });
    if (result) return result.value;
    if (Date.now() > deadline) throw new LockTimeoutError(key);
    await new Promise((r) => setTimeout(r, RETRY_MS));
  }
}

/** Whether a contract limits its requests (those registrations are serialised per contract). */
export async function contractHasQuota(db: Knex, contractId: string): Promise<boolean> {
  const row = await db('contracts').where({ id: contractId }).select(db.raw(`(sla->'quota') is not null as quota`)).first();
  return row?.quota === true;
}
