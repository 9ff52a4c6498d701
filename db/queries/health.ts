/** What the readiness check asks PostgreSQL: only that it answers. */
import type { Knex } from 'knex';

export async function pingDatabase(db: Knex): Promise<void> {
  await db.raw('select 1');
}
