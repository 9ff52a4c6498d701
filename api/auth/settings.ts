import { MIN_BOOTSTRAP_SECRET_LENGTH } from './keys';

/** Authentication and rate-limit settings of an API process, read from the environment. */
export interface AuthSettings {
  /** `ADMIN_API_KEY`: the bootstrap admin secret (any string of 32+ characters), or none. */
  bootstrapAdminKey: string | undefined;
  /**
   * `API_KEY_CACHE_SECONDS` (default 30): how long a verified key is trusted without a database
   * read. Revocations reach every process at once by LISTEN/NOTIFY; this bounds staleness only
   * when that fails.
   */
  cacheMs: number;
  /** `RATE_LIMIT_PER_MINUTE` (default 600, 0 = off): requests per minute per key, one budget across all API processes. */
  rateLimitPerMinute: number;
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`${name} must be an integer from 0 to ${max}, got "${raw}"`);
  return value;
}

export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const bootstrapAdminKey = env.ADMIN_API_KEY || undefined;
  // The value itself is never echoed.
  if (bootstrapAdminKey !== undefined && (bootstrapAdminKey.length < MIN_BOOTSTRAP_SECRET_LENGTH || !/^[\x21-\x7e]+$/.test(bootstrapAdminKey))) {
    throw new Error(`ADMIN_API_KEY must be at least ${MIN_BOOTSTRAP_SECRET_LENGTH} printable ASCII characters without spaces (e.g. openssl rand -base64 32)`);
  }
  return {
    bootstrapAdminKey,
    cacheMs: nonNegativeInt(env, 'API_KEY_CACHE_SECONDS', 30, 3600) * 1000,
    rateLimitPerMinute: nonNegativeInt(env, 'RATE_LIMIT_PER_MINUTE', 600, 1_000_000),
  };
}
