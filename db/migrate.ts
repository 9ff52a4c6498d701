// `npm run migrate`: apply pending knex migrations to DATABASE_URL.
import { readSettings } from '../config/env';
import { createKnex, migrateLatest } from './knex';

async function main(): Promise<void> {
  const { databaseUrl } = readSettings();
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (npm start migrates the embedded database itself)');
  const db = createKnex(databaseUrl);
  try {
    const applied = await migrateLatest(db);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
  } finally {
    await db.destroy();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
