import type { Knex } from 'knex';

const RETRY_MS = 25;

export class LockTimeoutError extends Error {
  constructor(readonly key: string) {
    super(`could not take the lock ${key} in time`);
  }
}

export interface AdvisoryLockOptions {
  /** Give up (LockTimeoutError) after waiting this long for the lock. */
  timeoutMs?: number;
  /**
   * Bound on every statement and on idleness inside the locked transaction: a holder that
   * stalls (or a process that dies mid-transaction) lets go within this time, server-side.
   */
  transactionTimeoutMs?: number;
}

/**
 * Runs `fn` with the transaction that holds a PostgreSQL advisory lock named `key`, across
 * every API process. `fn` must run its queries on that transaction (one pooled connection per
 * holder, never a second one from the pool, which could wait on connections other holders
 * keep) and must not call anything slow outside the database: the lock is a transaction's.
 * Waiters poll with pg_try_advisory_xact_lock instead of blocking in the server, so they hold
 * no pool connection while they wait.
 */
export async function withAdvisoryLock<T>(db: Knex, key: string, fn: (trx: Knex.Transaction) => Promise<T>, opts: AdvisoryLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 5_000);
  const bound = Math.max(1, Math.round(opts.transactionTimeoutMs ?? 10_000));
  for (;;) {
    const result = await db.transaction(async (trx) => {
      // SET LOCAL takes no bind parameters; `bound` is an integer.
      await trx.raw(`set local statement_timeout = ${bound}; set local idle_in_transaction_session_timeout = ${bound}`);
      const { rows } = await trx.raw('select pg_try_advisory_xact_lock(hashtextextended(?, 0)) as locked', [key]);
      return rows[0].locked ? { value: await fn(trx) } : undefined;
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
