import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { createKnex } from '../../db/knex';
import { freePort, spawnService } from '../../infra/node-services';

/** The two API processes started by global-setup. */
export const apiUrls = (): string[] => (process.env.E2E_API_URLS ?? '').split(',').filter(Boolean);

/**
 * One more API process on the suite's PostgreSQL, Temporal and task queue, with `env` on top
 * (rate limits, cache times, log level); each output line goes to `onLine`. Stop it with stopChild.
 */
export async function spawnExtraApi(env: NodeJS.ProcessEnv, onLine: (line: string) => void): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = await spawnService(
    'api',
    {
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      TEMPORAL_ADDRESS: process.env.E2E_TEMPORAL_ADDRESS,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: process.env.E2E_TASK_QUEUE,
      ADMIN_API_KEY: adminKey(),
      PORT: String(port),
      ...env,
    },
    onLine,
  );
  return { child, url: `http://127.0.0.1:${port}` };
}

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The bootstrap admin key global-setup gave the API processes (ADMIN_API_KEY). */
export const adminKey = (): string => process.env.E2E_ADMIN_API_KEY!;

export interface HttpOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  api?: number;
  /** The API key to send as `Authorization: Bearer`: the admin key by default, `null` for none. */
  key?: string | null;
  /** Another base URL than the stack's API processes (e.g. an extra API process a test started). */
  baseUrl?: string;
}

/** A small request helper: JSON in, JSON (or problem+json) out; sends the admin key unless told otherwise. */
export async function http<T = any>(method: string, path: string, opts: HttpOptions = {}): Promise<HttpResult<T>> {
  const base = opts.baseUrl ?? apiUrls()[opts.api ?? 0];
  const key = opts.key === undefined ? adminKey() : opts.key;
  const headers: Record<string, string> = { ...(key !== null && { authorization: `Bearer ${key}` }), ...opts.headers };
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

export function testDb() {
  return createKnex(process.env.E2E_DATABASE_URL!, { max: 2 });
}

export async function testTemporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: process.env.E2E_TEMPORAL_ADDRESS! });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/** A key unique to this test run, so reruns against a kept database never collide. */
export const uniqueKey = (label: string) => `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

export type Role = 'intake' | 'agent' | 'operations' | 'admin';

/** Creates an API key through the admin API and returns its full string (shown only once) and id. */
export async function createKey(role: Role, customerScope?: string, name = `e2e ${role}${customerScope ? ` for ${customerScope}` : ''}`): Promise<{ id: string; key: string }> {
  const res = await http('POST', '/v1/api-keys', { body: { name, role, ...(customerScope !== undefined && { customerScope }) } });
  if (res.status !== 201) throw new Error(`creating a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, key: res.body.key };
}
