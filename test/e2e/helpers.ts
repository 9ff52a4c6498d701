import { Client, Connection } from '@temporalio/client';
import { createKnex } from '../../db/knex';

/** The two API processes started by global-setup. */
export const apiUrls = (): string[] => (process.env.E2E_API_URLS ?? '').split(',').filter(Boolean);

export interface HttpResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small request helper: JSON in, JSON (or problem+json) out. */
export async function http<T = any>(
  method: string,
  path: string,
  opts: { body?: unknown; rawBody?: string; headers?: Record<string, string>; api?: number } = {},
): Promise<HttpResult<T>> {
  const base = apiUrls()[opts.api ?? 0];
  const headers: Record<string, string> = { ...opts.headers };
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
