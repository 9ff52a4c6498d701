import path from 'node:path';
import knex, { type Knex } from 'knex';
import { types } from 'pg';

// BIGINT counters (COUNT(*), working milliseconds) fit safely in a JS number at our scale.
types.setTypeParser(types.builtins.INT8, (v) => Number(v));

export const MIGRATIONS_DIR = path.resolve(__dirname, 'migrations');

/** One pool per process; API and worker processes each hold their own. */
export function createKnex(databaseUrl: string, pool: { min?: number; max?: number } = {}): Knex {
  return knex({
    client: 'pg',
    connection: databaseUrl,
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    migrations: { directory: MIGRATIONS_DIR, loadExtensions: ['.js'] },
  });
}

/** Applies pending migrations; knex's lock table makes concurrent callers safe. */
export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest()) as [number, string[]];
  return applied;
}
