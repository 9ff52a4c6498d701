import type { LocalStack } from '../infra/local-stack';

/**
 * HTTP calls to a local stack's API with its bootstrap admin key (benchmarks, recording
 * scripts); throws on an unexpected status.
 */
export function stackApi(stack: LocalStack) {
  const api = stack.apiUrls[0]!;
  const key = stack.serviceEnv.ADMIN_API_KEY;
  const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
  const call = async <T = unknown>(method: string, path: string, expected: number[], body?: unknown): Promise<T> => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!expected.includes(res.status)) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { url: api, headers, call };
}

export type StackApi = ReturnType<typeof stackApi>;
