// The local PostgreSQL from a checkout its `postgres` user cannot enter: as root, PostgreSQL runs
// as that user, and a clone under `mktemp -d` (mode 700) or /root used to die with
// `spawn …/initdb EACCES`. Also: a postmaster killed with SIGKILL starts again on the same data.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { lstatSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type LocalPostgres } from '../../infra/embedded-postgres';
import { freePort } from '../../infra/node-services';

const asRoot = process.getuid?.() === 0;
let dir: string;
let local: LocalPostgres | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sla-pg-'));
});

afterEach(async () => {
  await local?.stop();
  local = undefined;
  // Root keeps an unreachable checkout's cluster under /var/lib/sla-orchestrator: remove it too.
  for (const link of [path.join(dir, 'data', 'pg'), path.join(dir, 'pg')]) {
    if (lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink()) await rm(readlinkSync(link), { recursive: true, force: true });
  }
  await rm(dir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<any[]> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

(asRoot ? test : test.skip)('as root, PostgreSQL starts from a data dir under a directory only root can enter', async () => {
  expect((await stat(dir)).mode & 0o777).toBe(0o700);
  const dataDir = path.join(dir, 'data', 'pg');
  local = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'sla' });
  expect(await query(local.url, 'select current_database() as db')).toEqual([{ db: 'sla' }]);
  // The cluster lives where the postgres user can reach it; data/pg points there.
  expect(lstatSync(dataDir).isSymbolicLink()).toBe(true);
  await query(local.url, 'create table kept (v int); insert into kept values (42)');
  await local.stop();

  // A second start reuses the data; deleting data/ starts afresh.
  local = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'sla' });
  expect(await query(local.url, 'select v from kept')).toEqual([{ v: 42 }]);
  await local.stop();
  await rm(path.join(dir, 'data'), { recursive: true });
  local = await startEmbeddedPostgres({ dataDir, port: await freePort(), database: 'sla' });
  expect(await query(local.url, "select count(*)::int as n from pg_tables where tablename = 'kept'")).toEqual([{ n: 0 }]);
});

test('a postmaster killed with SIGKILL restarts on the same data and port', async () => {
  local = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), database: 'sla' });
  await query(local.url, 'create table kept (v int); insert into kept values (7)');
  const before = local.process;
  before.kill('SIGKILL');
  await new Promise((r) => before.once('exit', r));
  // The old backends notice the postmaster's death and leave; until then a start may be refused.
  for (let attempt = 1; ; attempt++) {
    try {
      await local.restart();
      break;
    } catch (err) {
      if (attempt >= 20) throw err;
    }
  }
  expect(local.process.pid).not.toBe(before.pid);
  expect(await query(local.url, 'select v from kept')).toEqual([{ v: 7 }]);
});
