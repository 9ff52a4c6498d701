import path from 'node:path';
import knex, { type Knex } from 'knex';
import { types } from 'pg';

// BIGINT counters (COUNT(*), working milliseconds) fit safely in a JS number at our scale.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export const MIGRATIONS_DIR = path.resolve(__dirname, 'migrations');

/** One pool per process; API and worker processes each hold their own. */
export function createKnex(databaseUrl: string, pool: { min?: number; max?: number; acquireTimeoutMs?: number } = {}): Knex {
  return knex({
    client: 'pg',
    // A server that does not answer (down host, full backlog) fails the connect within seconds.
    connection: { connectionString: databaseUrl, connectionTimeoutMillis: 5_000 },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    // Waiting longer for a pooled connection than a client waits for an answer helps nobody.
    acquireConnectionTimeout: pool.acquireTimeoutMs ?? 60_000,
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.js'] },
  });
}

/** Applies pending migrations; knex's lock table makes concurrent callers safe. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
